// Kubernetes resource quantities as numbers (internal helper, not exported from src/index.ts).
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { formatMillis, parseQuantity } from '../core/quantity';
import { checkQuantity } from '../validate/rules';

/**
 * The value of a quantity in base units (cores, bytes, objects), or undefined
 * when `q` is not a quantity. Numbers pass through.
 */
export function quantityValue(q: string | number | undefined): number | undefined {
  return typeof q === 'number' ? q : parseQuantity(q);
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

export { fits } from '../core/quantity';

/** A base-unit value shown the way the resource is usually written: cores as millicores, bytes in Mi/Gi. */
export function showQuantity(resource: string, value: number): string {
  if (/cpu/.test(resource)) {
    return Number.isFinite(value) ? formatMillis(value * 1000) : String(value);
  }
  if (/memory|storage/.test(resource)) {
    for (const [s, f] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as Array<[string, number]>) {
      if (value >= f && Number.isInteger(value / f)) return `${value / f}${s}`;
    }
    if (value >= 2 ** 20) return `${(value / 2 ** 20).toFixed(1)}Mi`;
  }
  return String(value);
}
