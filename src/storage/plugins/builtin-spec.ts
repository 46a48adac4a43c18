import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ValidationError } from '../../core/errors';
import { HOST_ADDRESS_RULE, isHostAddress } from '../../core/names';
import { checkAbsolutePath, checkDnsSubdomain, checkInteger, checkPositiveQuantity } from '../../validate/rules';
import { VolumeScope } from '../volume-plugin';
import { BlockDeviceOptions, CsiOptions } from '../volume-source';

/** Access modes, short. */
export const RWO = kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE;
export const ROX = kplus.PersistentVolumeAccessMode.READ_ONLY_MANY;
export const RWX = kplus.PersistentVolumeAccessMode.READ_WRITE_MANY;
export const RWOP = kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD;

/** The option names of `O` (what a `Fields<O>` accessor may read: a typo is a compile error). */
export type Key<O> = Extract<keyof O, string>;

/**
 * Validates the option values of one source of options type `O`, naming
 * fields `source.<type>.<field>`. Every accessor takes a key of `O`, so
 * TypeScript sees each field a plugin reads.
 */
export class Fields<O> {
  constructor(readonly scope: IConstruct, readonly type: string, readonly o: O) {}

  /** The raw value of `field`. */
  get<K extends Key<O>>(field: K): O[K] {
    return this.o[field];
  }

  private raw(field: string): any {
    return (this.o as any)[field];
  }

  private f(field: string): string {
    return `source.${this.type}.${field}`;
  }

  /** A required non-empty string. */
  str(field: Key<O>): string {
    const v = this.raw(field);
    if (typeof v !== 'string' || v.trim() === '') {
      throw ValidationError.of(this.scope, this.f(field), v ?? '', 'is required: a non-empty string');
    }
    return v;
  }

  /** An optional string (non-empty when given). */
  optStr(field: Key<O>): string | undefined {
    return this.raw(field) === undefined ? undefined : this.str(field);
  }

  /** A required absolute path. */
  path(field: Key<O>): string {
    return checkAbsolutePath(this.scope, this.f(field), this.raw(field));
  }

  /** An optional absolute path. */
  optPath(field: Key<O>): string | undefined {
    return this.raw(field) === undefined ? undefined : this.path(field);
  }

  /** An optional integer in [min, max]. */
  int(field: Key<O>, min: number, max: number): number | undefined {
    return this.raw(field) === undefined ? undefined : checkInteger(this.scope, this.f(field), this.raw(field), min, max);
  }

  /** An optional positive Kubernetes quantity. */
  quantity(field: Key<O>): string | undefined {
    return this.raw(field) === undefined ? undefined : checkPositiveQuantity(this.scope, this.f(field), this.raw(field));
  }

  /** The name of a Secret/ConfigMap/Endpoints object. */
  objName(field: Key<O>, optional = false): string | undefined {
    if (optional && this.raw(field) === undefined) return undefined;
    return checkDnsSubdomain(this.scope, this.f(field), this.raw(field));
  }

  /** A required non-empty list of non-empty strings. */
  list(field: Key<O>): string[] {
    const v = this.raw(field);
    if (!Array.isArray(v) || v.length === 0 || v.some(x => typeof x !== 'string' || x.trim() === '')) {
      throw ValidationError.of(this.scope, this.f(field), v ?? [], 'must list at least one non-empty string, e.g. ["10.0.0.1:6789"]');
    }
    return [...v];
  }

  /** A host address (`nfs.example.com`, `10.0.0.1:6789`): nothing a mount helper could read as more. */
  host(field: Key<O>): string {
    const v = this.str(field);
    if (!isHostAddress(v)) throw ValidationError.of(this.scope, this.f(field), v, HOST_ADDRESS_RULE);
    return v;
  }

  /** A required list of host addresses. */
  hostList(field: Key<O>): string[] {
    const v = this.list(field);
    v.forEach((h, i) => {
      if (!isHostAddress(h)) throw ValidationError.of(this.scope, `${this.f(field)}[${i}]`, h, HOST_ADDRESS_RULE);
    });
    return v;
  }

