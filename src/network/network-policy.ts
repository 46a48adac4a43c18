import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { NetworkDefaults, NetworkFlavor } from './flavor';
import { PolicyCore } from './policy-core';
import { PolicyRule, PolicyType } from './rule';
import { Selector } from './selector';
import { checkProps, checkScope, checkValue, is, PropsSpec } from '../core/checks';
import { ValidationError } from '../core/errors';

/** Calico dataplane hints. */
export enum PerformanceHint {
  /** Program the policy on every node in advance, even before a local endpoint needs it (Calico 3.27+). */
  ASSUME_NEEDED_ON_EVERY_NODE = 'AssumeNeededOnEveryNode',
}

/** Props common to `NetworkPolicy` and `GlobalNetworkPolicy`. */
export interface PolicyProps {
  /**
   * Object name.
   *
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * Labels of the policy object.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The endpoints the policy applies to; never `global()`.
   *
   * @default Selector.all()
   */
  readonly selector?: Selector;
  /**
   * Restrict the policy to pods running as service accounts with these labels (Calico only).
   *
   * @default - any service account
   */
  readonly serviceAccountSelector?: Selector;
  /**
   * Order among policies: lower applies first; ties are broken by name (Calico only).
   *
   * @default - none (applied after every policy that has an order)
   */
  readonly order?: number;
  /**
   * Directions the policy applies to; no duplicates.
   *
   * @default - [Ingress] without egress rules, [Egress] with only egress rules, both with both (Calico's defaults)
   */
  readonly types?: PolicyType[];
  /**
   * Ingress rules, in order; more can be added with `addIngress`.
   *
   * @default - none
   */
  readonly ingress?: PolicyRule[];
  /**
   * Egress rules, in order; more can be added with `addEgress`.
   *
   * @default - none
   */
  readonly egress?: PolicyRule[];
  /**
   * Dataplane hints (Calico only), unique.
   *
   * @default - none
   */
  readonly performanceHints?: PerformanceHint[];
}

/** Props of a namespaced `NetworkPolicy`. */
export interface NetworkPolicyProps extends PolicyProps {
  /**
   * Namespace of the policy (and of the endpoints it selects).
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Calico `projectcalico.org/v3` or plain `networking.k8s.io/v1`. Under the
   * Kubernetes flavor, a Calico-only feature is an error naming it.
   *
   * @default - NetworkDefaults.flavorOf(scope), i.e. NetworkFlavor.CALICO unless set
   */
  readonly flavor?: NetworkFlavor;
}

/** Props of a cluster-wide `GlobalNetworkPolicy`. */
export interface GlobalNetworkPolicyProps extends PolicyProps {
  /**
   * Namespaces whose endpoints the policy applies to; never `global()`.
   *
   * @default - all namespaces, and non-namespaced endpoints (host endpoints)
   */
  readonly namespaceSelector?: Selector;
  /**
   * Apply before connection tracking (untracked policy); needs `applyOnForward`.
   *
   * @default false
   */
  readonly doNotTrack?: boolean;
  /**
   * Apply before DNAT (host endpoints); ingress only; needs `applyOnForward`.
   *
   * @default false
   */
  readonly preDNAT?: boolean;
  /**
   * Also apply to traffic forwarded through host endpoints.
   *
   * @default false
   */
  readonly applyOnForward?: boolean;
}

const GLOBAL_ONLY = ['namespaceSelector', 'doNotTrack', 'preDNAT', 'applyOnForward'];

const SELECTOR = is.instanceOf(Selector, 'e.g. Selector.label(\'app\').equals(\'web\')');
const RULE = is.implementing('PolicyRule', 'an object with an action, e.g. { action: RuleAction.ALLOW }', ['action']);

/** The runtime shape of `PolicyProps`, checked at the constructors. */
const POLICY_PROPS: PropsSpec = {
  name: is.string(),
  labels: is.labels(),
  selector: SELECTOR,
  serviceAccountSelector: SELECTOR,
  // order, types and hints get calicoctl's messages from PolicyCore
  order: is.any(),
  types: is.arrayOf(is.any()),
  ingress: is.arrayOf(RULE),
  egress: is.arrayOf(RULE),
  performanceHints: is.arrayOf(is.any()),
};

/**
 * What `NetworkPolicy` and `GlobalNetworkPolicy` share: the rule lists and
 * the manifest object. Every rule is checked as calicoctl checks it, when it
 * is added.
 */
export abstract class PolicyBase extends Construct {
  /** @internal */
  protected _core!: PolicyCore;

  /** The policy name. */
  public get name(): string {
    return this._core.name;
  }

  /** The underlying manifest object. */
  public get apiObject(): ApiObject {
    return this._core.apiObject;
  }

