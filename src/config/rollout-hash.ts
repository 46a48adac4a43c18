import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { hmacSha256, sha256 } from './content-hash';
import { HashedSource, stateOf } from './pod-state';
import { SecretHashKey } from './secret-hash-key';
import { Warnings } from '../core/warnings';

// Internal: the pod-template annotations that roll pods when their ConfigMaps or Secrets change.

/** Pod-template annotation with the hash of the ConfigMaps the pod uses. */
export const CONFIG_HASH_ANNOTATION = 'cdk8s-paas.io/config-hash';
/** Pod-template annotation with the keyed hash (HMAC) of the Secrets the pod uses. */
export const SECRET_HASH_ANNOTATION = 'cdk8s-paas.io/secret-hash';

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

