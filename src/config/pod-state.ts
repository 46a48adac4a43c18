import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { hmacSha256, sha256 } from './content';
import { SecretHashKey } from './secret-hash-key';
import { appendContainerArgs, moveEnvVariablesToEnd, volumeJson } from '../core/cdk8s-compat';
import { ValidationError } from '../core/errors';
import { Warnings } from '../core/warnings';

// Internal: what the config constructs know about each pod they touch. One
// record per pod, created on first use; its lazy annotations and patches are
// computed once at synth time (no tree walks).

/** Pod-template annotation with the hash of the ConfigMaps the pod uses. */
export const CONFIG_HASH_ANNOTATION = 'cdk8s-paas.io/config-hash';
/** Pod-template annotation with the keyed hash (HMAC) of the Secrets the pod uses. */
export const SECRET_HASH_ANNOTATION = 'cdk8s-paas.io/secret-hash';

/** What a source contributes to a pod's rollout hash. */
export interface HashedSource {
  /** The construct the content belongs to (one entry per pod). */
  readonly owner: object;
  /** Object name (stable for sources that roll by annotation). */
  readonly objectName: string;
  /** Canonical content, hashed (config) or HMAC'd (secret). */
  canonical(): string;
}

interface PodState {
  readonly configs: HashedSource[];
  readonly secrets: HashedSource[];
  pullSecrets?: { name: string }[];
  volumes: number;
  /** container → source → keys mounted ('*' = all). */
  readonly keyMounts: Map<kplus.Container, Map<object, Set<string>>>;
}

const STATES = new WeakMap<kplus.AbstractPod, PodState>();

function stateOf(pod: kplus.AbstractPod): PodState {
  let s = STATES.get(pod);
  if (!s) {
    s = { configs: [], secrets: [], volumes: 0, keyMounts: new Map() };
    STATES.set(pod, s);
  }
  return s;
}

function podTemplateMetadata(pod: kplus.AbstractPod) {
  return pod instanceof kplus.Workload ? pod.podMetadata : pod.metadata;
}

