import * as fs from 'fs';
import * as zlib from 'zlib';
import { dataPath } from './data';
import { ValidationError } from '../errors';
import { KubeVersion } from '../platform/kube-version';

/**
 * The folder of data/ that holds one gzipped JSON file per Kubernetes minor
 * version, `k8s-<major>.<minor>.json.gz`: `{ "version", "source", "definitions" }`,
 * the version's OpenAPI definitions without their descriptions (validation
 * never reads them; `scripts/gen-schemas.ts` writes the files).
 */
export const SCHEMA_DIR = 'k8s';

const loaded = new Map<string, { [name: string]: any }>();
let shipped: KubeVersion[] | undefined;

/** The file (relative to data/) holding the definitions of `version`. */
export function schemaFile(version: KubeVersion): string {
  return `${SCHEMA_DIR}/k8s-${version.minorString}.json.gz`;
}

/** The Kubernetes versions whose schema the package ships, oldest first. */
export function shippedSchemaVersions(): KubeVersion[] {
  shipped ??= fs.readdirSync(dataPath(SCHEMA_DIR))
    .map(f => /^k8s-(\d+\.\d+)\.json\.gz$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(v => KubeVersion.parse(v))
    .sort((a, b) => a.compare(b));
  return shipped;
}

/** True when the package ships the schema of `version` (by major.minor). */
export function hasSchema(version: KubeVersion): boolean {
  return shippedSchemaVersions().some(v => v.compare(KubeVersion.parse(version.minorString)) === 0);
}

/**
 * Throws the library's ValidationError unless the package ships the schema of `version`.
 *
 * @param version the target version
 * @param path who asks (construct path or 'kubeVersion')
 */
export function assertSchema(version: KubeVersion, path = 'kubeVersion'): void {
  if (hasSchema(version)) return;
  const all = shippedSchemaVersions();
  const range = all.length > 0 ? `${all[0].minorString} to ${all[all.length - 1].minorString}` : 'none';
  throw new ValidationError(ValidationError.format(path, 'kubeVersion', version.toString(),
    `has no Kubernetes schema in cdk8s-paas, so its manifests cannot be validated: target one of the shipped versions ${range}`), path, 'kubeVersion');
}

/**
 * The OpenAPI definitions of one Kubernetes version (without descriptions),
 * decompressed on first need and cached for the process.
 *
 * @throws ValidationError when the package has no schema for the version
 */
export function k8sDefinitions(version: KubeVersion): { [name: string]: any } {
  const key = version.minorString;
  let defs = loaded.get(key);
  if (!defs) {
    assertSchema(version);
    defs = JSON.parse(zlib.gunzipSync(fs.readFileSync(dataPath(schemaFile(version)))).toString('utf-8')).definitions as { [name: string]: any };
    loaded.set(key, defs);
  }
  return defs;
}

/**
 * A schema without its `description`s (a property named `description` is
 * kept): what the shipped files hold.
 */
export function withoutDescriptions(schema: any): any {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' && typeof v === 'string') continue;
    out[k] = k === 'properties' && v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, withoutDescriptions(pv)]))
      : withoutDescriptions(v);
  }
  return out;
}

/**
 * The content of `data/k8s/k8s-<version>.json.gz` for the reference
 * `_definitions.json` of that version (for `scripts/gen-schemas.ts` and the
 * test that keeps the shipped files current).
 *
 * @param version e.g. '1.28'
 * @param reference the parsed `_definitions.json`
 * @param source where it came from
 */
export function compactSchema(version: string, reference: any, source: string): Buffer {
  const json = JSON.stringify({ version, source, definitions: withoutDescriptions(reference.definitions) });
  return zlib.gzipSync(json, { level: 9 });
}

/** A persisted resource kind a Kubernetes version serves, with the API versions serving it (internal). */
export interface ServedKind {
  /** API group, '' for the core group. */
  readonly group: string;
  /** e.g. 'FlowSchema'. */
  readonly kind: string;
  /** The versions of the group that serve it, most preferred first (GA, then beta, then alpha; newest first). */
  readonly versions: string[];
}

const servedCache = new Map<string, Map<string, ServedKind>>();

/**
 * The resource kinds `version` stores (kinds with a `<Kind>List`), keyed by
 * `group/kind`, from its shipped definitions.
 */
export function servedKinds(version: KubeVersion): Map<string, ServedKind> {
  const key = version.minorString;
  let out = servedCache.get(key);
  if (out) return out;
  const gvks = new Set<string>();
  const tops: Array<{ group: string; version: string; kind: string }> = [];
  for (const def of Object.values<any>(k8sDefinitions(version))) {
    if (!def.properties?.apiVersion || !def.properties?.kind) continue;
    for (const g of def['x-kubernetes-group-version-kind'] ?? []) {
      gvks.add(`${g.group}/${g.version}/${g.kind}`);
      tops.push(g);
    }
  }
  out = new Map();
  for (const g of tops) {
    if (g.kind.endsWith('List') || !gvks.has(`${g.group}/${g.version}/${g.kind}List`)) continue;
    const k = `${g.group}/${g.kind}`;
    const prev = out.get(k);
    const versions = [...new Set([...(prev?.versions ?? []), g.version])].sort(compareApiVersions);
    out.set(k, { group: g.group, kind: g.kind, versions });
  }
  servedCache.set(key, out);
  return out;
}

/** Kubernetes API version priority (v1 > v1beta2 > v1beta1 > v1alpha1), most preferred first. */
export function compareApiVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
  return a.localeCompare(b);
}
