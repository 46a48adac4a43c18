import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ConfigSource, RolloutMode } from './config-source';
import { hmacSha256 } from './content-hash';
import { readEntry } from './entry-files';
import { Entry, EntryStore } from './entry-store';
import { checkObjectName, objectMeta } from './object-meta';
import { hashSecretInPod } from './rollout-hash';
import { SecretHashKey } from './secret-hash-key';
import { checkProps, checkValue, is, pathOf, PropsSpec } from '../core/checks';
import { ValidationError } from '../core/errors';
import { dnsLabelFromPath } from '../core/names';
import { tenantNamespaceOf } from '../core/tenant-scope';
import { Warnings } from '../core/warnings';
import { checkDnsLabel, checkDnsSubdomain, checkEnvName } from '../validate/rules';

/**
 * Options every synthesized `AppSecret` takes.
 */
export interface AppSecretOptions {
  /**
   * Name of the Secret (in `IMMUTABLE_NAME_SUFFIX` mode, the part before the hash).
   *
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the Secret: the namespace of the pods that use it.
   *
   * @default - the enclosing Tenant's namespace, else the chart's
   */
  readonly namespace?: string;
  /**
   * How pods pick up a change. `IMMUTABLE_NAME_SUFFIX` needs a `SecretHashKey`.
   *
   * @default RolloutMode.HASH_ANNOTATION
   */
  readonly rollout?: RolloutMode;
  /**
   * Labels of the Secret.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * Props of `AppSecret.fromEnv`.
 */
export interface AppSecretFromEnvProps extends AppSecretOptions {
  /** Key → name of the synth-process environment variable holding its value, e.g. `{ password: 'DB_PASSWORD' }`. */
  readonly variables: { [key: string]: string };
}

/**
 * Props of `AppSecret.fromFile`.
 */
export interface AppSecretFromFileProps extends AppSecretOptions {
  /** Key → path of the file holding its value, read at synth time (binary files are fine). */
  readonly files: { [key: string]: string };
}

/**
 * Props of `AppSecret.fromLiterals`.
 */
export interface AppSecretFromLiteralsProps extends AppSecretOptions {
  /** Keys and values, written in plaintext into the synthesized Secret. */
  readonly data: { [key: string]: string };
  /**
   * Silence the synth warning about plaintext values in the source code.
   *
   * @default false
   */
  readonly acknowledgePlaintext?: boolean;
}

/**
 * Options of `AppSecret.fromExisting`.
 */
export interface AppSecretFromExistingOptions {
  /**
   * The keys the Secret is known to have; when given, attachments are checked against them.
   *
   * @default - unknown: any key may be referenced
   */
  readonly keys?: string[];
}

const OPTIONS: PropsSpec = {
  name: is.string(),
  namespace: is.string(),
  rollout: is.oneOf(RolloutMode, 'RolloutMode'),
  labels: is.labels(),
};

interface SecretInit {
  readonly existingName?: string;
  readonly existingKeys?: string[];
  readonly options: AppSecretOptions;
}

/**
 * A Secret for an application: values from the synth environment, files,
 * literals, or an existing Secret, consumed as environment variables or files
 * (mode 0400 by default). A value appears in the synthesized output only in
 * its Secret object: rollout annotations carry an HMAC keyed with the
 * `SecretHashKey`, and messages name keys and variables, never values.
 */
export class AppSecret extends ConfigSource {
  /**
   * Values read from environment variables of the synth process.
   *
   * @param scope parent
   * @param id construct id
   * @param props keys and variable names
   */
  public static fromEnv(scope: Construct, id: string, props: AppSecretFromEnvProps): AppSecret {
    checkProps(pathOf(scope, id), 'AppSecretFromEnvProps', props, { ...OPTIONS, variables: is.mapOf(is.string()) }, ['variables']);
    const s = new AppSecret(scope, id, { options: props });
    for (const [key, variable] of Object.entries(props.variables ?? {})) {
      checkEnvName(s, `variables.${key}`, variable);
      const value = process.env[variable];
      if (value === undefined || value === '') {
        throw ValidationError.of(s, `variables.${key}`, variable,
          'is not set (or empty) in the synth environment; export it before synthesizing (in CI, as a masked secret variable)');
      }
      s.add(`variables.${key}`, key, { text: value });
    }
    return s;
  }

  /**
   * Values read from files at synth time.
   *
   * @param scope parent
   * @param id construct id
   * @param props keys and file paths
   */
  public static fromFile(scope: Construct, id: string, props: AppSecretFromFileProps): AppSecret {
    checkProps(pathOf(scope, id), 'AppSecretFromFileProps', props, { ...OPTIONS, files: is.mapOf(is.string()) }, ['files']);
    const s = new AppSecret(scope, id, { options: props });
    for (const [key, file] of Object.entries(props.files ?? {})) {
      s.add(`files.${key}`, key, readEntry(s, `files.${key}`, file));
    }
    return s;
  }

  /**
   * Values given in the source code: they end up in plaintext in the
   * manifests (and in git if those are committed). A synth warning says so
   * unless `acknowledgePlaintext` is set.
   *
   * @param scope parent
   * @param id construct id
   * @param props keys and values
   */
  public static fromLiterals(scope: Construct, id: string, props: AppSecretFromLiteralsProps): AppSecret {
    checkProps(pathOf(scope, id), 'AppSecretFromLiteralsProps', props, { ...OPTIONS, data: is.mapOf(is.string(), { secret: true }), acknowledgePlaintext: is.boolean() }, ['data']);
    const s = new AppSecret(scope, id, { options: props });
    for (const [key, value] of Object.entries(props.data ?? {})) {
      // the value itself never reaches the message: only its type
      if (typeof value !== 'string') {
        throw new ValidationError(`${s.node.path}: data.${key}: (secret value hidden, a ${value === null ? 'null' : typeof value}) must be a string`, s.node.path, `data.${key}`);
      }
      s.add(`data.${key}`, key, { text: value });
    }
    if (!props.acknowledgePlaintext) {
      Warnings.add(s, 'data: secret values are written in plaintext into the synthesized manifest; '
        + 'read them with AppSecret.fromEnv or fromFile, or set acknowledgePlaintext: true', 'cdk8s-paas:plaintext-secret');
    }
    return s;
  }

