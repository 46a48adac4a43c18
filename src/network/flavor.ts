import { IConstruct } from 'constructs';

/** Context key under which a scope records its network policy flavor. */
export const NETWORK_FLAVOR_CONTEXT = 'cdk8s-paas:networkFlavor';

/**
 * Which API network policies are written in.
 */
export enum NetworkFlavor {
  /** Calico `projectcalico.org/v3` NetworkPolicy / GlobalNetworkPolicy (ordered, Allow/Deny/Log/Pass). */
  CALICO = 'calico',
  /**
   * Plain `networking.k8s.io/v1` NetworkPolicy, for clusters without Calico.
   * Calico-only features (Deny, order, global policies, nets by set, …) are errors.
   */
  KUBERNETES = 'kubernetes',
}

/**
 * Network defaults for a subtree of constructs.
 */
export class NetworkDefaults {
  /**
   * Set the flavor of every policy and preset created under `scope` that does
   * not set its own. Call it before adding children to `scope`.
   *
   * @param scope an App, Chart or any construct
   * @param flavor the flavor
   */
  public static setFlavor(scope: IConstruct, flavor: NetworkFlavor): void {
    scope.node.setContext(NETWORK_FLAVOR_CONTEXT, flavor);
  }

  /**
   * The flavor in force for `scope`: the nearest `setFlavor`, else `NetworkFlavor.CALICO`.
   *
   * @param scope any construct
   */
  public static flavorOf(scope: IConstruct): NetworkFlavor {
    return (scope.node.tryGetContext(NETWORK_FLAVOR_CONTEXT) as NetworkFlavor | undefined) ?? NetworkFlavor.CALICO;
  }

  private constructor() {}
}
