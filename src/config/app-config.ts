import * as path from 'path';
import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ConfigSource, RolloutMode } from './config-source';
import { ConfigTarget } from './config-target';
import { appendArgs, moveEnvToEnd } from './container-edits';
import { sha256 } from './content-hash';
import { listDirectory, readEntry } from './entry-files';
import { Entry, EntryStore } from './entry-store';
import { checkObjectName, objectMeta } from './object-meta';
import { hashConfigInPod } from './rollout-hash';
import { checkProps, checkValue, is, PropsSpec } from '../core/checks';
import { ValidationError } from '../core/errors';
import { dnsLabelFromPath } from '../core/names';
import { tenantNamespaceOf } from '../core/tenant-scope';
import { checkDnsLabel } from '../validate/rules';

/**
 * Props of an `AppConfig`.
 */
export interface AppConfigProps {
  /**
   * Name of the ConfigMap (in `IMMUTABLE_NAME_SUFFIX` mode, the part before the hash).
   *
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the ConfigMap: the namespace of the pods that use it.
   *
   * @default - the enclosing Tenant's namespace, else the chart's
   */
  readonly namespace?: string;
  /**
   * Literal keys and values.
   *
   * @default - none
   */
  readonly data?: { [key: string]: string };
  /**
   * Files read at synth time; the key is the file name. Files that are not
   * UTF-8 go to `binaryData`.
   *
   * @default - none
   */
  readonly files?: string[];
  /**
   * Directories whose regular files (not recursive, sorted) are read at synth
   * time; the key is the file name.
   *
   * @default - none
   */
  readonly directories?: string[];
  /**
   * How pods pick up a change.
   *
   * @default RolloutMode.HASH_ANNOTATION
   */
  readonly rollout?: RolloutMode;
  /**
   * Labels of the ConfigMap.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const PROPS: PropsSpec = {
  name: is.string(),
  namespace: is.string(),
  data: is.mapOf(is.string()),
  files: is.arrayOf(is.string()),
  directories: is.arrayOf(is.string()),
  rollout: is.oneOf(RolloutMode, 'RolloutMode'),
  labels: is.labels(),
};

/**
 * Application configuration in a ConfigMap, from literals, files and
 * directories read at synth time, consumed by a `TomcatApp` or any
 * cdk8s-plus workload as environment variables, command-line arguments,
 * files in a directory or single files at exact paths. Pods roll when the
 * content changes (see `RolloutMode`).
 */
export class AppConfig extends ConfigSource {
  /** The ConfigMap. */
  public readonly configMap: kplus.ConfigMap;
  private readonly store: EntryStore;
  private readonly objectName: string;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: AppConfigProps = {}) {
    super(scope, id, (props ?? {}).rollout ?? RolloutMode.HASH_ANNOTATION, false);
    checkProps(this, 'AppConfigProps', props, PROPS);
    this.store = new EntryStore(this, 'ConfigMap');
    const immutable = this.rollout === RolloutMode.IMMUTABLE_NAME_SUFFIX;
    if (props.name !== undefined) checkObjectName(this, props.name, immutable);
    if (props.namespace !== undefined) checkDnsLabel(this, 'namespace', props.namespace);
    const name = immutable ? this.hashedName(props.name) : props.name;
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: objectMeta(name, props.namespace ?? tenantNamespaceOf(this), props.labels),
      immutable,
    });
    this.objectName = this.configMap.name;
    for (const [k, v] of Object.entries(props.data ?? {})) this.addData(k, v);
    (props.files ?? []).forEach((f, i) => this.add(`files[${i}]`, path.basename(f), readEntry(this, `files[${i}]`, f)));
    (props.directories ?? []).forEach((d, i) => this.readDirectory(d, `directories[${i}]`));
  }

  /** The ConfigMap name (a token resolving to the hashed name in `IMMUTABLE_NAME_SUFFIX` mode). */
  public get name(): string {
    return this.objectName;
  }

  /** The keys, in the order added. */
  public get keys(): string[] {
    return this.store.keys;
  }

  /** SHA-256 (hex) of the keys and values: the same content gives the same hash on every run and machine. */
  public get contentHash(): string {
    return sha256(this.store.canonical());
  }

  /**
   * Add a literal key.
   *
   * @param key e.g. 'db.url'
   * @param value the value
   */
  public addData(key: string, value: string): void {
    checkValue(this, `data.${key}`, value, is.string());
    this.add(`data.${key}`, key, { text: value });
  }

  /**
   * Add a file read now.
   *
   * @param file path of the file
   * @param key the key (default: the file name)
   */
  public addFile(file: string, key?: string): void {
    checkValue(this, 'file', file, is.string());
    if (key !== undefined) checkValue(this, 'key', key, is.string());
    const k = key ?? path.basename(file);
    this.add(`files.${k}`, k, readEntry(this, `files.${k}`, file));
  }

  /**
   * Add every regular file of a directory (not recursive, sorted by name).
   *
   * @param dir the directory
   */
  public addDirectory(dir: string): void {
    checkValue(this, 'dir', dir, is.string());
    this.readDirectory(dir, 'directory');
  }

  /**
   * Pass keys on the command line: each variable is set from its key, and the
   * arguments reference them as `$(NAME)`, which Kubernetes expands.
   * On a `TomcatApp` the arguments are JVM options appended to
   * `CATALINA_OPTS` (e.g. `-Ddb.url=$(DB_URL)`); elsewhere they are appended
   * to the container's `args`. Arguments are not shell-split: keep each one
   * free of spaces on Tomcat, where `CATALINA_OPTS` is split on spaces.
   *
   * @param target where to attach
   * @param args the arguments, e.g. ['--db-url=$(DB_URL)']
   * @param variables variable name → key, e.g. `{ DB_URL: 'db.url' }`
   */
  public passAsArgs(target: ConfigTarget, args: string[], variables: { [name: string]: string }): void {
    checkValue(this, 'target', target, is.instanceOf(ConfigTarget, 'ConfigTarget.of(app) or ConfigTarget.container(workload, container)'));
    checkValue(this, 'args', args, is.arrayOf(is.string()));
    checkValue(this, 'variables', variables, is.mapOf(is.string()));
    this.envVars(target, variables);
    const defined = new Set(Object.keys(target.container.env.variables));
    args.forEach((a, i) => {
      for (const m of a.matchAll(/(?<!\$)\$\(([^)]*)\)/g)) {
        if (!defined.has(m[1])) {
          throw ValidationError.of(this, `args[${i}]`, a,
            `references $(${m[1]}), which is not an environment variable of container "${target.container.name}"; add it to variables (defined: ${[...defined].join(', ')})`);
        }
      }
      if (target._tomcat && /\s/.test(a)) {
        throw ValidationError.of(this, `args[${i}]`, a, 'contains whitespace, and CATALINA_OPTS is split on whitespace; pass one option without spaces');
      }
    });
    if (target._tomcat) {
      target._tomcat.addCatalinaOpts(args.join(' '));
      moveEnvToEnd(target.container, ['CATALINA_OPTS', 'JAVA_OPTS']);
    } else {
      appendArgs(target.container, args);
    }
  }

  /** @internal */
  public _knownKeys(): string[] {
    return this.store.keys;
  }

  /** @internal */
  public _namespace(): string | undefined {
    return this.configMap.metadata.namespace;
  }

  /** @internal */
  public _envValue(key: string): kplus.EnvValue {
    return kplus.EnvValue.fromConfigMap(this.configMap, key);
  }

  /** @internal */
  public _envFrom(prefix?: string): kplus.EnvFrom {
    return kplus.Env.fromConfigMap(this.configMap, prefix);
  }

  /** @internal */
  public _volume(pod: kplus.AbstractPod, name: string, items: { [key: string]: kplus.PathMapping } | undefined, mode: number): kplus.Volume {
    return kplus.Volume.fromConfigMap(this, `${name}@${pod.node.addr}`, this.configMap, { name, items, defaultMode: mode });
  }

  /** @internal */
  public _useIn(pod: kplus.AbstractPod): void {
    if (this.rollout === RolloutMode.HASH_ANNOTATION) {
      hashConfigInPod(pod, { owner: this, objectName: this.objectName, canonical: () => this.store.canonical() });
    }
  }

  private add(field: string, key: string, e: Entry): void {
    this.store.add(field, key, e);
    this._keyAdded(key);
    if (e.bytes) {
      this.configMap.addBinaryData(key, e.bytes.toString('base64'));
    } else {
      this.configMap.addData(key, e.text!);
    }
  }

  private readDirectory(dir: string, field: string): void {
    for (const f of listDirectory(this, field, dir)) {
      this.add(`${field}: ${path.basename(f)}`, path.basename(f), readEntry(this, field, f));
    }
  }

  private hashedName(base: string | undefined): string {
    const prefix = base ?? dnsLabelFromPath(this, 52);
    return Lazy.any({ produce: () => `${prefix}-${this.contentHash.slice(0, 10)}` }) as any;
  }
}
