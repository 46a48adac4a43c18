import * as fs from 'fs';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { dataPath, loadData } from './data';

/** Calico's v3 API has the same spec shape as its crd.projectcalico.org/v1 CRDs. */
const CRD_ALIASES: { [group: string]: string } = { 'crd.projectcalico.org': 'projectcalico.org/v3' };
const OBJECT_META = { $ref: 'urn:cdk8s-paas:k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };

/** One problem found in one manifest. */
export interface SchemaFinding {
  /** JSON pointer into the object, e.g. `/spec/template/spec/containers/0/foo`. */
  readonly pointer: string;
  /** What is wrong. */
  readonly message: string;
}

/**
 * Strict JSON-schema validation of Kubernetes objects: the Kubernetes 1.27
 * OpenAPI definitions with `additionalProperties: false` added to every
 * object type, so an unknown field is an error. CRD schemas can be added.
 *
 * Compiled lazily per kind and cached for the process.
 */
export class SchemaValidator {
  /** The process-wide validator of the Kubernetes 1.27 definitions. */
  public static k8s(): SchemaValidator {
    if (!SchemaValidator.instance) {
      SchemaValidator.instance = new SchemaValidator();
    }
    return SchemaValidator.instance;
  }

  private static instance?: SchemaValidator;

  private readonly ajv: Ajv;
  private readonly kinds = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private crdsLoaded = false;

  private constructor() {
    const defs = strictDefinitions(loadData('k8s-1.27/_definitions.json').definitions);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } as any });
    this.ajv.addSchema({ $id: 'urn:cdk8s-paas:k8s', definitions: defs });
    for (const [name, def] of Object.entries<any>(defs)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        // only the top-level kinds (those with apiVersion/kind properties)
        if (def.properties?.apiVersion && def.properties?.kind) {
          this.kinds.set(`${apiVersion}/${gvk.kind}`, `urn:cdk8s-paas:k8s#/definitions/${name}`);
        }
      }
    }
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
    if (!this.ajv.getSchema(id)) {
      this.ajv.addSchema({ ...strictSchema(schema), $id: id });
    }
    this.kinds.set(`${apiVersion}/${kind}`, id);
  }

  /**
   * Register every served version of a CustomResourceDefinition object.
   * Its `metadata` is checked against the Kubernetes ObjectMeta schema.
   *
   * @param crd a parsed `apiextensions.k8s.io/v1` CustomResourceDefinition
   */
  public addCustomResourceDefinition(crd: any): void {
    const group = crd.spec.group;
    const kind = crd.spec.names.kind;
    for (const v of crd.spec.versions ?? []) {
      const schema = v.schema?.openAPIV3Schema;
      if (!schema || v.served === false) continue;
      const withMeta = { ...schema, properties: { ...schema.properties, metadata: OBJECT_META } };
      this.addCustomResource(`${group}/${v.name}`, kind, withMeta);
      if (CRD_ALIASES[group]) this.addCustomResource(CRD_ALIASES[group], kind, withMeta);
    }
  }

  /** True when a schema is known for `apiVersion`/`kind`. */
  public knows(apiVersion: string, kind: string): boolean {
    return this.refOf(`${apiVersion}/${kind}`) !== undefined;
  }

  private refOf(key: string): string | undefined {
    const ref = this.kinds.get(key);
    if (ref || this.crdsLoaded) return ref;
    // the shipped CRDs (Calico, prometheus-operator) are parsed on first need
    this.crdsLoaded = true;
    const dir = dataPath('crds');
    for (const f of fs.readdirSync(dir).filter(n => n.endsWith('.yaml')).sort()) {
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(`${dir}/${f}`, 'utf-8'))) {
        const crd = doc.toJSON();
        if (crd?.kind === 'CustomResourceDefinition') this.addCustomResourceDefinition(crd);
      }
    }
    return this.kinds.get(key);
  }

  /**
   * Validate one object. An unknown apiVersion/kind is itself a finding.
   */
  public validate(obj: any): SchemaFinding[] {
    if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      return [{ pointer: '', message: 'is not a Kubernetes object: apiVersion and kind must be strings' }];
    }
    const key = `${obj.apiVersion}/${obj.kind}`;
    const ref = this.refOf(key);
    if (!ref) {
      return [{ pointer: '', message: `unknown apiVersion/kind "${key}": no Kubernetes 1.27 or registered custom resource schema defines it` }];
    }
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.getSchema(ref)!;
      this.compiled.set(key, fn);
    }
    if (fn(obj)) {
      return [];
    }
    return dedupe((fn.errors ?? []).map(describe));
  }
}

function describe(e: ErrorObject): SchemaFinding {
  if (e.keyword === 'additionalProperties') {
    return { pointer: `${e.instancePath}/${(e.params as any).additionalProperty}`, message: `unknown field "${(e.params as any).additionalProperty}"` };
  }
  if (e.keyword === 'required') {
    return { pointer: e.instancePath, message: `missing required field "${(e.params as any).missingProperty}"` };
  }
  if (e.keyword === 'enum') {
    return { pointer: e.instancePath, message: `must be one of ${JSON.stringify((e.params as any).allowedValues)}` };
  }
  return { pointer: e.instancePath, message: e.message ?? e.keyword };
}

function dedupe(findings: SchemaFinding[]): SchemaFinding[] {
  const seen = new Set<string>();
  // oneOf/anyOf failures repeat their branches' errors: keep the first of each
  return findings.filter(f => {
    const k = `${f.pointer}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).filter(f => !(f.message === 'must match exactly one schema in oneOf' && findings.length > 1));
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
    } else if (k === 'enum' || k === 'required' || k === 'x-kubernetes-group-version-kind' || k === 'description') {
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
 * CRD and OpenAPI patterns are Go (RE2) regular expressions; JavaScript
 * rejects RE2's inline flags such as `(?i)`. Translate them when compiling.
 */
function goRegExp(pattern: string, flags?: string): RegExp {
  let f = flags ?? '';
  // RE2 inline flags such as `(?i)` (anywhere, e.g. `^(?i)(abort|warn)?$`) apply to the whole pattern here
  const p = pattern.replace(/\(\?([imsU]+)\)/g, (_m, fl: string) => {
    for (const c of fl) {
      if ('ims'.includes(c) && !f.includes(c)) f += c;
    }
    return '';
  });
  return new RegExp(p, f);
}

