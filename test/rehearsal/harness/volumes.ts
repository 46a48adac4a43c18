// What the kubelet does before it starts a pod's containers: materialize the
// pod's volumes from the synthesized objects, work out each container's mounts
// and environment.
import * as fs from 'fs';
import * as path from 'path';
import { RehearsalError } from './errors';

/** A pod volume made into a host directory. */
export interface MaterializedVolume {
  readonly name: string;
  /** emptyDir, configMap or secret (or the type an empty directory stands in for, see `VolumeStandIns`). */
  readonly type: string;
  /** Set when the volume is a stand-in (`VolumeStandIns`): what stands in for it. */
  readonly standIn?: string;
  readonly hostPath: string;
  /** configMap and secret volumes are always mounted read-only (as by the kubelet). */
  readonly alwaysReadOnly: boolean;
}

/** One bind mount of a container. */
export interface ContainerMount {
  readonly hostPath: string;
  readonly containerPath: string;
  readonly readOnly: boolean;
  /** The volume it comes from. */
  readonly volume: string;
}

/** The synthesized objects a pod refers to, and the pod's namespace. */
export interface PodContext {
  readonly manifests: any[];
  /** The pod's namespace: ConfigMaps and Secrets are looked up in it. */
  readonly namespace?: string;
  /** The pod's name (for `fieldRef: metadata.name`). */
  readonly podName: string;
}

const DEFAULT_MODE = 0o644;

/**
 * Volume types the rehearsal cannot materialize (persistentVolumeClaim, csi,
 * nfs, …), each made an empty directory instead, explicitly: volume type →
 * `'emptyDir'`. The volume source's `readOnly` is honoured. Without a row, such
 * a volume is an error. What the real volume holds (data on the NFS export, the
 * CSI driver's files) is not reproduced, only that the pod starts with a
 * directory there.
 */
export interface VolumeStandIns {
  readonly [volumeType: string]: 'emptyDir';
}

const MATERIALIZED = ['emptyDir', 'configMap', 'secret'];

/** The ConfigMap or Secret `name` in the pod's namespace, or undefined. */
export function findSource(ctx: PodContext, kind: 'ConfigMap' | 'Secret', name: string): any {
  return ctx.manifests.find(m => m?.kind === kind && m.metadata?.name === name
    && (m.metadata?.namespace ?? ctx.namespace) === ctx.namespace);
}

/** The key → bytes of a ConfigMap (data, binaryData) or Secret (data base64, stringData). */
export function sourceData(obj: any): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (obj.kind === 'Secret') {
    for (const [k, v] of Object.entries(obj.data ?? {})) out.set(k, Buffer.from(String(v), 'base64'));
    for (const [k, v] of Object.entries(obj.stringData ?? {})) out.set(k, Buffer.from(String(v), 'utf8'));
  } else {
    for (const [k, v] of Object.entries(obj.data ?? {})) out.set(k, Buffer.from(String(v), 'utf8'));
    for (const [k, v] of Object.entries(obj.binaryData ?? {})) out.set(k, Buffer.from(String(v), 'base64'));
  }
  return out;
}

function checkRelative(what: string, p: string): string {
  if (p.startsWith('/') || p.split('/').includes('..') || p === '') {
    throw new RehearsalError(`${what}: "${p}" must be a relative path without ".."`);
  }
  return p;
}

/**
 * Makes every volume of a pod spec a directory under `dir`: emptyDir → an empty
 * directory (mode 0777, like the kubelet's); configMap / secret → one file per
 * key (or per `items` entry, at its `path`), with `items[].mode` or
 * `defaultMode` (default 0644). Fails, as the kubelet would keep the pod
 * pending, when a referenced ConfigMap / Secret / key is missing and not optional.
 * Other types fail too unless `standIns` maps their type to an empty
 * directory; each such stand-in is reported through `note`.
 */
export function materializeVolumes(podSpec: any, ctx: PodContext, dir: string, standIns: VolumeStandIns = {},
  note: (message: string) => void = () => undefined): Map<string, MaterializedVolume> {
  const out = new Map<string, MaterializedVolume>();
  for (const vol of podSpec.volumes ?? []) {
    const hostPath = path.join(dir, vol.name);
    fs.mkdirSync(hostPath, { recursive: true });
    if (vol.emptyDir) {
      fs.chmodSync(hostPath, 0o777);
      out.set(vol.name, { name: vol.name, type: 'emptyDir', hostPath, alwaysReadOnly: false });
    } else if (vol.configMap || vol.secret) {
      const kind = vol.configMap ? 'ConfigMap' : 'Secret';
      const src = vol.configMap ?? vol.secret;
      const objName = vol.configMap ? src.name : src.secretName;
      writeKeys(`volume "${vol.name}"`, ctx, kind, objName, src, hostPath);
      out.set(vol.name, { name: vol.name, type: vol.configMap ? 'configMap' : 'secret', hostPath, alwaysReadOnly: true });
    } else {
      const type = Object.keys(vol).filter(k => k !== 'name').join(', ');
      if (standIns[type] !== 'emptyDir') {
        throw new RehearsalError(`volume "${vol.name}": ${type} volumes are not supported by the rehearsal (supported: ${MATERIALIZED.join(', ')}; `
          + `an explicit volumeStandIns: { ${type}: 'emptyDir' } makes it an empty directory)`);
      }
      fs.chmodSync(hostPath, 0o777);
      const readOnly = Boolean(vol[type]?.readOnly);
      note(`volume "${vol.name}" (${type}) stands in as an empty directory${readOnly ? ', read-only' : ''}: its real content is not rehearsed`);
      out.set(vol.name, { name: vol.name, type, standIn: 'emptyDir', hostPath, alwaysReadOnly: readOnly });
    }
  }
  return out;
}

