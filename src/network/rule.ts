import { Port } from './port';
import { Protocol } from './protocol';
import { Selector } from './selector';

/** What a rule does with matching traffic. */
export enum RuleAction {
  /** Accept the traffic. */
  ALLOW = 'Allow',
  /** Drop the traffic (Calico only). */
  DENY = 'Deny',
  /** Log the packet and continue with the next rule (Calico only). */
  LOG = 'Log',
  /** Skip the remaining policies of the tier (Calico only). */
  PASS = 'Pass',
}

/** The direction a policy applies to. */
export enum PolicyType {
  /** Traffic to the selected endpoints. */
  INGRESS = 'Ingress',
  /** Traffic from the selected endpoints. */
  EGRESS = 'Egress',
}

/** ICMP type and code match. */
export interface IcmpMatch {
  /**
   * ICMP type, 0-254.
   *
   * @default - any type
   */
  readonly type?: number;
  /**
   * ICMP code, 0-255; needs `type`.
   *
   * @default - any code
   */
  readonly code?: number;
}

/** One HTTP path match: exactly one of `exact` and `prefix`. */
export interface HttpPath {
  /**
   * The whole path, e.g. '/api/v1/health'.
   *
   * @default - none
   */
  readonly exact?: string;
  /**
   * A path prefix, e.g. '/api/'.
   *
   * @default - none
   */
  readonly prefix?: string;
}

/** HTTP match of an Allow ingress rule (needs Calico application layer policy). */
export interface HttpMatch {
  /**
   * HTTP methods, e.g. ['GET', 'HEAD']; no duplicates.
   *
   * @default - any method
   */
  readonly methods?: string[];
  /**
   * Paths (ORed).
   *
   * @default - any path
   */
  readonly paths?: HttpPath[];
}

/** Service account match (`names` and `selector` are ANDed). */
export interface ServiceAccountMatch {
  /**
   * Service account names.
   *
   * @default - any name
   */
  readonly names?: string[];
  /**
   * Selector over service account labels.
   *
   * @default - any labels
   */
  readonly selector?: Selector;
}

/** A Kubernetes Service as a rule peer. */
export interface ServiceMatch {
  /** The Service name. */
  readonly name: string;
  /**
   * The Service namespace; required in a GlobalNetworkPolicy.
   *
   * @default - the policy's namespace
   */
  readonly namespace?: string;
}

/** The source or destination of a rule; all set fields must match (AND). */
export interface EntityRule {
  /**
   * Networks (CIDRs, strictly masked) the peer address must be in.
   *
   * @default - any address
   */
  readonly nets?: string[];
  /**
   * Networks the peer address must not be in.
   *
   * @default - none excluded
   */
  readonly notNets?: string[];
  /**
   * Endpoints (pods, network sets) the peer must match; never `global()`.
   *
   * @default - any endpoint
   */
  readonly selector?: Selector;
  /**
   * Endpoints the peer must not match.
   *
   * @default - none excluded
   */
  readonly notSelector?: Selector;
  /**
   * Namespaces of the peer. In a NetworkPolicy, unset means the policy's own
   * namespace; `Selector.all()` means every namespace; `Selector.global()`
   * (alone) means non-namespaced GlobalNetworkSets and host endpoints.
   *
   * @default - the policy's namespace (NetworkPolicy) or all namespaces (GlobalNetworkPolicy)
   */
  readonly namespaceSelector?: Selector;
  /**
   * Ports (needs protocol TCP, UDP or SCTP).
   *
   * @default - any port
   */
  readonly ports?: Port[];
  /**
   * Ports excluded (needs protocol TCP, UDP or SCTP).
   *
   * @default - none excluded
   */
  readonly notPorts?: Port[];
  /**
   * Service accounts of the peer pods.
   *
   * @default - any
   */
  readonly serviceAccounts?: ServiceAccountMatch;
  /**
   * A Kubernetes Service: destination of egress rules or source of ingress
   * rules; cannot be combined with selectors, nets or service accounts.
   *
   * @default - none
   */
  readonly services?: ServiceMatch;
}

/** One ingress or egress rule of a Calico policy. */
export interface PolicyRule {
  /** What to do with matching traffic. */
  readonly action: RuleAction;
  /**
   * IP protocol.
   *
   * @default - any protocol
   */
  readonly protocol?: Protocol;
  /**
   * Protocol the traffic must not have.
   *
   * @default - none excluded
   */
  readonly notProtocol?: Protocol;
  /**
   * IP version, 4 or 6.
   *
   * @default - both
   */
  readonly ipVersion?: number;
  /**
   * ICMP match (protocol must be ICMP or ICMPv6).
   *
   * @default - any
   */
  readonly icmp?: IcmpMatch;
  /**
   * ICMP types/codes excluded.
   *
   * @default - none excluded
   */
  readonly notIcmp?: IcmpMatch;
  /**
   * Where the traffic comes from.
   *
   * @default - anywhere
   */
  readonly source?: EntityRule;
  /**
   * Where the traffic goes.
   *
   * @default - anywhere
   */
  readonly destination?: EntityRule;
  /**
   * HTTP match (Allow ingress rules only; protocol TCP or unset).
   *
   * @default - none
   */
  readonly http?: HttpMatch;
  /**
   * Annotations on the rule (`metadata.annotations`).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}
