import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { checkDnsSubdomain } from '../validate/rules';

// Internal: object metadata and object names of the config constructs.

type Labels = { [key: string]: string };

/**
 * Object metadata without undefined fields: cdk8s spreads the given metadata
 * over the generated name, so `name: undefined` would erase it.
 */
export function objectMeta(name?: string, namespace?: string, labels?: Labels): { name?: string; namespace?: string; labels?: Labels } {
  return {
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(labels !== undefined ? { labels } : {}),
  };
}

/** Throws unless `name` is a valid object name, with room for the hash suffix when `hashSuffix`. */
export function checkObjectName(scope: IConstruct, name: string, hashSuffix: boolean): void {
  checkDnsSubdomain(scope, 'name', name);
  if (hashSuffix && name.length > 242) {
    throw ValidationError.of(scope, 'name', name, 'is too long for a content-hash suffix: at most 242 characters (the name gets "-" and 10 hex characters)');
  }
}