  /** An optional boolean (true only when given as `true`). */
  bool(field: Key<O>): boolean | undefined {
    return this.raw(field) === undefined ? undefined : this.raw(field) === true;
  }

  /** An optional string that must be one of `allowed`. */
  oneOf(field: Key<O>, allowed: string[]): string | undefined {
    const v = this.optStr(field);
    if (v !== undefined && !allowed.includes(v)) {
      throw ValidationError.of(this.scope, this.f(field), v, `must be one of ${allowed.join(', ')}`);
    }
    return v;
  }

  /** `secretRef` from the name field (+ `secretNamespace` in the PersistentVolume form). */
  secretRef(pv: boolean, nameField: Key<O>): kplus.k8s.SecretReference | undefined {
    const name = this.objName(nameField, true);
    if (name === undefined) return undefined;
    return pv ? { name, namespace: this.objName('secretNamespace' as Key<O>, true) } : { name };
  }

  /** The `items` of a projected-keys volume (secret, configMap), sorted by key, each with its own relative path. */
  items(): kplus.k8s.KeyToPath[] | undefined {
    const items = this.raw('items') as { [k: string]: string } | undefined;
    if (items === undefined) return undefined;
    const seen = new Map<string, string>();
    return Object.keys(items).sort().map(key => {
      const p = items[key];
      if (typeof p !== 'string' || p === '' || p.startsWith('/') || p.split('/').includes('..')) {
        throw ValidationError.of(this.scope, this.f(`items.${key}`), p ?? '', 'must be a relative path without ".." segments, e.g. "conf/app.properties"');
      }
      const norm = p.split('/').filter(seg => seg !== '' && seg !== '.').join('/');
      const other = seen.get(norm);
      if (other !== undefined) {
        throw ValidationError.of(this.scope, this.f(`items.${key}`), p, `is also the path of key "${other}"; each item needs its own path in the volume`);
      }
      seen.set(norm, key);
      return { key, path: p };
    });
  }
}

/** `fsType` and `readOnly` of the block-device sources. */
export function blockFields<O extends BlockDeviceOptions>(f: Fields<O>): { fsType?: string; readOnly?: boolean } {
  return { fsType: f.optStr('fsType' as Key<O>), readOnly: f.bool('readOnly' as Key<O>) };
}

/** The CSI `partition` attribute of a cloud disk (none for the whole disk). */
export function partitionAttr<O extends { partition?: number }>(f: Fields<O>): { [k: string]: string } | undefined {
  const p = f.int('partition' as Key<O>, 0, 128);
  return p ? { partition: String(p) } : undefined;
}

/** Drops undefined values so the output carries only fields that were set. */
export function compact<T extends { [k: string]: any }>(o: T): T {
  const out: { [k: string]: any } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Internal description of one built-in plugin: typed options `O` in, the
 * typed cdk8s L1 volume source `S` out (`toJson` is the L1 mapper that
 * gives its Kubernetes JSON, e.g. `volumeId` → `volumeID`).
 */
export interface BuiltinSpec<O, S> {
  /** The Kubernetes volume field, e.g. `nfs`. */
  readonly type: string;
  /** The plugin name, e.g. `kubernetes.io/nfs`. */
  readonly name: string;
  /** How far the data is shared between replicas. */
  readonly scope: VolumeScope;
  /** PersistentVolume access modes, preferred first. */
  readonly modes: kplus.PersistentVolumeAccessMode[];
  /** false when the plugin cannot back a PersistentVolume. */
  readonly persistent: boolean;
  /** The L1 volume source (the PersistentVolume form when `pv`). */
  render(f: Fields<O>, pv: boolean): S;
  /** The Kubernetes JSON of a rendered source. */
  toJson(s: S, pv: boolean): { [k: string]: any } | undefined;
  /** The CSI-migration translation, when there is one. */
  csi?(f: Fields<O>): CsiOptions;
}
