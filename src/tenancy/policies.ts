import { Construct } from 'constructs';
import { cutLabel, dnsLabelFromId } from '../core/names';
import { NetworkDefaults, NetworkFlavor } from '../network/flavor';
import { NetworkPolicy } from '../network/network-policy';
import { Peer } from '../network/peer';
import { Port } from '../network/port';
import { PresetOrder } from '../network/presets';
import { Protocol } from '../network/protocol';
import { EntityRule, PolicyRule, PolicyType, RuleAction } from '../network/rule';
import { Selector } from '../network/selector';

// Policy builders shared by Tenant, LegacyService and DataService (internal
// helpers), on the network module's NetworkPolicy: Calico projectcalico.org/v3
// by default, networking.k8s.io/v1 under NetworkFlavor.KUBERNETES. They write
// Allow rules only, so both flavors mean the same: a pod selected by a policy
// of a direction gets only what some rule allows.

/** The label that places a pod in a tier (`data` for the data tier; app tier otherwise). */
export const TIER_LABEL = 'cdk8s-paas.io/tier';

/** The app tier: every pod not labelled as data tier. */
export function appTier(): Selector {
  return Selector.label(TIER_LABEL).notEqualTo('data');
}

/** Pods with these labels, in `namespace` when it differs from the policy's own. */
export function podsEntity(labels: { [k: string]: string }, namespace?: string): EntityRule {
  return { selector: Selector.matchLabels(labels), namespaceSelector: namespace === undefined ? undefined : Peer.namespaceSelector(namespace) };
}

/** Egress to the cluster DNS (UDP and TCP 53 to k8s-app=kube-dns in kube-system). */
export function dnsEgress(): PolicyRule[] {
  const destination: EntityRule = { ...podsEntity({ 'k8s-app': 'kube-dns' }, 'kube-system'), ports: [Port.of(53)] };
  return [Protocol.UDP, Protocol.TCP].map(protocol => ({ action: RuleAction.ALLOW, protocol, destination }));
}

/** Props of one tenancy policy. */
export interface PolicySpec {
  readonly name: string;
  readonly namespace?: string;
  readonly selector: Selector;
  readonly types: PolicyType[];
  readonly ingress?: PolicyRule[];
  readonly egress?: PolicyRule[];
}

/**
 * A NetworkPolicy in the flavor in force for `scope`; under Calico at
 * `PresetOrder.EXCEPTION` (500), ahead of a NamespaceIsolation's closing Deny.
 */
export function allowPolicy(scope: Construct, id: string, spec: PolicySpec): NetworkPolicy {
  const flavor = NetworkDefaults.flavorOf(scope);
  return new NetworkPolicy(scope, id, {
    ...spec,
    flavor,
    order: flavor === NetworkFlavor.CALICO ? PresetOrder.EXCEPTION : undefined,
  });
}

/** Cut a generated object name to a DNS label. */
export function objectName(...parts: string[]): string {
  return cutLabel(dnsLabelFromId(parts.join('-')).replace(/-+/g, '-'), 63);
}
