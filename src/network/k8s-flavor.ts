import { Port } from './port';
import { EntityRule, PolicyRule, RuleAction } from './rule';
import { article, Checker } from './rule-check';
import { Selector } from './selector';
import { parseCidr } from '../core/cidr';
import { SelectorNode } from '../core/selector-parser';
import { checkLabelKey, checkLabelValue } from '../validate/rules';

// Translation of validated Calico rules into networking.k8s.io/v1
// NetworkPolicy (the Kubernetes flavor). Internal.

/** Throws the flavor error naming a Calico-only feature. */
export function calicoOnly(c: Checker, field: string, value: any, feature: string): never {
  return c.fail(field, value, `uses ${feature}, a Calico-only feature: the Kubernetes flavor (networking.k8s.io/v1 NetworkPolicy) `
    + 'cannot express it; use NetworkFlavor.CALICO or drop the feature');
}

interface LabelSelector {
  matchLabels?: { [k: string]: string };
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

function requirement(node: SelectorNode, negated: boolean): LabelSelector | undefined {
  switch (node.op) {
    case 'all': return negated ? undefined : {};
    case 'has': return { matchExpressions: [{ key: node.label, operator: negated ? 'DoesNotExist' : 'Exists' }] };
    case '==':
      return negated ? { matchExpressions: [{ key: node.label, operator: 'NotIn', values: [node.value] }] } : { matchLabels: { [node.label]: node.value } };
    case '!=':
      return negated ? { matchLabels: { [node.label]: node.value } } : { matchExpressions: [{ key: node.label, operator: 'NotIn', values: [node.value] }] };
    case 'in':
    case 'not in': {
      if (node.values.length === 0) return undefined;
      const isIn = (node.op === 'in') !== negated;
      return { matchExpressions: [{ key: node.label, operator: isIn ? 'In' : 'NotIn', values: node.values }] };
    }
    case 'not': return requirement(node.operand, !negated);
    case '&&': {
      if (negated) return undefined;
      const parts = node.operands.map(o => requirement(o, false));
      if (parts.some(p => p === undefined)) return undefined;
      const labels = Object.assign({}, ...parts.map(p => p!.matchLabels ?? {}));
      const exprs = parts.flatMap(p => p!.matchExpressions ?? []);
      return {
        ...(Object.keys(labels).length ? { matchLabels: labels } : {}),
        ...(exprs.length ? { matchExpressions: exprs } : {}),
      };
    }
    default: return undefined;
  }
}

/** Selectors that stand for a Calico-only feature (e.g. a NetworkSet's selector), with the feature's name. */
export const CALICO_ONLY_SELECTORS = new WeakMap<Selector, string>();

/** A Kubernetes LabelSelector equivalent to a Calico selector, or the flavor error. */
export function labelSelector(c: Checker, field: string, sel: Selector | undefined): LabelSelector {
  if (sel === undefined) return {};
  const feature = CALICO_ONLY_SELECTORS.get(sel);
  if (feature) calicoOnly(c, field, sel.expression, feature);
  const out = requirement(sel._node, false);
  if (!out) {
    calicoOnly(c, field, sel.expression, 'a selector a Kubernetes label selector cannot express '
      + '(||, !(...&&...), contains, starts with, ends with, global() or an empty set)');
  }
  // Calico label keys and values are looser than Kubernetes': the API server would reject these
  for (const [k, v] of Object.entries(out.matchLabels ?? {})) {
    checkLabelKey(c.scope, `${field} (label key)`, k);
    checkLabelValue(c.scope, `${field} (label value)`, v);
  }
  for (const e of out.matchExpressions ?? []) {
    checkLabelKey(c.scope, `${field} (label key)`, e.key);
    (e.values ?? []).forEach(v => checkLabelValue(c.scope, `${field} (label value)`, v));
  }
  return out;
}

// Kubernetes IANA_SVC_NAME (k8s.io/apimachinery validation.IsValidPortName): the API server
// rejects other port names in a networking.k8s.io/v1 NetworkPolicy
const IANA_SVC_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

function k8sPort(c: Checker, field: string, protocol: string, p: Port): any {
  if (p.name !== undefined && !IANA_SVC_NAME.test(p.name)) {
    c.fail(field, p.name, 'is not a valid Kubernetes port name: the Kubernetes flavor needs an IANA service name, up to 15 lower-case '
      + 'alphanumerics or "-", at least one letter, no leading, trailing or double "-" (e.g. "http"); use a port number or NetworkFlavor.CALICO');
  }
  return { protocol, port: p.name ?? p.min, endPort: p.isRange ? p.max : undefined };
}

const K8S_PROTOCOLS: { [p: string]: string } = { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP', 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** The Kubernetes form of one validated Calico rule. */
export function k8sRule(c: Checker, field: string, rule: PolicyRule, direction: 'ingress' | 'egress'): any {
  if (rule.action !== RuleAction.ALLOW) calicoOnly(c, `${field}.action`, rule.action, `the ${rule.action} action (Kubernetes policies only allow)`);
  const unsupported: Array<[keyof PolicyRule, string]> = [
    ['ipVersion', 'ipVersion'], ['notProtocol', 'notProtocol'], ['icmp', 'ICMP matches'], ['notIcmp', 'ICMP matches'],
    ['http', 'HTTP matches'], ['annotations', 'rule annotations'],
  ];
  for (const [key, feature] of unsupported) {
    if (rule[key] !== undefined) calicoOnly(c, `${field}.${key}`, rule[key], feature);
  }
  const [peerSide, otherSide] = direction === 'ingress' ? ['source', 'destination'] as const : ['destination', 'source'] as const;
  const other = rule[otherSide] ?? {};
  for (const [key, value] of Object.entries(other)) {
    if (value !== undefined && !(otherSide === 'destination' && key === 'ports')) {
      calicoOnly(c, `${field}.${otherSide}.${key}`, String(value), `${article(direction)} ${direction} rule ${otherSide} ${key} match`);
    }
  }
  const peer = rule[peerSide] ?? {};
  const portSide = rule.destination ?? {};
  for (const key of ['notSelector', 'notPorts', 'serviceAccounts', 'services'] as const) {
    if (peer[key] !== undefined) calicoOnly(c, `${field}.${peerSide}.${key}`, String(peer[key]), key);
  }
  if (peerSide === 'source' && peer.ports !== undefined) calicoOnly(c, `${field}.source.ports`, peer.ports.map(String), 'source ports');
  let protocol: string | undefined;
  if (rule.protocol !== undefined) {
    protocol = K8S_PROTOCOLS[rule.protocol.toString()];
    if (!protocol) calicoOnly(c, `${field}.protocol`, rule.protocol.toString(), `protocol ${rule.protocol} (Kubernetes supports TCP, UDP and SCTP)`);
  }
  const out: any = {};
  const peers = k8sPeers(c, `${field}.${peerSide}`, peer);
  if (peers) out[direction === 'ingress' ? 'from' : 'to'] = peers;
  if (protocol) {
    out.ports = portSide.ports && portSide.ports.length > 0
      ? portSide.ports.map((p, i) => k8sPort(c, `${field}.destination.ports[${i}]`, protocol!, p))
      : [{ protocol }];
  }
  return out;
}

function k8sPeers(c: Checker, field: string, peer: EntityRule): any[] | undefined {
  const nets = peer.nets ?? [];
  const notNets = peer.notNets ?? [];
  const bySelector = peer.selector !== undefined || peer.namespaceSelector !== undefined;
  if (nets.length === 0 && notNets.length > 0) calicoOnly(c, `${field}.notNets`, notNets, 'notNets without nets');
  if (nets.length > 0 && bySelector) calicoOnly(c, `${field}.nets`, nets, 'nets combined with a selector in one rule');
  if (notNets.length > 0 && nets.length !== 1) calicoOnly(c, `${field}.notNets`, notNets, 'notNets with more than one net');
  if (nets.length > 0) {
    return nets.map(n => {
      const cidr = parseCidr(n)!;
      const withMask = cidr.hasMask ? n : `${n}/${cidr.version === 4 ? 32 : 128}`;
      return { ipBlock: { cidr: withMask, except: notNets.length > 0 ? notNets : undefined } };
    });
  }
  if (!bySelector) return undefined;
  if (peer.namespaceSelector?._node.op === 'global') calicoOnly(c, `${field}.namespaceSelector`, 'global()', 'global() (GlobalNetworkSets and host endpoints)');
  return [{
    podSelector: peer.selector !== undefined ? labelSelector(c, `${field}.selector`, peer.selector) : undefined,
    namespaceSelector: peer.namespaceSelector !== undefined ? labelSelector(c, `${field}.namespaceSelector`, peer.namespaceSelector) : undefined,
  }];
}