function combined(sources: HashedSource[]): string {
  const parts = sources.map(s => [s.objectName, s.canonical()]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(parts);
}

/** Registers a ConfigMap in the pod's `config-hash` annotation. */
export function hashConfigInPod(pod: kplus.AbstractPod, source: HashedSource): void {
  const s = stateOf(pod);
  if (s.configs.some(x => x.owner === source.owner)) return;
  if (s.configs.length === 0) {
    podTemplateMetadata(pod).addAnnotation(CONFIG_HASH_ANNOTATION,
      Lazy.any({ produce: () => `sha256:${sha256(combined(s.configs))}` }) as any);
  }
  s.configs.push(source);
}

/**
 * Registers a Secret in the pod's `secret-hash` annotation: an HMAC keyed
 * with the app's `SecretHashKey`, looked up when the annotation is rendered
 * (so `SecretHashKey.use()` may come before or after the Secrets are
 * attached). Without a key the annotation is left out and a warning says so
 * (a plain hash would let anyone test guesses).
 */
export function hashSecretInPod(pod: kplus.AbstractPod, source: HashedSource): void {
  const s = stateOf(pod);
  if (s.secrets.some(x => x.owner === source.owner)) return;
  if (s.secrets.length === 0) {
    podTemplateMetadata(pod).addAnnotation(SECRET_HASH_ANNOTATION, Lazy.any({
      produce: () => {
        const key = SecretHashKey.tryOf(pod);
        return key ? `hmac-sha256:${hmacSha256(key._material(), combined(s.secrets))}` : undefined;
      },
    }) as any);
    pod.node.addValidation({
      validate: () => {
        if (!SecretHashKey.tryOf(pod)) {
          Warnings.add(pod, `pods will not roll when their Secrets change: no secret hash key; set ${SecretHashKey.DEFAULT_VARIABLE} `
            + 'to at least 32 random characters in the synth environment or call SecretHashKey.use()', 'cdk8s-paas:no-secret-hash-key');
        }
        return [];
      },
    });
  }
  s.secrets.push(source);
}

/**
 * Throws unless an object in `namespace` can be used by the pod: a pod reads
 * ConfigMaps and Secrets (and pull secrets) of its own namespace only.
 */
export function checkSameNamespace(scope: IConstruct, namespace: string | undefined, pod: kplus.AbstractPod): void {
  const podNamespace = pod.metadata.namespace;
  if (namespace !== podNamespace) {
    throw ValidationError.of(scope, 'namespace', namespace ?? '(none)',
      `differs from the namespace "${podNamespace ?? '(none)'}" of ${pod.node.path}; a pod can use ConfigMaps and Secrets of its own namespace only: give both the same namespace`);
  }
}

/** A DNS-label volume name unique within the pod. */
export function nextVolumeName(pod: kplus.AbstractPod, prefix: string, hint: string): string {
  const s = stateOf(pod);
  const n = s.volumes++;
  const base = `${prefix}-${hint.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 55).replace(/-+$/, '');
  return `${base}-${n}`;
}

/** Whether a mounted volume is projected by the kubelet read-only (ConfigMap, Secret, projected, downward API). */
function isReadOnlyProjection(v: kplus.Volume): boolean {
  const k = volumeJson(v);
  return Boolean(k.configMap || k.secret || k.projected || k.downwardApi || k.downwardAPI);
}

function within(child: string, parent: string): boolean {
  return child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

/**
 * Throws when `path` cannot be mounted in the container: another mount at the
 * same path; a file mount with other mounts under it; anything under a
 * read-only ConfigMap/Secret volume; a directory mount that would cover other
 * mounts (the kubelet cannot create their mount points in a read-only volume).
 */
export function checkMountPath(scope: IConstruct, field: string, container: kplus.Container, path: string, file: boolean): void {
  for (const m of container.mounts) {
    const what = `the mount of volume "${m.volume.name}" at "${m.path}"${m.subPath ? ` (file "${m.subPath}")` : ''}`;
    if (m.path === path) {
      throw ValidationError.of(scope, field, path, `conflicts with ${what} in container "${container.name}": each mount path must be unique`);
    }
    if (within(m.path, path)) {
      throw ValidationError.of(scope, field, path, file
        ? `is a file mount but ${what} in container "${container.name}" is under it`
        : `would cover ${what} in container "${container.name}", and the kubelet cannot create a mount point inside a read-only ConfigMap or Secret volume; mount single files with mountFile instead`);
    }
    if (within(path, m.path) && (m.subPath || isReadOnlyProjection(m.volume))) {
      throw ValidationError.of(scope, field, path,
        `is inside ${what} in container "${container.name}", which is read-only or a single file; choose a path outside it`);
    }
  }
}

/**
 * Records that `keys` ('*' = all) of `source` are mounted in the container;
 * throws when one of them already is.
 */
export function claimKeys(
  scope: IConstruct, field: string, pod: kplus.AbstractPod, container: kplus.Container, source: object, keys: string[]): void {
  const s = stateOf(pod);
  let bySource = s.keyMounts.get(container);
  if (!bySource) s.keyMounts.set(container, bySource = new Map());
  let claimed = bySource.get(source);
  if (!claimed) bySource.set(source, claimed = new Set());
  for (const k of keys) {
    if (claimed.has(k) || claimed.has('*')) {
      throw ValidationError.of(scope, field, k,
        `is already mounted in container "${container.name}"; mount each key once (one file can be read from one path)`);
    }
    if (k === '*' && claimed.size > 0) {
      throw ValidationError.of(scope, field, [...claimed].join(', '),
        `${claimed.size === 1 ? 'is' : 'are'} already mounted in container "${container.name}", and this directory would mount every key again; mount each key once (pass keys to mount the others)`);
    }
  }
  keys.forEach(k => claimed!.add(k));
}

/**
 * Adds a pull secret to the pod's `imagePullSecrets`. cdk8s-plus-27 takes one
 * (`dockerRegistryAuth`); the list is written with one JSON patch that also
 * keeps that one.
 */
export function addPullSecret(pod: kplus.AbstractPod, name: string): void {
  const s = stateOf(pod);
  if (!s.pullSecrets) {
    s.pullSecrets = pod.dockerRegistryAuth ? [{ name: pod.dockerRegistryAuth.name }] : [];
    const obj = ApiObject.of(pod);
    const spec = obj.kind === 'Pod' ? '/spec' : obj.kind === 'CronJob' ? '/spec/jobTemplate/spec/template/spec' : '/spec/template/spec';
    // patches are applied after resolution, with the array as it is at synth time
    obj.addJsonPatch(JsonPatch.add(`${spec}/imagePullSecrets`, s.pullSecrets));
  }
  if (!s.pullSecrets.some(p => p.name === name)) s.pullSecrets.push({ name });
}

/**
 * Moves environment variables to the end of the container's list, so that
 * `$(VAR)` references in them see the variables added since (Kubernetes
 * expands references to earlier variables only). cdk8s-plus-27 renders
 * variables in insertion order and has no API to reorder them.
 */
export function moveEnvToEnd(container: kplus.Container, names: string[]): void {
  moveEnvVariablesToEnd(container.env, names);
}

/**
 * Appends arguments to a container. cdk8s-plus-27 sets `args` only in the
 * constructor (see core/cdk8s-compat).
 */
export function appendArgs(container: kplus.Container, args: string[]): void {
  appendContainerArgs(container, args);
}
