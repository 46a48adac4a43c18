import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ConfigTarget } from './config-target';
import { moveEnvToEnd } from './container-edits';
import { checkMountPath, claimKeys } from './mount-conflicts';
import { checkSameNamespace } from './same-namespace';
import { nextVolumeName } from './volume-names';
import { checkScope } from '../core/checks';
import { ValidationError } from '../core/errors';
import { checkAbsolutePath, checkEnvName, checkInteger } from '../validate/rules';

/**
 * How pods pick up changed content.
 */
export enum RolloutMode {
  /**
   * A content hash of every ConfigMap (`cdk8s-paas.io/config-hash`) and an
   * HMAC of every Secret (`cdk8s-paas.io/secret-hash`) the pod uses, as
   * pod-template annotations: a change rolls the workload.
   */
  HASH_ANNOTATION = 'hash-annotation',
  /**
   * An immutable object whose name ends in a content hash (kustomize style);
   * every reference uses that name, so a change creates a new object and rolls
   * the workload. Old objects are left for the next prune.
   */
  IMMUTABLE_NAME_SUFFIX = 'immutable-name-suffix',
}

/**
 * Options of `envFrom`.
 */
export interface EnvFromOptions {
  /**
   * A prefix for every variable name, e.g. 'APP_'.
   *
   * @default - none: the keys are the variable names
   */
  readonly prefix?: string;
}

/**
 * Options of `mountDirectory`.
 */
export interface MountDirectoryOptions {
  /**
   * Only these keys become files.
   *
   * @default - every key
   */
  readonly keys?: string[];
  /**
   * Mode bits of the files, e.g. 0o440.
   *
   * @default - 0o644 for ConfigMaps, 0o400 for Secrets
   */
  readonly mode?: number;
}

/**
 * Options of `mountFile`.
 */
export interface MountFileOptions {
  /**
   * Mode bits of the file, e.g. 0o755 for a script.
   *
   * @default - 0o644 for ConfigMaps, 0o400 for Secrets
   */
  readonly mode?: number;
}

/**
 * What `AppConfig` and `AppSecret` share: the ways a pod consumes them.
 *
 * Attach after adding the content: keys are checked when attached.
 */
export abstract class ConfigSource extends Construct {
  /** How pods pick up changed content. */
  public readonly rollout: RolloutMode;
  private readonly envPrefixes: string[] = [];
  private readonly isSecret: boolean;

  /**
   * @param scope parent
   * @param id construct id
   * @param rollout how pods pick up changes
   * @param isSecret whether this is a Secret (files default to mode 0400) rather than a ConfigMap (0644)
   */
  protected constructor(scope: Construct, id: string, rollout: RolloutMode, isSecret: boolean) {
    super(checkScope(scope, id, isSecret ? 'AppSecret' : 'AppConfig'), id);
    this.rollout = rollout;
    this.isSecret = isSecret;
  }

  /**
   * The name of the ConfigMap or Secret (in `IMMUTABLE_NAME_SUFFIX` mode a
   * token that resolves to the hashed name at synth).
   */
  public abstract get name(): string;

  /**
   * Every key as an environment variable (`envFrom`), optionally prefixed.
   * Each key (with the prefix) must be a valid variable name.
   *
   * @param target where to attach
   * @param options prefix
   */
  public envFrom(target: ConfigTarget, options: EnvFromOptions = {}): void {
    this.checkNamespace(target);
    const prefix = options.prefix ?? '';
    if (prefix) checkEnvName(this, 'prefix', prefix);
    for (const key of this._knownKeys() ?? []) this.checkEnvKey(prefix, key);
    this.envPrefixes.push(prefix);
    target.container.env.copyFrom(this._envFrom(prefix || undefined));
    this._useIn(target.pod);
  }

  /**
   * Chosen keys as environment variables.
   *
   * @param target where to attach
   * @param variables variable name → key, e.g. `{ DB_URL: 'db.url' }`
   */
  public envVars(target: ConfigTarget, variables: { [name: string]: string }): void {
    this.checkNamespace(target);
    const existing = target.container.env.variables;
    for (const [name, key] of Object.entries(variables)) {
      checkEnvName(this, `variables.${name}`, name);
      this.checkKey(`variables.${name}`, key);
      if (name in existing) {
        throw ValidationError.of(this, `variables.${name}`, name,
          `is already an environment variable of container "${target.container.name}"; each name can be set once`);
      }
      target.container.env.addVariable(name, this._envValue(key));
    }
    if (target._tomcat) moveEnvToEnd(target.container, ['CATALINA_OPTS', 'JAVA_OPTS']);
    this._useIn(target.pod);
  }

