import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { stateOf } from './pod-state';
import { volumeJson } from '../core/cdk8s-compat';
import { ValidationError } from '../core/errors';

// Internal: mount paths and mounted keys that would clash in a container.

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

