import * as fs from 'fs';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import * as YAML from 'yaml';
import { dataPath } from './data';
import { assertSchema, k8sDefinitions } from './schema-store';
import { closestName } from '../core/checks';
import { KubeVersion } from '../core/kube-version';

/** Calico's v3 API has the same spec shape as its crd.projectcalico.org/v1 CRDs. */
const CRD_ALIASES: { [group: string]: string } = { 'crd.projectcalico.org': 'projectcalico.org/v3' };
/**
 * The kinds the library emits most, whose validators are precompiled (ajv
 * standalone code generated at build time, `npx projen gen:validators`, into
 * `data/validators/k8s-1.27.js`): no schema to load nor compile at synth for
 * them. Any other kind is compiled at run time, with the same options.
 */
export const PRECOMPILED_KINDS = [
  'apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'v1/Service', 'policy/v1/PodDisruptionBudget',
  'v1/ConfigMap', 'v1/Secret', 'v1/ServiceAccount', 'v1/Namespace', 'v1/PersistentVolumeClaim',
  'networking.k8s.io/v1/NetworkPolicy', 'projectcalico.org/v3/NetworkPolicy', 'monitoring.coreos.com/v1/ServiceMonitor',
];
/** The precompiled validators, in data/. */
export const PRECOMPILED_FILE = `validators/k8s-${KubeVersion.DEFAULT.minorString}.js`;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const goRegExp: ((pattern: string, flags?: string) => RegExp) & { code: string } = require(dataPath('validators/go-regexp.js')).goRegExp;
const OBJECT_META = { $ref: 'urn:cdk8s-paas:k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };

/** One problem found in one manifest. */
export interface SchemaFinding {
  /** JSON pointer into the object, e.g. `/spec/template/spec/containers/0/foo`. */
  readonly pointer: string;
  /** What is wrong. */
  readonly message: string;
}

/** A schema finding with what a precise message needs (internal). */
export interface DetailedSchemaFinding extends SchemaFinding {
  /** What kind of problem it is. */
  readonly keyword: 'unknown-field' | 'type' | 'required' | 'enum' | 'unknown-kind' | 'not-an-object' | 'other';
  /** Whether the field exists in the object (false for a missing required field). */
  readonly present: boolean;
  /** The offending value, when present. */
  readonly value?: unknown;
  /** The close known field name, for an unknown field. */
  readonly suggestion?: string;
}

/**
 * Strict JSON-schema validation of Kubernetes objects: the OpenAPI
 * definitions of one Kubernetes version (the target's own, shipped compactly
 * in data/k8s/ and loaded on first need) with `additionalProperties: false`
 * added to every object type, so an unknown field is an error. CRD schemas
 * can be added.
 *
 * Compiled lazily per kind and cached for the process; the validators of the
 * default version's most used kinds are precompiled.
 */
export class SchemaValidator {
  /** The process-wide validator of the default version's definitions (`KubeVersion.DEFAULT`, 1.27). */
  public static k8s(): SchemaValidator {
    return SchemaValidator.forVersion(KubeVersion.DEFAULT);
  }

  /**
   * The process-wide validator of one Kubernetes version's definitions.
   *
   * @param version the target version (by major.minor)
   * @throws ValidationError when the package ships no schema for it
   */
  public static forVersion(version: KubeVersion): SchemaValidator {
    const key = version.minorString;
    let v = SchemaValidator.instances.get(key);
    if (!v) {
      assertSchema(version);
      const minor = KubeVersion.parse(key);
      v = new SchemaValidator(false, minor.compare(KubeVersion.DEFAULT) === 0, minor);
      SchemaValidator.instances.set(key, v);
    }
    return v;
  }

  private static readonly instances = new Map<string, SchemaValidator>();

  private loadedAjv?: Ajv;
  private readonly kinds = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private crdsLoaded = false;
  private readonly crdFilesLoaded = new Set<string>();
  private loadingShipped = false;
  /** The precompiled validators (loaded on first need); none when generating them. */
  private precompiled?: { [key: string]: ValidateFunction };
  private readonly precompiledUsed = new Set<string>();
  /** Keys a custom resource was registered for before their precompiled validator was used. */
  private readonly precompiledOff = new Set<string>();

  /**
   * @param standalone an ajv that keeps the source of its validators, for `precompiledValidatorsCode`
   * @param usePrecompiled use the precompiled validators (tests compare with runtime compilation); only the default version has them
   * @param kubeVersion whose definitions
   */
  private constructor(private readonly standalone = false, private readonly usePrecompiled = !standalone,
    /** The Kubernetes version whose definitions this validator checks against. */
    public readonly kubeVersion: KubeVersion = KubeVersion.DEFAULT) {
    if (usePrecompiled && kubeVersion.compare(KubeVersion.DEFAULT) !== 0) {
      throw new Error(`precompiled validators exist only for Kubernetes ${KubeVersion.DEFAULT.minorString}`);
    }
  }

  /** The ajv with the Kubernetes definitions, loaded on first need (not needed for precompiled kinds). */
  private get ajv(): Ajv {
    if (!this.loadedAjv) this.loadedAjv = this.loadDefinitions();
    return this.loadedAjv;
  }

  private loadDefinitions(): Ajv {
    const defs = strictDefinitions(k8sDefinitions(this.kubeVersion));
    // Compiling the strict Kubernetes schemas was most of a synth's validation
    // cost (a Deployment pulls in all of PodSpec; the kinds of PRECOMPILED_KINDS
    // no longer need it): skip ajv's code optimizer,
    // which halves compile time and does not slow validation measurably (see
    // BENCHMARKS.md), and the meta-schema check of the shipped definitions.
    // `source` keeps each validator's code for ajv's standalone output; it does not change what they check
    const code = { regExp: goRegExp, optimize: false, source: this.standalone };
    const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateFormats: false, code: code as any });
    ajv.addSchema({ $id: 'urn:cdk8s-paas:k8s', definitions: defs }, undefined, undefined, false);
    for (const [name, def] of Object.entries<any>(defs)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        // only the top-level kinds (those with apiVersion/kind properties)
        if (def.properties?.apiVersion && def.properties?.kind) {
          this.kinds.set(`${apiVersion}/${gvk.kind}`, `urn:cdk8s-paas:k8s#/definitions/${name}`);
        }
      }
    }
    return ajv;
  }

  /**
   * Register the schema of a custom resource (the `openAPIV3Schema` of a CRD
   * version), made strict like the built-in kinds.
   *
   * @param apiVersion e.g. 'crd.projectcalico.org/v1'
   * @param kind e.g. 'NetworkPolicy'
   * @param schema the openAPIV3Schema
   */
  public addCustomResource(apiVersion: string, kind: string, schema: any): void {
    const id = `urn:cdk8s-paas:crd:${apiVersion}/${kind}`;
    const key = `${apiVersion}/${kind}`;
    if (!this.loadingShipped) {
      // what runtime compilation would do: a kind already validated keeps its validator, with the shipped
      // CRD files it loaded; any other kind gets the schema registered here, so not its precompiled validator
      for (const used of this.precompiledUsed) this.refOf(used);
      if (!this.precompiledUsed.has(key)) this.precompiledOff.add(key);
    }
    if (!this.ajv.getSchema(id)) {
      this.ajv.addSchema({ ...strictSchema(schema), $id: id });
    }
    this.kinds.set(key, id);
  }

  /**
   * Register every served version of a CustomResourceDefinition object.
   * Its `metadata` is checked against the Kubernetes ObjectMeta schema.
   *
   * @param crd a parsed `apiextensions.k8s.io/v1` CustomResourceDefinition
   */
  public addCustomResourceDefinition(crd: any): void {
    for (const [apiVersion, kind, schema] of crdSchemas(crd)) this.addCustomResource(apiVersion, kind, schema);
  }

  /**
   * A validator that sees the schemas of this one (read-only) plus the
   * CustomResourceDefinitions registered on it alone: an app's own CRDs.
   */
  public overlay(): SchemaOverlay {
    return SchemaOverlay._of(this, (schema: any) => this.ajv.compile(strictSchema(schema)));
  }

  /** True when a schema is known for `apiVersion`/`kind`. */
  public knows(apiVersion: string, kind: string): boolean {
    return this.refOf(`${apiVersion}/${kind}`) !== undefined;
  }

  private refOf(key: string): string | undefined {
    void this.ajv; // the Kubernetes kinds
    const ref = this.kinds.get(key);
    if (ref || this.crdsLoaded) return ref;
    // the shipped CRDs (Calico, prometheus-operator) are parsed on first need:
    // first the one file named after the kind (`<group>_<plural>.yaml`), then all
    const likely = this.crdFileFor(key);
    if (likely) {
      this.loadCrdFile(likely);
      const found = this.kinds.get(key);
      if (found) return found;
    }
    this.crdsLoaded = true;
    for (const f of fs.readdirSync(dataPath('crds')).filter(n => n.endsWith('.yaml')).sort()) this.loadCrdFile(f);
    return this.kinds.get(key);
  }

  /** The shipped CRD file that should define `apiVersion/kind`, if there is one. */
  private crdFileFor(key: string): string | undefined {
    const m = /^((.+)\/[^/]+)\/([A-Za-z0-9]+)$/.exec(key);
    if (!m) return undefined;
    const [, apiVersion, group, kind] = m;
    const lower = kind.toLowerCase();
    const plural = lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
    const groups = [group, ...Object.keys(CRD_ALIASES).filter(g => CRD_ALIASES[g] === apiVersion)];
    return groups.map(g => `${g}_${plural}.yaml`).find(f => fs.existsSync(dataPath(`crds/${f}`)));
  }

  private loadCrdFile(file: string): void {
    if (this.crdFilesLoaded.has(file)) return;
    this.crdFilesLoaded.add(file);
    this.loadingShipped = true;
    try {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(dataPath(`crds/${file}`), 'utf-8'))) {
        const crd = doc.toJSON();
        if (crd?.kind === 'CustomResourceDefinition') this.addCustomResourceDefinition(crd);
      }
    } finally {
      this.loadingShipped = false;
    }
  }

  /** The precompiled validator of `key`, if there is one and nothing registered since replaces its schema. */
  private precompiledFor(key: string): ValidateFunction | undefined {
    if (!this.usePrecompiled || this.precompiledOff.has(key)) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.precompiled ??= require(dataPath(PRECOMPILED_FILE)) as { [key: string]: ValidateFunction };
    const fn = Object.prototype.hasOwnProperty.call(this.precompiled, key) ? this.precompiled[key] : undefined;
    if (fn) this.precompiledUsed.add(key);
    return fn;
  }

  /**
   * ajv standalone code (CommonJS) exporting the validator of each of `keys`
   * (apiVersion/kind) under its key; for `precompiledValidatorsCode`.
   */
  public standaloneCode(keys: string[]): string {
    const refs: { [key: string]: string } = {};
    for (const key of keys) {
      const ref = this.refOf(key);
      if (!ref) throw new Error(`no schema for ${key}`);
      refs[key] = ref;
    }
    return standaloneCode(this.ajv, refs);
  }

  /**
   * Validate one object. An unknown apiVersion/kind is itself a finding.
   */
  public validate(obj: any): SchemaFinding[] {
    return this.validateDetailed(obj).map(f => ({ pointer: f.pointer, message: f.message }));
  }

  /**
   * Validate one object, with the value, the kind of problem and a suggestion
   * for unknown fields (what `ManifestValidator` builds its messages from).
   */
  public validateDetailed(obj: any): DetailedSchemaFinding[] {
    if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      return [{ pointer: '', message: 'is not a Kubernetes object: apiVersion and kind must be strings', keyword: 'not-an-object', present: true }];
    }
    const key = `${obj.apiVersion}/${obj.kind}`;
    let fn = this.compiled.get(key) ?? this.precompiledFor(key);
    if (!fn) {
      const ref = this.refOf(key);
      if (!ref) {
        return [{ pointer: '', message: `unknown apiVersion/kind "${key}": no Kubernetes ${this.kubeVersion.minorString} or registered custom resource schema defines it`, keyword: 'unknown-kind', present: true }];
      }
      fn = this.ajv.getSchema(ref)!;
    }
    this.compiled.set(key, fn);
    return runValidator(fn, obj);
  }
}

