import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';

// Internal (not exported from src/index.ts): the keys of a ConfigMap or Secret,
// their grammar and the 1 MiB limit, and the canonical form that is hashed.

/** The API server's limit on the keys and values of one ConfigMap or Secret. */
export const MAX_TOTAL_BYTES = 1024 * 1024;

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** One key of a ConfigMap or Secret: text, or bytes that are not UTF-8. */
export interface Entry {
  readonly text?: string;
  readonly bytes?: Buffer;
}

/** Size in bytes of a key and its value, as the API server counts it. */
export function entrySize(key: string, e: Entry): number {
  return Buffer.byteLength(key) + (e.bytes ? e.bytes.length : Buffer.byteLength(e.text ?? ''));
}

/** Throws unless `key` is a ConfigMap/Secret key (IsConfigMapKey in Kubernetes). */
export function checkConfigKey(scope: IConstruct, field: string, key: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 253 || !CONFIG_KEY.test(key) || key === '.' || key === '..') {
    throw ValidationError.of(scope, field, key,
      'is not a valid key: 1 to 253 letters, digits, "-", "_" or ".", not "." or ".." (e.g. "server.xml" or "db.url")');
  }
  return key;
}

/**
 * An ordered key/value store that rejects invalid and duplicate keys and keeps
 * the total under 1 MiB. Error messages name keys and sizes, never values.
 */
export class EntryStore {
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  constructor(private readonly scope: IConstruct, private readonly what: string) {}

  public add(field: string, key: string, e: Entry): void {
    checkConfigKey(this.scope, field, key);
    if (this.entries.has(key)) {
      throw ValidationError.of(this.scope, field, key, `is already a key of this ${this.what}; each key must be unique (use another key or remove the duplicate)`);
    }
    const size = entrySize(key, e);
    if (this.total + size > MAX_TOTAL_BYTES) {
      throw ValidationError.of(this.scope, field, key,
        `brings the ${this.what} to ${this.total + size} bytes of keys and values; the limit is ${MAX_TOTAL_BYTES} bytes (1 MiB): split it or mount large files from elsewhere`);
    }
    this.total += size;
    this.entries.set(key, e);
  }

  public has(key: string): boolean {
    return this.entries.has(key);
  }

  public get keys(): string[] {
    return [...this.entries.keys()];
  }

  public get size(): number {
    return this.total;
  }

  /** `[key, value]` sorted by key; binary values as base64 with a marker. */
  public canonical(): string {
    const sorted = [...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify(sorted.map(([k, e]) => (e.bytes ? [k, 'b', e.bytes.toString('base64')] : [k, 't', e.text])));
  }

  public forEach(fn: (key: string, e: Entry) => void): void {
    this.entries.forEach((e, k) => fn(k, e));
  }
}

