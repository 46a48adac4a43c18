// Kubernetes resource quantities as numbers (internal helper, not exported from src/index.ts).
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { checkQuantity } from '../validate/rules';

const SUFFIX: { [s: string]: number } = {
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};
const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;

/**
 * The value of a quantity in base units (cores, bytes, objects), or undefined
 * when `q` is not a quantity. Numbers pass through.
 */
export function quantityValue(q: string | number | undefined): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? ''];
}

/**
 * Throws unless `value` is a non-negative Kubernetes quantity (what a
 * ResourceQuota or LimitRange accepts); returns it.
 */
export function checkResourceQuantity(scope: IConstruct, field: string, value: string): string {
  checkQuantity(scope, field, value);
  const n = quantityValue(value);
  if (n === undefined || !Number.isFinite(n) || n < 0) {
    throw ValidationError.of(scope, field, value, 'is not a non-negative Kubernetes quantity: a resource amount of zero or more, e.g. "500m", "1Gi", "2"');
  }
  return value;
}

/** `a <= b` with a tolerance for floating point noise (quantities are exact decimals). */
export function fits(a: number, b: number): boolean {
  return a <= b + Math.abs(b) * 1e-12 + 1e-12;
}

/** A base-unit value shown the way the resource is usually written: cores as millicores, bytes in Mi/Gi. */
export function showQuantity(resource: string, value: number): string {
  if (/cpu/.test(resource)) {
    const milli = Math.round(value * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (/memory|storage/.test(resource)) {
    for (const [s, f] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as Array<[string, number]>) {
      if (value >= f && Number.isInteger(value / f)) return `${value / f}${s}`;
    }
    if (value >= 2 ** 20) return `${(value / 2 ** 20).toFixed(1)}Mi`;
  }
  return String(value);
}