/**
 * The shipped and registered schemas of a `SchemaValidator`, read-only, plus
 * CustomResourceDefinitions seen by this overlay alone (one per app synth):
 * an app's CRDs do not leak into another app of the same process.
 */
export class SchemaOverlay {
  /** @internal */
  public static _of(base: SchemaValidator, compile: (schema: any) => ValidateFunction): SchemaOverlay {
    return new SchemaOverlay(base, compile);
  }

  private readonly own = new Map<string, ValidateFunction>();

  private constructor(private readonly base: SchemaValidator, private readonly compile: (schema: any) => ValidateFunction) {}

  /**
   * Register every served version of a CustomResourceDefinition for this overlay only.
   *
   * @param crd a parsed `apiextensions.k8s.io/v1` CustomResourceDefinition
   */
  public addCustomResourceDefinition(crd: any): void {
    for (const [apiVersion, kind, schema] of crdSchemas(crd)) this.own.set(`${apiVersion}/${kind}`, this.compile(schema));
  }

  /**
   * Validate one object against the overlay's CRDs, else the base's schemas.
   *
   * @param obj a Kubernetes object
   */
  public validateDetailed(obj: any): DetailedSchemaFinding[] {
    const fn = obj && typeof obj === 'object' ? this.own.get(`${obj.apiVersion}/${obj.kind}`) : undefined;
    return fn ? runValidator(fn, obj) : this.base.validateDetailed(obj);
  }
}

