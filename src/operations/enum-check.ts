import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';

/**
 * Throws the library's ValidationError unless `value` is one of the values of
 * the string enum `values` (internal).
 *
 * @param what what the field holds, e.g. 'a kops cloud provider'
 */
export function checkEnum<T extends string>(scope: IConstruct, field: string, value: T, values: { [k: string]: T }, what: string): T {
  const valid = Object.values(values);
  if (!valid.includes(value)) {
    throw ValidationError.of(scope, field, value ?? null, `is not ${what}: expected one of ${valid.join(', ')}`);
  }
  return value;
}
