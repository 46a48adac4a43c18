import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { IMAGE_REFERENCE_RULE, isImageReference } from '../core/image-ref';
import {
  DNS_LABEL_RULE, DNS_SUBDOMAIN_RULE, isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue, LABEL_KEY_RULE, LABEL_VALUE_RULE,
} from '../core/names';
import { fits, isQuantity, parseQuantity, QUANTITY_RULE } from '../core/quantity';

// Grammar checks shared by every construct. Internal helpers (not part of the
// jsii API): each throws a ValidationError naming the path, field and value.

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Throws unless `value` is an RFC 1123 DNS label (63 chars max). */
export function checkDnsLabel(scope: IConstruct, field: string, value: string): string {
  if (!isDnsLabel(value)) {
    throw ValidationError.of(scope, field, value, DNS_LABEL_RULE);
  }
  return value;
}

/** Throws unless `value` is an RFC 1123 DNS subdomain (253 chars max). */
export function checkDnsSubdomain(scope: IConstruct, field: string, value: string): string {
  if (!isDnsSubdomain(value)) {
    throw ValidationError.of(scope, field, value, DNS_SUBDOMAIN_RULE);
  }
  return value;
}

/** Throws unless `value` is a Kubernetes resource quantity such as `500m` or `1Gi`. */
export function checkQuantity(scope: IConstruct, field: string, value: string): string {
  if (!isQuantity(value)) throw ValidationError.of(scope, field, value, QUANTITY_RULE);
  return value;
}

/** Throws unless `value` is a quantity above zero (a capacity, a size limit); returns it. */
export function checkPositiveQuantity(scope: IConstruct, field: string, value: string): string {
  checkQuantity(scope, field, value);
  const n = parseQuantity(value)!;
  if (!(n > 0) || !Number.isFinite(n)) {
    throw ValidationError.of(scope, field, value, 'must be a quantity above zero, e.g. "1Gi" or "500Mi"');
  }
  return value;
}

/**
 * Throws unless the quantity `request` is at most `limit` (the API server
 * refuses a container whose request exceeds its limit). Both are checked quantities.
 *
 * @param what the resource, e.g. `CPU` or `memory`
 */
export function checkRequestWithinLimit(scope: IConstruct, field: string, request: string, limit: string, what: string): void {
  if (!fits(parseQuantity(request)!, parseQuantity(limit)!)) {
    throw ValidationError.of(scope, field, request, `is above the ${what} limit "${limit}"; a request must not exceed its limit`);
  }
}

/** Throws unless `value` is a TCP/UDP port number 1-65535. */
export function checkPort(scope: IConstruct, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw ValidationError.of(scope, field, value, 'is not a valid port: an integer from 1 to 65535');
  }
  return value;
}

/** Throws unless `value` is an integer within [min, max]. */
export function checkInteger(scope: IConstruct, field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw ValidationError.of(scope, field, value, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Throws unless `value` is a container image reference `[registry/]repository[:tag][@digest]`. */
export function checkImage(scope: IConstruct, field: string, value: string): string {
  if (!isImageReference(value)) throw ValidationError.of(scope, field, value, IMAGE_REFERENCE_RULE);
  return value;
}

/** Throws unless `value` is an absolute path without `..` segments or empty segments. */
export function checkAbsolutePath(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').some((s, i) => s === '..' || s === '.' || (s === '' && i > 0 && value !== '/'))
    || /[\0\n]/.test(value)) {
    throw ValidationError.of(scope, field, value, 'is not a valid absolute path: it must start with "/" and contain no ".", ".." or empty segments (e.g. "/app_dir")');
  }
  return value;
}

/** Throws unless `value` is a valid label/annotation key (`[prefix/]name`). */
export function checkLabelKey(scope: IConstruct, field: string, value: string): string {
  if (!isLabelKey(value)) {
    throw ValidationError.of(scope, field, value, LABEL_KEY_RULE);
  }
  return value;
}

/** Throws unless `value` is a valid label value. */
export function checkLabelValue(scope: IConstruct, field: string, value: string): string {
  if (!isLabelValue(value)) {
    throw ValidationError.of(scope, field, value, LABEL_VALUE_RULE);
  }
  return value;
}

/** Throws unless `value` is a valid environment variable name. */
export function checkEnvName(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || !ENV_NAME.test(value)) {
    throw ValidationError.of(scope, field, value,
      'is not a valid environment variable name: letters, digits, "_", "-" or ".", not starting with a digit');
  }
  return value;
}

/** Parses an image reference into its parts (call checkImage first): the grammar lives in core/image-ref. */
export { parseImage } from '../core/image-ref';