  /**
   * A Secret that exists in the cluster: a reference only, nothing is
   * synthesized and it is not part of the rollout hash.
   *
   * @param scope parent
   * @param id construct id
   * @param name the Secret's name
   * @param options its known keys
   */
  public static fromExisting(scope: Construct, id: string, name: string, options: AppSecretFromExistingOptions = {}): AppSecret {
    checkValue(pathOf(scope, id), 'name', name, is.string());
    checkProps(pathOf(scope, id), 'AppSecretFromExistingOptions', options, { keys: is.arrayOf(is.string()) });
    return new AppSecret(scope, id, { existingName: name, existingKeys: options.keys, options: {} });
  }

  /** The Secret (an imported reference for `fromExisting`). */
  public readonly secret: kplus.ISecret;
  /** Whether this is a reference to a Secret that exists elsewhere. */
  public readonly existing: boolean;
  private readonly store: EntryStore;
  private readonly objectName: string;
  private readonly existingKeys?: string[];
  private binaryData?: { [key: string]: string };
  private hashKey?: SecretHashKey;

  private constructor(scope: Construct, id: string, init: SecretInit) {
    super(scope, id, init.options.rollout ?? RolloutMode.HASH_ANNOTATION, true);
    this.store = new EntryStore(this, 'Secret');
    const o = init.options;
    if (o.name !== undefined) checkObjectName(this, o.name, this.rollout === RolloutMode.IMMUTABLE_NAME_SUFFIX);
    if (o.namespace !== undefined) checkDnsLabel(this, 'namespace', o.namespace);
    this.existing = init.existingName !== undefined;
    if (init.existingName !== undefined) {
      checkDnsSubdomain(this, 'name', init.existingName);
      this.existingKeys = init.existingKeys;
      this.secret = kplus.Secret.fromSecretName(this, 'Resource', init.existingName);
    } else {
      const immutable = this.rollout === RolloutMode.IMMUTABLE_NAME_SUFFIX;
      this.secret = new kplus.Secret(this, 'Resource', {
        metadata: objectMeta(immutable ? this.hashedName(o.name) : o.name, o.namespace ?? tenantNamespaceOf(this), o.labels),
        type: 'Opaque',
        immutable,
      });
    }
    this.objectName = this.secret.name;
  }

  /** The Secret name (a token resolving to the hashed name in `IMMUTABLE_NAME_SUFFIX` mode). */
  public get name(): string {
    return this.objectName;
  }

  /** The keys (values are never exposed). */
  public get keys(): string[] {
    return this.existing ? [...(this.existingKeys ?? [])] : this.store.keys;
  }

  /** @internal */
  public _knownKeys(): string[] | undefined {
    return this.existing ? this.existingKeys : this.store.keys;
  }

  /** @internal */
  public _namespace(): string | undefined | null {
    return this.existing ? null : (this.secret as kplus.Secret).metadata.namespace;
  }

  /** @internal */
  public _envValue(key: string): kplus.EnvValue {
    return kplus.EnvValue.fromSecretValue({ secret: this.secret, key });
  }

  /** @internal */
  public _envFrom(prefix?: string): kplus.EnvFrom {
    return new kplus.EnvFrom(undefined, prefix, this.secret);
  }

  /** @internal */
  public _volume(pod: kplus.AbstractPod, name: string, items: { [key: string]: kplus.PathMapping } | undefined, mode: number): kplus.Volume {
    return kplus.Volume.fromSecret(this, `${name}@${pod.node.addr}`, this.secret, { name, items, defaultMode: mode });
  }

  /** @internal */
  public _useIn(pod: kplus.AbstractPod): void {
    if (!this.existing && this.rollout === RolloutMode.HASH_ANNOTATION) {
      hashSecretInPod(pod, { owner: this, objectName: this.objectName, canonical: () => this.store.canonical() });
    }
  }

  private add(field: string, key: string, e: Entry): void {
    this.store.add(field, key, e);
    this._keyAdded(key);
    const secret = this.secret as kplus.Secret;
    if (e.bytes) {
      if (!this.binaryData) {
        this.binaryData = {};
        // cdk8s-plus-27 writes stringData only; bytes that are not UTF-8 go to data (base64)
        ApiObject.of(secret).addJsonPatch(JsonPatch.add('/data', this.binaryData));
      }
      this.binaryData[key] = e.bytes.toString('base64');
    } else {
      secret.addStringData(key, e.text!);
    }
  }

  private hashedName(base: string | undefined): string {
    const key = SecretHashKey.tryOf(this);
    if (!key) {
      throw ValidationError.of(this, 'rollout', RolloutMode.IMMUTABLE_NAME_SUFFIX,
        `needs a secret hash key for the name suffix (a plain hash would expose low-entropy values): set ${SecretHashKey.DEFAULT_VARIABLE} to at least 32 random characters or call SecretHashKey.use()`);
    }
    this.hashKey = key;
    const prefix = base ?? dnsLabelFromPath(this, 52);
    return Lazy.any({ produce: () => `${prefix}-${hmacSha256(this.hashKey!._material(), this.store.canonical()).slice(0, 10)}` }) as any;
  }
}