/** The strict schema of each served version of a CRD (with its aliases), as [apiVersion, kind, schema]. */
function crdSchemas(crd: any): Array<[string, string, any]> {
  const group = crd.spec.group;
  const kind = crd.spec.names.kind;
  const out: Array<[string, string, any]> = [];
  for (const v of crd.spec.versions ?? []) {
    const schema = v.schema?.openAPIV3Schema;
    if (!schema || v.served === false) continue;
    const withMeta = calicoRules(group, { ...schema, properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...schema.properties, metadata: OBJECT_META } });
    out.push([`${group}/${v.name}`, kind, withMeta]);
    if (CRD_ALIASES[group]) out.push([CRD_ALIASES[group], kind, withMeta]);
  }
  return out;
}

function runValidator(fn: ValidateFunction, obj: any): DetailedSchemaFinding[] {
  return fn(obj) ? [] : dedupe((fn.errors ?? []).map(describe));
}

function describe(e: ErrorObject): DetailedSchemaFinding {
  const p = e.params as any;
  if (e.keyword === 'additionalProperties') {
    const known = Object.keys(e.parentSchema?.properties ?? {});
    return {
      pointer: `${e.instancePath}/${escapePointer(p.additionalProperty)}`,
      message: `unknown field "${p.additionalProperty}"`,
      keyword: 'unknown-field',
      present: true,
      value: (e.data as any)?.[p.additionalProperty],
      suggestion: closestName(p.additionalProperty, known),
    };
  }
  if (e.keyword === 'required') {
    return { pointer: e.instancePath, message: `missing required field "${p.missingProperty}"`, keyword: 'required', present: false, value: p.missingProperty };
  }
  if (e.keyword === 'enum') {
    return { pointer: e.instancePath, message: `must be one of ${JSON.stringify(p.allowedValues)}`, keyword: 'enum', present: true, value: e.data };
  }
  if (e.keyword === 'type') {
    return { pointer: e.instancePath, message: `must be ${p.type}`, keyword: 'type', present: true, value: e.data };
  }
  return { pointer: e.instancePath, message: e.message ?? e.keyword, keyword: 'other', present: true, value: e.data };
}

