import * as fs from 'fs';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { objectMeta } from './object-meta';
import { addPullSecret } from './pull-secrets';
import { checkSameNamespace } from './same-namespace';
import { ValidationError } from '../core/errors';
import { tenantNamespaceOf } from '../core/tenant-scope';
import { checkDnsLabel, checkDnsSubdomain, checkEnvName } from '../validate/rules';

const REGISTRY = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]{1,5})?$/;

/**
 * What every synthesized `RegistryCredentials` takes.
 */
export interface RegistryCredentialsOptions {
  /** Registry host (and port), as in image references, e.g. 'registry.example.com' or 'registry.example.com:5000'. */
  readonly registry: string;
  /** The user name. */
  readonly username: string;
  /**
   * Name of the Secret.
   *
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the Secret: the namespace of the pods that pull with it.
   *
   * @default - the enclosing Tenant's namespace, else the chart's
   */
  readonly namespace?: string;
}

/**
 * Props of `RegistryCredentials.fromEnv`.
 */
export interface RegistryCredentialsFromEnvProps extends RegistryCredentialsOptions {
  /** Environment variable of the synth process holding the password or token. */
  readonly passwordVariable: string;
}

/**
 * Props of `RegistryCredentials.fromFile`.
 */
export interface RegistryCredentialsFromFileProps extends RegistryCredentialsOptions {
  /** File holding the password or token (a trailing newline is ignored), read at synth time. */
  readonly passwordFile: string;
}

/**
 * Credentials of a private container registry: a
 * `kubernetes.io/dockerconfigjson` Secret, or a reference to an existing one.
 * Give it to pods with `addTo` or `TomcatApp`'s `imagePullSecrets`, or to an
 * `AppServiceAccount`.
 */
export class RegistryCredentials extends Construct {
  /**
   * The password from an environment variable of the synth process.
   *
   * @param scope parent
   * @param id construct id
   * @param props registry, user and variable
   */
  public static fromEnv(scope: Construct, id: string, props: RegistryCredentialsFromEnvProps): RegistryCredentials {
    const c = new RegistryCredentials(scope, id, undefined, props);
    checkEnvName(c, 'passwordVariable', props.passwordVariable);
    const password = process.env[props.passwordVariable];
    if (password === undefined || password === '') {
      throw ValidationError.of(c, 'passwordVariable', props.passwordVariable,
        'is not set (or empty) in the synth environment; export it before synthesizing (in CI, as a masked secret variable)');
    }
    c.write(props, password);
    return c;
  }

  /**
   * The password from a file read at synth time.
   *
   * @param scope parent
   * @param id construct id
   * @param props registry, user and file
   */
  public static fromFile(scope: Construct, id: string, props: RegistryCredentialsFromFileProps): RegistryCredentials {
    const c = new RegistryCredentials(scope, id, undefined, props);
    let password: string;
    try {
      password = fs.readFileSync(props.passwordFile, 'utf-8').replace(/\r?\n$/, '');
    } catch (e: any) {
      throw ValidationError.of(c, 'passwordFile', props.passwordFile, `cannot be read (${e.code ?? 'error'}): give a readable file holding the password`);
    }
    if (password === '') {
      throw ValidationError.of(c, 'passwordFile', props.passwordFile, 'is empty; it must hold the password or token');
    }
    c.write(props, password);
    return c;
  }

  /**
   * A `kubernetes.io/dockerconfigjson` Secret that exists in the cluster.
   *
   * @param scope parent
   * @param id construct id
   * @param name its name
   */
  public static fromExisting(scope: Construct, id: string, name: string): RegistryCredentials {
    return new RegistryCredentials(scope, id, name);
  }

  /** The Secret. */
  public readonly secret: kplus.ISecret;
  /** The registry host, when the Secret is synthesized here. */
  public readonly registry?: string;

  private constructor(scope: Construct, id: string, existing?: string, props?: RegistryCredentialsOptions) {
    super(scope, id);
    if (existing !== undefined) {
      this.secret = kplus.Secret.fromSecretName(this, 'Resource', checkDnsSubdomain(this, 'name', existing));
      return;
    }
    const p = props!;
    if (typeof p.registry !== 'string' || !REGISTRY.test(p.registry)) {
      throw ValidationError.of(this, 'registry', p.registry, 'is not a registry host: a DNS name or IP with an optional port, no scheme or path (e.g. "registry.example.com:5000")');
    }
    if (typeof p.username !== 'string' || p.username === '' || /[:\s]/.test(p.username)) {
      throw ValidationError.of(this, 'username', p.username, 'is not a registry user name: non-empty, without ":" or whitespace');
    }
    if (p.name !== undefined) checkDnsSubdomain(this, 'name', p.name);
    if (p.namespace !== undefined) checkDnsLabel(this, 'namespace', p.namespace);
    this.registry = p.registry;
    this.secret = new kplus.Secret(this, 'Resource', {
      metadata: objectMeta(p.name, p.namespace ?? tenantNamespaceOf(this)),
      type: 'kubernetes.io/dockerconfigjson',
    });
  }

  /** The Secret's name. */
  public get name(): string {
    return this.secret.name;
  }

  /**
   * Let a pod pull with these credentials (any number per pod; cdk8s-plus-27
   * alone takes one).
   *
   * @param pod a cdk8s-plus workload or pod
   */
  public addTo(pod: kplus.AbstractPod): void {
    if (this.secret instanceof kplus.Secret) checkSameNamespace(this, this.secret.metadata.namespace, pod);
    addPullSecret(pod, this.name);
  }

  private write(p: RegistryCredentialsOptions, password: string): void {
    const auth = Buffer.from(`${p.username}:${password}`, 'utf-8').toString('base64');
    const config = { auths: { [p.registry]: { username: p.username, password, auth } } };
    (this.secret as kplus.Secret).addStringData('.dockerconfigjson', JSON.stringify(config));
  }
}