  /** The policy types written (explicit or Calico's default for the rules). */
  public get types(): PolicyType[] {
    return this._core.types;
  }

  /** The ingress rules, in order. */
  public get ingressRules(): PolicyRule[] {
    return this._core.ingressRules;
  }

  /** The egress rules, in order. */
  public get egressRules(): PolicyRule[] {
    return this._core.egressRules;
  }

  /**
   * Append ingress rules.
   *
   * @param rules rules, checked now
   */
  public addIngress(...rules: PolicyRule[]): void {
    checkValue(this, 'rules', rules, is.arrayOf(RULE));
    this._core.add('ingress', rules);
  }

  /**
   * Append egress rules.
   *
   * @param rules rules, checked now
   */
  public addEgress(...rules: PolicyRule[]): void {
    checkValue(this, 'rules', rules, is.arrayOf(RULE));
    this._core.add('egress', rules);
  }

  /** @internal rules kept after every rule added later (a preset's closing Deny) */
  public _addFinal(direction: string, rule: PolicyRule): void {
    this._core.add(direction as 'ingress' | 'egress', [rule], true);
  }
}

/**
 * A namespaced network policy: Calico `projectcalico.org/v3` NetworkPolicy
 * (default) or, with `NetworkFlavor.KUBERNETES`, `networking.k8s.io/v1`.
 */
export class NetworkPolicy extends PolicyBase {
  /** The namespace: `namespace`, else the chart's, when either is set. */
  public readonly namespace?: string;
  /** The flavor the policy is written in. */
  public readonly flavor: NetworkFlavor;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: NetworkPolicyProps = {}) {
    super(checkScope(scope, id, 'NetworkPolicy'), id);
    for (const key of GLOBAL_ONLY) {
      if (typeof props === 'object' && props !== null && (props as any)[key] !== undefined) {
        throw ValidationError.of(this, key, String((props as any)[key]), 'is only valid on a GlobalNetworkPolicy: a NetworkPolicy has no namespaceSelector, doNotTrack, preDNAT or applyOnForward');
      }
    }
    checkProps(this, 'NetworkPolicyProps', props, {
      ...POLICY_PROPS, namespace: is.string(), flavor: is.oneOf(NetworkFlavor, 'NetworkFlavor'),
    });
    this.flavor = props.flavor ?? NetworkDefaults.flavorOf(this);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this._core = new PolicyCore(this, props, { global: false, flavor: this.flavor, namespace: props.namespace });
  }
}

/**
 * A cluster-wide Calico `GlobalNetworkPolicy` (`projectcalico.org/v3`).
 * There is no Kubernetes equivalent: under `NetworkFlavor.KUBERNETES` it is an error.
 */
export class GlobalNetworkPolicy extends PolicyBase {
  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: GlobalNetworkPolicyProps = {}) {
    super(checkScope(scope, id, 'GlobalNetworkPolicy'), id);
    checkProps(this, 'GlobalNetworkPolicyProps', props, {
      ...POLICY_PROPS, namespaceSelector: SELECTOR, doNotTrack: is.boolean(), preDNAT: is.boolean(), applyOnForward: is.boolean(),
    });
    const preDNAT = props.preDNAT === true;
    const doNotTrack = props.doNotTrack === true;
    const check = () => {
      if (preDNAT) {
        throw ValidationError.of(this, 'egress', 'egress rules', 'are not allowed with preDNAT: PreDNAT PolicySpec cannot have any Egress rules');
      }
    };
    if (doNotTrack && preDNAT) {
      throw ValidationError.of(this, 'preDNAT', true, 'cannot be combined with doNotTrack: PreDNAT and DoNotTrack cannot both be true');
    }
    if (preDNAT && (props.types ?? []).includes(PolicyType.EGRESS)) {
      throw ValidationError.of(this, 'types', props.types, 'cannot include Egress with preDNAT: PreDNAT PolicySpec cannot have \'egress\' Type');
    }
    if ((preDNAT || doNotTrack) && props.applyOnForward !== true) {
      throw ValidationError.of(this, 'applyOnForward', props.applyOnForward ?? false,
        `must be true when ${preDNAT ? 'preDNAT' : 'doNotTrack'} is true: ApplyOnForward must be true if either PreDNAT or DoNotTrack is true`);
    }
    const flavor = NetworkDefaults.flavorOf(this);
    // namespaceSelector of a GNP is a policy selector: global() is not allowed
    const extraSpec = {
      namespaceSelector: props.namespaceSelector?.expression,
      doNotTrack: props.doNotTrack,
      preDNAT: props.preDNAT,
      applyOnForward: props.applyOnForward,
    };
    this._core = new PolicyCore(this, props, { global: true, flavor, extraSpec, onEgress: check });
    this._core.checker.selector('namespaceSelector', props.namespaceSelector);
  }
}
