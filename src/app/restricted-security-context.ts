import * as kplus from 'cdk8s-plus-27';

/**
 * Options of `RestrictedSecurityContext.containerProps()`.
 */
export interface RestrictedSecurityContextOptions {
  /**
   * UID the container runs as.
   *
   * @default - the pod's `runAsUser` (a `TomcatApp` pod runs as its runtime's user, 10001 for the official images)
   */
  readonly user?: number;
  /**
   * GID the container runs as.
   *
   * @default - the pod's `runAsGroup`
   */
  readonly group?: number;
  /**
   * Mount the container's root filesystem read-only (give it an emptyDir for
   * every directory it writes).
   *
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/**
 * The container security context every `TomcatApp` container runs with,
 * for containers you add yourself (sidecars, init containers).
 *
 * A container meets Pod Security Standard `restricted` with it: non-root, not
 * privileged, no privilege escalation, every capability dropped. Seccomp
 * `RuntimeDefault` comes from the pod (a `TomcatApp` pod sets it).
 *
 * ```ts
 * app.deployment.addContainer({
 *   name: 'log-shipper',
 *   image: 'registry.example.com/log-shipper:1.0',
 *   securityContext: RestrictedSecurityContext.containerProps(),
 * });
 * ```
 */
export class RestrictedSecurityContext {
  /**
   * Security context props for `kplus.ContainerProps.securityContext`.
   *
   * @param options user, group and root filesystem
   */
  public static containerProps(options: RestrictedSecurityContextOptions = {}): kplus.ContainerSecurityContextProps {
    return {
      ensureNonRoot: true,
      user: options.user,
      group: options.group,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
      // cdk8s-plus-27's Capability enum lacks ALL; the value is passed through as is
      capabilities: { drop: ['ALL' as kplus.Capability] },
    };
  }

  private constructor() {}
}