function dedupe(findings: DetailedSchemaFinding[]): DetailedSchemaFinding[] {
  const seen = new Map<string, DetailedSchemaFinding>();
  const out: DetailedSchemaFinding[] = [];
  // oneOf/anyOf failures repeat their branches' errors: keep the first of each,
  // and merge the type errors of one field (int-or-string: "must be integer or string")
  for (const f of findings) {
    const typeKey = f.keyword === 'type' ? `${f.pointer}|type` : undefined;
    const prev = typeKey ? seen.get(typeKey) : undefined;
    if (prev && typeKey) {
      const merged = { ...prev, message: `${prev.message} or ${f.message.replace(/^must be /, '')}` };
      out[out.indexOf(prev)] = merged;
      seen.set(typeKey, merged);
      continue;
    }
    const k = typeKey ?? `${f.pointer}|${f.message}`;
    if (seen.has(k)) continue;
    seen.set(k, f);
    out.push(f);
  }
  const composite = /^must match (exactly one schema in oneOf|a schema in anyOf)$/;
  return out.filter(f => !(composite.test(f.message) && out.length > 1));
}

/**
 * calicoctl's validator (calico-v3-api.json) is stricter than the Calico CRD
 * schemas: a rule's action and a policy's types are enums there. Add those
 * enums to the NetworkPolicy / GlobalNetworkPolicy schemas.
 */
