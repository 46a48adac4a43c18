import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { objectMeta } from './object-meta';
import { RegistryCredentials } from './registry-credentials';
import { checkProps, checkScope, checkValue, is, pathOf } from '../core/checks';
import { tenantNamespaceOf } from '../core/tenant-scope';
import { checkDnsLabel, checkDnsSubdomain } from '../validate/rules';

/**
 * Props of an `AppServiceAccount`.
 */
export interface AppServiceAccountProps {
  /**
   * Name of the ServiceAccount.
   *
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the ServiceAccount.
   *
   * @default - the enclosing Tenant's namespace, else the chart's
   */
  readonly namespace?: string;
  /**
   * Registry credentials every pod of this account pulls with.
   *
   * @default - none
   */
  readonly imagePullSecrets?: RegistryCredentials[];
  /**
   * Mount an API token into pods of this account. Most applications never
   * call the Kubernetes API and should not carry a token.
   *
   * @default false
   */
  readonly automountToken?: boolean;
  /**
   * Labels of the ServiceAccount.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const CREDENTIALS = is.instanceOf(RegistryCredentials, 'from RegistryCredentials.fromFile, fromEnv or fromExisting');

/** Checks the props (before the ServiceAccount exists) and maps them to cdk8s-plus's. */
function checkedProps(scope: Construct, id: string, props: AppServiceAccountProps): kplus.ServiceAccountProps {
  checkProps(pathOf(scope, id), 'AppServiceAccountProps', props, {
    name: is.string(),
    namespace: is.string(),
    imagePullSecrets: is.arrayOf(CREDENTIALS),
    automountToken: is.boolean(),
    labels: is.labels(),
  });
  const p = props ?? {};
  return {
    metadata: objectMeta(p.name, p.namespace ?? tenantNamespaceOf(scope), p.labels),
    automountToken: p.automountToken ?? false,
  };
}

/**
 * A ServiceAccount for applications: any number of `imagePullSecrets` (which
 * cdk8s-plus-27's ServiceAccount lacks) and no API token by default.
 */
export class AppServiceAccount extends kplus.ServiceAccount {
  private readonly pullSecrets: { name: string }[] = [];

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: AppServiceAccountProps = {}) {
    super(checkScope(scope, id, 'AppServiceAccount'), id, checkedProps(scope, id, props));
    const p = props ?? {};
    if (p.name !== undefined) checkDnsSubdomain(this, 'name', p.name);
    if (p.namespace !== undefined) checkDnsLabel(this, 'namespace', p.namespace);
    (p.imagePullSecrets ?? []).forEach(c => this.addImagePullSecret(c));
  }

  /**
   * Pods of this account pull with these credentials too.
   *
   * @param credentials the registry credentials
   */
  public addImagePullSecret(credentials: RegistryCredentials): void {
    checkValue(this, 'credentials', credentials, CREDENTIALS);
    if (this.pullSecrets.length === 0) {
      // cdk8s-plus-27 has no imagePullSecrets: one patch, with the list as it is at synth time
      this.apiObject.addJsonPatch(JsonPatch.add('/imagePullSecrets', this.pullSecrets));
    }
    if (!this.pullSecrets.some(p => p.name === credentials.name)) this.pullSecrets.push({ name: credentials.name });
  }

  /** Names of the pull secrets. */
  public get imagePullSecretNames(): string[] {
    return this.pullSecrets.map(p => p.name);
  }
}
