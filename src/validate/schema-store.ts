import * as fs from 'fs';
import * as zlib from 'zlib';
import { dataPath } from './data';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';

/**
 * The folder of data/ with the Kubernetes OpenAPI definitions (descriptions
 * removed: validation never reads them), written by `scripts/gen-schemas.ts`:
 * - `k8s-1.27.json.gz`: the default version's, `{ version, source, definitions }`;
 * - `k8s-versions.json.gz`: every other version as the difference to it,
 *   `{ base, versions: { "1.28": { source, changed: { name: definition }, removed: [name] } } }`
 *   (one gzip stream, so what the versions share is stored once).
 */
export const SCHEMA_DIR = 'k8s';
/** The file (in data/) holding the default version's definitions. */
export const BASE_SCHEMA_FILE = `${SCHEMA_DIR}/k8s-${KubeVersion.DEFAULT.minorString}.json.gz`;
/** The file (in data/) holding the other versions, as differences to the default one. */
export const VERSIONS_SCHEMA_FILE = `${SCHEMA_DIR}/k8s-versions.json.gz`;

const loaded = new Map<string, { [name: string]: any }>();
let bundle: { base: string; versions: { [minor: string]: { changed: { [name: string]: any }; removed: string[] } } } | undefined;
let shipped: KubeVersion[] | undefined;

function readGzipJson(file: string): any {
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(dataPath(file))).toString('utf-8'));
}

function versionsBundle(): NonNullable<typeof bundle> {
  bundle ??= readGzipJson(VERSIONS_SCHEMA_FILE);
  return bundle!;
}

/** The Kubernetes versions whose schema the package ships, oldest first. */
export function shippedSchemaVersions(): KubeVersion[] {
  shipped ??= [KubeVersion.DEFAULT.minorString, ...Object.keys(versionsBundle().versions)]
    .map(v => KubeVersion.parse(v))
    .sort((a, b) => a.compare(b));
  return shipped;
}

/** True when the package ships the schema of `version` (by major.minor). */
export function hasSchema(version: KubeVersion): boolean {
  // the default version never needs the other versions' file
  if (version.minorString === KubeVersion.DEFAULT.minorString) return true;
  return Object.prototype.hasOwnProperty.call(versionsBundle().versions, version.minorString);
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
  const range = `${all[0].minorString} to ${all[all.length - 1].minorString}`;
  throw ValidationError.unscoped(path, 'kubeVersion', version.toString(),
    `has no Kubernetes schema in cdk8s-paas, so its manifests cannot be validated: target one of the shipped versions ${range}`);
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
    const base = KubeVersion.DEFAULT.minorString;
    if (key === base) {
      defs = readGzipJson(BASE_SCHEMA_FILE).definitions as { [name: string]: any };
    } else {
      const diff = versionsBundle().versions[key];
      const all: { [name: string]: any } = { ...k8sDefinitions(KubeVersion.DEFAULT), ...diff.changed };
      for (const name of diff.removed) delete all[name];
      defs = all;
    }
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
 * The files of data/k8s/ for the reference definitions of each version (for
 * `scripts/gen-schemas.ts`): file name (in data/) to gzipped content.
 *
 * @param references version ('1.28') to the parsed `_definitions.json` and where it came from
 */
export function compactSchemas(references: { [minor: string]: { readonly definitions: any; readonly source: string } }): { [file: string]: Buffer } {
  const base = KubeVersion.DEFAULT.minorString;
  const strip = (minor: string): { [name: string]: any } => withoutDescriptions(references[minor].definitions.definitions);
  const baseDefs = strip(base);
  const versions: { [minor: string]: any } = {};
  for (const minor of Object.keys(references).filter(v => v !== base).sort((a, b) => KubeVersion.parse(a).compare(KubeVersion.parse(b)))) {
    const defs = strip(minor);
    const changed: { [name: string]: any } = {};
    for (const [name, def] of Object.entries(defs)) {
      if (JSON.stringify(baseDefs[name]) !== JSON.stringify(def)) changed[name] = def;
    }
    versions[minor] = { source: references[minor].source, changed, removed: Object.keys(baseDefs).filter(n => !(n in defs)) };
  }
  const gz = (v: any) => zlib.gzipSync(JSON.stringify(v), { level: 9 });
  return {
    [BASE_SCHEMA_FILE]: gz({ version: base, source: references[base].source, definitions: baseDefs }),
    [VERSIONS_SCHEMA_FILE]: gz({ base, versions }),
  };
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
