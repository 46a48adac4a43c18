import * as kplus from 'cdk8s-plus-27';

// Internal: what the config constructs know about each pod they touch. One
// record per pod, created on first use; its lazy annotations and patches are
// computed once at synth time (no tree walks).

/** What a source contributes to a pod's rollout hash. */
export interface HashedSource {
  /** The construct the content belongs to (one entry per pod). */
  readonly owner: object;
  /** Object name (stable for sources that roll by annotation). */
  readonly objectName: string;
  /** Canonical content, hashed (config) or HMAC'd (secret). */
  canonical(): string;
}

/** What the config constructs know about one pod. */
export interface PodState {
  readonly configs: HashedSource[];
  readonly secrets: HashedSource[];
  pullSecrets?: { name: string }[];
  volumes: number;
  /** container → source → keys mounted ('*' = all). */
  readonly keyMounts: Map<kplus.Container, Map<object, Set<string>>>;
}

const STATES = new WeakMap<kplus.AbstractPod, PodState>();

/** The record of `pod`, created on first use. */
export function stateOf(pod: kplus.AbstractPod): PodState {
  let s = STATES.get(pod);
  if (!s) {
    s = { configs: [], secrets: [], volumes: 0, keyMounts: new Map() };
    STATES.set(pod, s);
  }
  return s;
}

