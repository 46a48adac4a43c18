import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { imageParts, ImageParts, isImageDigest, isRegistry } from '../core/image-ref';
import { checkImage } from '../validate/rules';

// Internal helpers of the delivery area (not exported from src/index.ts): the
// image grammar itself is core/image-ref; here the checks of value objects.

/**
 * A stand-in scope for value objects that are not constructs (Environment,
 * ArtifactDockerfile, Delivery): the shared `check*` rules only read
 * `scope.node.path` to prefix their messages.
 */
export function pathScope(path: string): IConstruct {
  return { node: { path } } as unknown as IConstruct;
}

/** Throws a ValidationError for a value object that is not a construct. */
export function invalid(path: string, field: string, value: any, reason: string): ValidationError {
  return ValidationError.unscoped(path, field, value, reason);
}

/** Throws unless `value` is a registry host `host[:port]` that Docker would read as a registry. */
export function checkRegistry(path: string, field: string, value: string): string {
  if (!isRegistry(value)) {
    throw invalid(path, field, value,
      'is not a registry host: expected host[:port] with a "." or a port, or "localhost" (e.g. "registry.prod.example.com" or "10.0.0.5:5000"), without a scheme or path');
  }
  return value;
}

/** Throws unless `value` is an OCI content digest `sha256:<64 hex>` or `sha512:<128 hex>`. */
export function checkDigest(path: string, field: string, value: string): string {
  if (!isImageDigest(value)) {
    throw invalid(path, field, value, 'is not an image digest: expected "sha256:" and 64 lower-case hex digits (or "sha512:" and 128)');
  }
  return value;
}

/** Splits an image reference (checked first) into registry, repository, tag and digest. */
export function splitImage(path: string, field: string, image: string): ImageParts {
  checkImage(pathScope(path), field, image);
  return imageParts(image);
}

/** Quotes a string for a POSIX shell (single quotes). */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, '\'"\'"\'')}'`;
}

const TAG_PART = '(?:[A-Za-z0-9_]|\\$[A-Za-z_][A-Za-z0-9_]*|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})';
const TAG_WITH_VARIABLES = new RegExp(`^${TAG_PART}(?:${TAG_PART}|[.-])*$`);

/**
 * Throws unless `value` is an image tag (`[A-Za-z0-9_][A-Za-z0-9_.-]*`, up to
 * 128 characters) in which CI variables may stand for parts
 * (`$CI_COMMIT_SHORT_SHA`, `v1-${CI_PIPELINE_IID}`): what a job script may
 * expand inside double quotes, nothing a shell would run.
 */
export function checkImageTag(path: string, field: string, value: string): string {
  if (typeof value !== 'string' || !TAG_WITH_VARIABLES.test(value) || value.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, 'x').length > 128) {
    throw invalid(path, field, value,
      'is not an image tag: expected letters, digits, "_", "." and "-" (not first), up to 128 characters, where CI variables may stand for parts, e.g. "1.4.0" or "$CI_COMMIT_SHORT_SHA"');
  }
  return value;
}

/**
 * Throws unless `value` is a path relative to the repository root made of
 * `[A-Za-z0-9._-]` segments, without `..`, a leading `/` or `-`: a path the
 * job scripts can use as is, and one that stays inside the repository.
 * Returns it without trailing slashes.
 */
export function checkRepoPath(path: string, field: string, value: string): string {
  const trimmed = typeof value === 'string' ? value.replace(/\/+$/, '') : value;
  const segments = typeof trimmed === 'string' ? trimmed.split('/') : [];
  const ok = segments.length > 0 && segments.every(s => /^[A-Za-z0-9._-]+$/.test(s) && s !== '..') && !segments[0].startsWith('-') && trimmed.length <= 4096;
  if (!ok) {
    throw invalid(path, field, value,
      'is not a path inside the repository the pipeline\'s scripts can use: expected segments of letters, digits, ".", "_" and "-" separated by "/", relative (no leading "/"), without ".." (e.g. "target" or "dist/manifests")');
  }
  return trimmed;
}