  /**
   * Keys as files in a directory (read-only). The directory hides whatever
   * the image has at that path: use `mountFile` to place single files into a
   * directory of the image (e.g. Tomcat's `conf/`).
   *
   * @param target where to attach
   * @param path absolute directory path, e.g. '/etc/app'
   * @param options keys and mode
   */
  public mountDirectory(target: ConfigTarget, path: string, options: MountDirectoryOptions = {}): void {
    this.checkNamespace(target);
    checkAbsolutePath(this, 'path', path);
    const keys = options.keys;
    keys?.forEach((k, i) => this.checkKey(`keys[${i}]`, k));
    const mode = this.mode(options.mode);
    checkMountPath(this, 'path', target.container, path, false);
    claimKeys(this, keys ? 'keys' : 'path', target.pod, target.container, this, keys ?? ['*']);
    const items = keys ? Object.fromEntries(keys.map(k => [k, { path: k }])) : undefined;
    const volume = this._volume(target.pod, nextVolumeName(target.pod, this.isSecret ? 'secret' : 'config', this.node.id), items, mode);
    target.container.mount(path, volume, { readOnly: true });
    this._useIn(target.pod);
  }

  /**
   * One key as a file at an exact path (a `subPath` mount), leaving the rest
   * of that directory as the image has it, e.g. Tomcat's
   * `/usr/local/tomcat/conf/server.xml`. The kubelet never updates such a
   * file in place: the rollout hash restarts the pods instead.
   *
   * @param target where to attach
   * @param key the key
   * @param path absolute file path
   * @param options mode
   */
  public mountFile(target: ConfigTarget, key: string, path: string, options: MountFileOptions = {}): void {
    this.checkNamespace(target);
    checkAbsolutePath(this, 'path', path);
    this.checkKey('key', key);
    const mode = this.mode(options.mode);
    checkMountPath(this, 'path', target.container, path, true);
    claimKeys(this, 'key', target.pod, target.container, this, [key]);
    const volume = this._volume(target.pod, nextVolumeName(target.pod, this.isSecret ? 'secret' : 'config', this.node.id), { [key]: { path: key } }, mode);
    target.container.mount(path, volume, { subPath: key, readOnly: true });
    this._useIn(target.pod);
  }

  /** @internal keys known at synth; undefined for objects that exist elsewhere */
  public abstract _knownKeys(): string[] | undefined;
  /** @internal the object's namespace; null when unknown (an object that exists elsewhere) */
  public abstract _namespace(): string | undefined | null;
  /** @internal */
  public abstract _envValue(key: string): kplus.EnvValue;
  /** @internal */
  public abstract _envFrom(prefix?: string): kplus.EnvFrom;
  /** @internal */
  public abstract _volume(pod: kplus.AbstractPod, name: string, items: { [key: string]: kplus.PathMapping } | undefined, mode: number): kplus.Volume;
  /** @internal registers the source in the pod's rollout hash */
  public abstract _useIn(pod: kplus.AbstractPod): void;

  /** @internal called by subclasses for each key added, so envFrom attachments stay valid */
  public _keyAdded(key: string): void {
    for (const prefix of this.envPrefixes) this.checkEnvKey(prefix, key);
  }

  private checkNamespace(target: ConfigTarget): void {
    const ns = this._namespace();
    if (ns !== null) checkSameNamespace(this, ns, target.pod);
  }

  private checkEnvKey(prefix: string, key: string): void {
    checkEnvName(this, prefix ? `envFrom(prefix "${prefix}"): key ${key}` : `envFrom: key ${key}`, prefix + key);
  }

  private checkKey(field: string, key: string): void {
    const known = this._knownKeys();
    if (known && !known.includes(key)) {
      throw ValidationError.of(this, field, key,
        `is not a key of this ${this.isSecret ? 'Secret' : 'ConfigMap'}; its keys are ${known.length ? known.map(k => `"${k}"`).join(', ') : 'none yet (add content before attaching)'}`);
    }
  }

  private mode(mode: number | undefined): number {
    return checkInteger(this, 'mode', mode ?? (this.isSecret ? 0o400 : 0o644), 0, 0o777);
  }
}
