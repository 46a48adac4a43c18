import * as kplus from 'cdk8s-plus-27';
import { KubeVersion } from '../core/kube-version';
import { k8sDefinitions } from '../validate/schema-store';

/**
 * Internal: turns Kubernetes JSON (the exact API field names, e.g. `volumeID`)
 * into the cdk8s L1 struct form (`volumeId`) that cdk8s-plus-27 and the L1
 * classes pass through their `toJson_*` mappers, which silently drop any field
 * they do not know. The 1.27 OpenAPI definitions drive the conversion, so an
 * unknown field is reported instead of lost, and map keys (volumeAttributes,
 * parameters) are kept as written.
 */

const DEF_PREFIX = '#/definitions/';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

let definitions: { [name: string]: any } | undefined;
function defs(): { [name: string]: any } {
  definitions ??= k8sDefinitions(KubeVersion.DEFAULT);
  return definitions;
}

/** The L1 struct member name cdk8s import gives a JSON field: `volumeID` → `volumeId`, `targetWWNs` → `targetWwNs`. */
export function structKey(jsonKey: string): string {
  return jsonKey.replace(/[A-Z]+(?=[A-Z][a-z]|[0-9]|$)/g, m => m[0] + m.slice(1).toLowerCase());
}

/** Thrown (as a plain Error, wrapped by callers) when the JSON has a field the 1.27 schema lacks. */
export class UnknownFieldError extends Error {
  constructor(public readonly pointer: string, public readonly definition: string) {
    super(`${pointer} is not a field of ${definition.split('.').pop()} in Kubernetes 1.27`);
  }
}

/**
 * Converts `json` (valid Kubernetes JSON of definition `def`, e.g.
 * `io.k8s.api.core.v1.Volume`) into its L1 struct form.
 *
 * @throws UnknownFieldError for a field the schema does not have
 */
export function toL1Struct(json: any, def: string, pointer = ''): any {
  return convert(json, { $ref: DEF_PREFIX + def }, pointer);
}

function convert(value: any, schema: any, pointer: string): any {
  if (value === undefined || value === null) return undefined;
  if (schema?.$ref) {
    const name = String(schema.$ref).slice(DEF_PREFIX.length);
    if (name === QUANTITY) {
      return typeof value === 'number' ? kplus.k8s.Quantity.fromNumber(value) : kplus.k8s.Quantity.fromString(String(value));
    }
    if (name === INT_OR_STRING) {
      return typeof value === 'number' ? kplus.k8s.IntOrString.fromNumber(value) : kplus.k8s.IntOrString.fromString(String(value));
    }
    const def = defs()[name];
    if (!def?.properties || typeof value !== 'object' || Array.isArray(value)) return value;
    const out: { [k: string]: any } = {};
    for (const [k, v] of Object.entries(value)) {
      const prop = def.properties[k];
      if (!prop) throw new UnknownFieldError(`${pointer}/${k}`, name);
      out[structKey(k)] = convert(v, prop, `${pointer}/${k}`);
    }
    return out;
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => convert(v, schema?.items, `${pointer}/${i}`));
  }
  if (typeof value === 'object' && schema?.additionalProperties) {
    const out: { [k: string]: any } = {};
    for (const [k, v] of Object.entries(value)) out[k] = convert(v, schema.additionalProperties, `${pointer}/${k}`);
    return out;
  }
  return value;
}

/** Deep equality of two JSON values, ignoring keys whose value is undefined. */
export function jsonEqual(a: any, b: any): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter(k => a[k] !== undefined);
  const kb = Object.keys(b).filter(k => b[k] !== undefined);
  return ka.length === kb.length && ka.every(k => jsonEqual(a[k], b[k]));
}
