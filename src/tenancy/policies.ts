import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

// networking.k8s.io/v1 NetworkPolicy builders shared by Tenant, LegacyService
// and DataService (internal helpers).

/** A pod selector (matchLabels / matchExpressions). */
export type Selector = kplus.k8s.LabelSelector;
/** One peer of a rule. */
export type Peer = kplus.k8s.NetworkPolicyPeer;
/** One port of a rule. */
export type Port = kplus.k8s.NetworkPolicyPort;

/** The label every namespace carries with its own name (Kubernetes ≥ 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** The label that places a pod in a tier (`app` or `data`). */
export const TIER_LABEL = 'cdk8s-paas.io/tier';

/** Pods with these labels; in `namespace` when it differs from the policy's own. */
export function podsPeer(selector: Selector, namespace?: string): Peer {
  return namespace === undefined
    ? { podSelector: selector }
    : { podSelector: selector, namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } };
}

/** Addresses in a CIDR block. */
export function cidrPeer(cidr: string): Peer {
  return { ipBlock: { cidr } };
}

/** A port and protocol. */
export function port(number: number, protocol: string = 'TCP'): Port {
  return { port: kplus.k8s.IntOrString.fromNumber(number), protocol };
}

/** Props of one NetworkPolicy. */
export interface PolicySpec {
  readonly name: string;
  readonly namespace?: string;
  readonly podSelector: Selector;
  readonly ingress?: kplus.k8s.NetworkPolicyIngressRule[];
  readonly egress?: kplus.k8s.NetworkPolicyEgressRule[];
  readonly labels?: { [k: string]: string };
}

/**
 * A NetworkPolicy whose policyTypes are exactly the directions given
 * (an empty list isolates that direction: default deny).
 */
export function networkPolicy(scope: Construct, id: string, spec: PolicySpec): kplus.k8s.KubeNetworkPolicy {
  const policyTypes = [...(spec.ingress ? ['Ingress'] : []), ...(spec.egress ? ['Egress'] : [])];
  return new kplus.k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: { podSelector: spec.podSelector, policyTypes, ingress: spec.ingress, egress: spec.egress },
  });
}

/** Cut a generated object name to a DNS label. */
export function objectName(...parts: string[]): string {
  return parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
}
