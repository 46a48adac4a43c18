import { ValidationError } from './errors';

// The container image reference grammar, in one place: the Docker
// distribution reference grammar (distribution/reference/regexp.go) and the
// registry-host rule of its parser. Pure predicates and parsers; the throwing
// checks with a construct path are in src/validate/rules.ts (checkImage) and
// src/delivery/image-ref.ts (registries, digests, tags of CI scripts).

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const REFERENCE_DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${REFERENCE_DIGEST}))?$`);

const REGISTRY = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?$`);
const OCI_DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** What an image reference is, in words, for messages. */
export const IMAGE_REFERENCE_RULE = 'is not a valid image reference: expected [registry[:port]/]repository[:tag][@algorithm:hex], lower-case repository, tag of [A-Za-z0-9_.-] up to 128 characters (e.g. "registry.example.com/team/app:1.4.0")';

/** True when `value` is a container image reference `[registry/]repository[:tag][@digest]` (name at most 255 characters). */
export function isImageReference(value: unknown): value is string {
  const m = typeof value === 'string' ? IMAGE.exec(value) : null;
  return m !== null && m[1].length <= 255;
}

/** Parses an image reference into its parts (check it with `isImageReference` first). */
export function parseImage(value: string): { name: string; tag?: string; digest?: string } {
  const m = IMAGE.exec(value);
  if (!m) {
    throw new ValidationError(`image: "${value}" is not a valid image reference`, '', 'image');
  }
  return { name: m[1], tag: m[2], digest: m[3] };
}

/**
 * True when `component` (the first path component of an image name) is a
 * registry host rather than a Docker Hub namespace: the rule of Docker's
 * reference parser (a ".", a ":" or "localhost").
 */
export function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** True when `value` is a registry host `host[:port]` that Docker would read as a registry. */
export function isRegistry(value: unknown): value is string {
  return typeof value === 'string' && REGISTRY.test(value) && isRegistryHost(value);
}

/** True when `value` is an OCI content digest `sha256:<64 hex>` or `sha512:<128 hex>`. */
export function isImageDigest(value: unknown): value is string {
  return typeof value === 'string' && OCI_DIGEST.test(value);
}

/** The parts of an image reference, with the registry host split from the repository path. */
export interface ImageParts {
  /** Registry host[:port], when the reference names one. */
  readonly registry?: string;
  /** Repository path without the registry, e.g. `itil/onecmdb-artifacts`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits a valid image reference into registry, repository, tag and digest. */
export function imageParts(image: string): ImageParts {
  const { name, tag, digest } = parseImage(image);
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash > 0 && isRegistryHost(first)) {
    return { registry: first, repository: name.slice(slash + 1), tag, digest };
  }
  return { repository: name, tag, digest };
}

/** Joins image parts into a reference `registry/repository[:tag][@digest]`. */
export function joinImage(parts: ImageParts): string {
  const name = parts.registry ? `${parts.registry}/${parts.repository}` : parts.repository;
  return `${name}${parts.tag ? `:${parts.tag}` : ''}${parts.digest ? `@${parts.digest}` : ''}`;
}
