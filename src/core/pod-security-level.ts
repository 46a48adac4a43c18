/**
 * Pod Security Standard levels (pod-security.kubernetes.io/enforce values).
 */
export enum PodSecurityLevel {
  /** No restrictions (node agents). */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations. */
  BASELINE = 'baseline',
  /** Current pod hardening best practice: the library's default. */
  RESTRICTED = 'restricted',
}
