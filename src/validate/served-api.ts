import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ApiRemoval, ApiRemovals } from './api-removals';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';

/** One API to migrate a removed one to (internal). */
export interface ReplacementOption {
  /** e.g. `flowcontrol.apiserver.k8s.io/v1beta3`. */
  readonly apiVersion: string;
  /** The first version that serves it, when recorded. */
  readonly since?: KubeVersion;
}

/**
 * The replacements of a removed API, with the first version serving each:
 * `"a (since v1.29) or b (since v1.26)"` with `"v1.29 / v1.26"` gives a@1.29 and b@1.26.
 * Empty when there is no replacement API (PodSecurityPolicy).
 */
export function replacementOptions(r: ApiRemoval): ReplacementOption[] {
  const since = (r.replacementAvailableSince ?? '').split(' / ');
  return r.replacement.split(' or ').flatMap((p, i) => {
    const apiVersion = p.trim().split(' ')[0];
    if (!/^([a-z0-9.-]+\/)?v\d+\w*$/.test(apiVersion)) return [];
    const v = /(\d+\.\d+)/.exec(since[i] ?? since[0] ?? '')?.[1];
    return [{ apiVersion, since: v ? KubeVersion.parse(v) : undefined }];
  });
}

/**
 * The first Kubernetes version that serves `apiVersion`/`kind`, as far as the
 * Deprecated API Migration Guide (data/api-removals.json) records it: the
 * `replacement_available_since` of a removed API whose replacement it is
 * (`policy/v1` PodDisruptionBudget: 1.21). Undefined when nothing is recorded
 * (an API older than the table, such as `v1` ConfigMap).
 */
export function servedSince(apiVersion: string, kind: string): KubeVersion | undefined {
  let first: KubeVersion | undefined;
  for (const r of ApiRemovals.all().filter(x => x.kind === kind)) {
    for (const o of replacementOptions(r)) {
      if (o.apiVersion === apiVersion && o.since && (!first || o.since.isOlderThan(first))) first = o.since;
    }
  }
  return first;
}

/**
 * Why `version` does not serve `apiVersion`/`kind` (not served yet, or
 * removed), or undefined when it does (or nothing says otherwise).
 */
export function notServedReason(apiVersion: string, kind: string, version: KubeVersion): string | undefined {
  const since = servedSince(apiVersion, kind);
  if (since && version.isOlderThan(since)) {
    return `is not served for ${kind} by the target Kubernetes ${version.minorString}: it is served from ${since.minorString}; target ${since.minorString} or newer`;
  }
  const removed = ApiRemovals.removedIn(apiVersion, kind, version);
  if (removed) {
    return `is not served for ${kind} by the target Kubernetes ${version.minorString}: removed in ${removed.removedIn}; use ${removed.replacement}`;
  }
  return undefined;
}

/**
 * Registers a validation on an ApiObject the library emits: synth fails when
 * the target version (`KubeVersion.of(obj)`) does not serve its
 * apiVersion/kind, instead of writing a manifest the cluster rejects.
 */
export function requireServedApi(obj: ApiObject): void {
  obj.node.addValidation({
    validate: () => {
      const reason = notServedReason(obj.apiVersion, obj.kind, KubeVersion.of(obj));
      return reason ? [ValidationError.format(obj.node.path, 'apiVersion', obj.apiVersion, reason)] : [];
    },
  });
}

/**
 * Throws the library's ValidationError when the target version of `scope` is
 * older than `since`: for a field or feature the library emits that older
 * versions do not have (sidecar containers, init containers with
 * `restartPolicy: Always`, need 1.28).
 *
 * @param scope the construct that emits the feature
 * @param field the prop or field that asks for it
 * @param feature what it is, e.g. 'sidecar containers (init container restartPolicy "Always")'
 * @param since the first version that has it
 */
export function requireKubeVersion(scope: IConstruct, field: string, feature: string, since: KubeVersion): void {
  const version = KubeVersion.of(scope);
  if (version.isOlderThan(since)) {
    throw ValidationError.of(scope, field, version.toString(),
      `is the target Kubernetes version, which has no ${feature}: they need ${since.minorString} or newer`);
  }
}