function calicoRules(group: string, schema: any): any {
  const spec = schema.properties?.spec;
  if (group !== 'crd.projectcalico.org' || !spec?.properties?.ingress) return schema;
  const rule = (items: any) => items && { ...items, properties: { ...items.properties, action: { type: 'string', enum: ['Allow', 'Deny', 'Log', 'Pass'] } } };
  const props = { ...spec.properties };
  for (const dir of ['ingress', 'egress']) {
    if (props[dir]?.items) props[dir] = { ...props[dir], items: rule(props[dir].items) };
  }
  if (props.types?.items) props.types = { ...props.types, items: { type: 'string', enum: ['Ingress', 'Egress'] } };
  return { ...schema, properties: { ...schema.properties, spec: { ...spec, properties: props } } };
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Adds additionalProperties:false to every object definition that lists properties. */
function strictDefinitions(defs: { [name: string]: any }): { [name: string]: any } {
  const out: { [name: string]: any } = {};
  for (const [name, def] of Object.entries(defs)) {
    out[name] = strictSchema(def);
  }
  return out;
}

function strictSchema(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, strictSchema(pv)]));
    } else if (k === 'description') {
      // not checked, and not worth copying into every precompiled validator's error schema
      continue;
    } else if (k === 'enum' || k === 'required' || k === 'x-kubernetes-group-version-kind') {
      out[k] = v;
    } else {
      out[k] = strictSchema(v);
    }
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  // int-or-string fields of CRDs
  if (out['x-kubernetes-int-or-string'] && !out.type && !out.anyOf && !out.oneOf) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  return out;
}

/**
 * The source of `data/validators/k8s-1.27.js` (the default version's): ajv standalone code of the
 * validators of `PRECOMPILED_KINDS`, compiled with the same options as at run
 * time (`npx projen gen:validators` writes it).
 */
export function precompiledValidatorsCode(): string {
  const v: SchemaValidator = new (SchemaValidator as any)(true);
  const code = v.standaloneCode(PRECOMPILED_KINDS);
  return `// Generated by \`npx projen gen:validators\` (src/validate/schema.ts precompiledValidatorsCode); do not edit.\n${code}\n`;
}