function writeKeys(what: string, ctx: PodContext, kind: 'ConfigMap' | 'Secret', name: string, src: any, hostPath: string): void {
  const obj = findSource(ctx, kind, name);
  if (!obj) {
    if (src.optional) return;
    throw new RehearsalError(`${what}: ${kind} "${name}" is not among the synthesized objects of namespace "${ctx.namespace ?? ''}" and the volume is not optional`);
  }
  const data = sourceData(obj);
  const defaultMode = src.defaultMode ?? DEFAULT_MODE;
  const items: Array<{ key: string; path: string; mode?: number }> = src.items ?? [...data.keys()].map(key => ({ key, path: key }));
  for (const item of items) {
    const bytes = data.get(item.key);
    if (bytes === undefined) {
      if (src.optional) continue;
      throw new RehearsalError(`${what}: key "${item.key}" is not in ${kind} "${name}" (keys: ${[...data.keys()].join(', ') || 'none'})`);
    }
    const file = path.join(hostPath, checkRelative(`${what}: items[].path`, item.path));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    fs.chmodSync(file, item.mode ?? defaultMode);
  }
}

/**
 * A container's mounts: each volumeMount bound from its volume's directory, or
 * from `subPath` inside it (created as a directory when missing, as the
 * kubelet does, which is how a misspelt config key becomes an empty directory
 * where a file was expected). Sorted parents first.
 */
export function containerMounts(container: any, volumes: Map<string, MaterializedVolume>, env: { [name: string]: string }): ContainerMount[] {
  const mounts = (container.volumeMounts ?? []).map((m: any) => {
    const vol = volumes.get(m.name);
    if (!vol) {
      throw new RehearsalError(`container "${container.name}": volumeMounts: "${m.name}" is not a volume of the pod`);
    }
    const sub = m.subPathExpr !== undefined ? expandVars(m.subPathExpr, env) : m.subPath;
    let hostPath = vol.hostPath;
    if (sub) {
      hostPath = path.join(vol.hostPath, checkRelative(`container "${container.name}": volumeMounts[${m.name}].subPath`, sub));
      if (!fs.existsSync(hostPath)) fs.mkdirSync(hostPath, { recursive: true, mode: 0o777 });
    }
    return { hostPath, containerPath: m.mountPath, readOnly: Boolean(m.readOnly) || vol.alwaysReadOnly, volume: m.name };
  });
  return mounts.sort((a: ContainerMount, b: ContainerMount) => depth(a.containerPath) - depth(b.containerPath));
}

function depth(p: string): number {
  return p.split('/').filter(Boolean).length;
}

/** Kubernetes' `$(VAR)` expansion: defined names are replaced, `$$` is a literal `$`, the rest stays. */
export function expandVars(s: string, vars: { [name: string]: string }): string {
  return s.replace(/\$\$|\$\(([^)]*)\)/g, (m, name) => (m === '$$' ? '$' : (name in vars ? vars[name] : m)));
}

/**
 * A container's environment as the kubelet computes it: `envFrom` (with
 * prefix), then `env` in order (values with `$(VAR)` expansion, valueFrom
 * configMapKeyRef / secretKeyRef / fieldRef), laid over the image's env.
 */
export function containerEnv(container: any, ctx: PodContext, imageEnv: { [name: string]: string }): { [name: string]: string } {
  const own: { [name: string]: string } = {};
  const what = `container "${container.name}"`;
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const obj = findSource(ctx, kind, ref.name);
    if (!obj) {
      if (ref.optional) continue;
      throw new RehearsalError(`${what}: envFrom: ${kind} "${ref.name}" is not among the synthesized objects`);
    }
    for (const [k, v] of sourceData(obj)) own[`${from.prefix ?? ''}${k}`] = v.toString('utf8');
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom === undefined) {
      own[e.name] = expandVars(e.value ?? '', own);
      continue;
    }
    const value = valueFrom(`${what}: env ${e.name}`, e.valueFrom, ctx);
    if (value !== undefined) own[e.name] = value;
  }
  return { ...imageEnv, ...own };
}

function valueFrom(what: string, vf: any, ctx: PodContext): string | undefined {
  const keyRef = vf.configMapKeyRef ?? vf.secretKeyRef;
  if (keyRef) {
    const kind = vf.configMapKeyRef ? 'ConfigMap' : 'Secret';
    const obj = findSource(ctx, kind, keyRef.name);
    const v = obj ? sourceData(obj).get(keyRef.key) : undefined;
    if (v === undefined && !keyRef.optional) {
      throw new RehearsalError(`${what}: ${kind} "${keyRef.name}" ${obj ? `has no key "${keyRef.key}"` : 'is not among the synthesized objects'}`);
    }
    return v?.toString('utf8');
  }
  if (vf.fieldRef) {
    const fields: { [p: string]: string | undefined } = {
      'metadata.name': ctx.podName,
      'metadata.namespace': ctx.namespace ?? 'default',
      'status.podIP': '127.0.0.1',
      'spec.nodeName': 'rehearsal',
      'spec.serviceAccountName': 'default',
    };
    const v = fields[vf.fieldRef.fieldPath];
    if (v === undefined) throw new RehearsalError(`${what}: fieldRef "${vf.fieldRef.fieldPath}" is not supported by the rehearsal`);
    return v;
  }
  throw new RehearsalError(`${what}: valueFrom ${Object.keys(vf).join(', ')} is not supported by the rehearsal`);
}
