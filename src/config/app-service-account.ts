import { JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { objectMeta } from './content';
import { RegistryCredentials } from './registry-credentials';
import { tenantNamespaceOf } from '../tenancy/tenant-scope';
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
    super(scope, id, {
      metadata: objectMeta(props.name, props.namespace ?? tenantNamespaceOf(scope), props.labels),
      automountToken: props.automountToken ?? false,
    });
    if (props.name !== undefined) checkDnsSubdomain(this, 'name', props.name);
    if (props.namespace !== undefined) checkDnsLabel(this, 'namespace', props.namespace);
    (props.imagePullSecrets ?? []).forEach(c => this.addImagePullSecret(c));
  }

  /**
   * Pods of this account pull with these credentials too.
   *
   * @param credentials the registry credentials
   */
  public addImagePullSecret(credentials: RegistryCredentials): void {
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
