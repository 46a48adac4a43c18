// The evaluation of one connection (internal), as Calico's Felix evaluates
// it: egress policy at the source endpoint, then ingress policy at the
// destination endpoint; each by tiers, then policies in order, then rules in
// order, first match decides.
//
// Sources:
// - https://docs.tigera.io/calico/latest/reference/resources/tier ("How policy is evaluated":
//   tiers by order; Allow/Deny end evaluation; Pass goes to the next tier; "If the Tier applies
//   to the endpoint, but takes no action on the packet the packet is dropped"; a Pass out of the
//   last tier applying to the endpoint goes to the endpoint's profiles)
// - https://docs.tigera.io/calico/latest/reference/resources/networkpolicy (rule actions: Log
//   logs and continues; EntityRule fields; selectors in a namespaced policy match endpoints of its
//   namespace unless namespaceSelector is set; `global()` matches non-namespaced resources)
// - https://docs.tigera.io/calico/latest/reference/resources/globalnetworkpolicy (namespaceSelector
//   of the policy; rule selectors over all namespaces)
// - https://docs.tigera.io/calico/latest/network-policy/get-started/kubernetes-default-deny (an
//   endpoint selected by no policy: its Kubernetes profile allows all traffic)
import { contains, EndpointModel, NamespaceModel, NetworkSetModel } from './endpoint';
import { Labels, matches } from './labels';
import { Action, byOrder, Direction, EntityMatch, PolicyModel, PortMatch, RuleMatch, TierModel } from './policy';
import { Cidr } from '../core/cidr';
import { SelectorNode } from '../core/selector-parser';

/** One step of a decision: a rule that matched, or the end of a tier. */
export interface Step {
  /** The policy (`NetworkPolicy shop/isolation`), or `tier <name>` / `profile` for implicit steps. */
  readonly policy: string;
  /** The rule, e.g. `ingress[1]`; absent for implicit steps. */
  readonly rule?: string;
  readonly action: Action;
  /** Why, in words. */
  readonly reason: string;
}

/** The decision in one direction at one endpoint. */
export interface DirectionDecision {
  readonly allowed: boolean;
  readonly steps: Step[];
}

/** A connection: from a source to a destination port. */
export interface Connection {
  readonly source: EndpointModel;
  readonly destination: EndpointModel;
  /** Destination port; undefined for protocols without ports. */
  readonly port?: number;
  readonly protocol: number;
}

/** What the evaluator knows of the cluster besides the endpoints. */
export interface Cluster {
  readonly policies: PolicyModel[];
  readonly tiers: TierModel[];
  readonly namespaces: Map<string, NamespaceModel>;
  readonly serviceAccounts: Map<string, Labels>;
  readonly networkSets: NetworkSetModel[];
}

function nsLabels(cluster: Cluster, ns: string): Labels {
  return cluster.namespaces.get(ns)?.labels ?? { 'kubernetes.io/metadata.name': ns };
}

function saLabels(cluster: Cluster, ep: EndpointModel): Labels {
  return cluster.serviceAccounts.get(`${ep.namespace}/${ep.serviceAccount}`) ?? { 'projectcalico.org/name': ep.serviceAccount ?? 'default' };
}

/** True when a policy applies to a (namespaced, pod) endpoint in a direction. */
export function selects(cluster: Cluster, p: PolicyModel, ep: EndpointModel, d: Direction): boolean {
  if (!p.types.includes(d) || ep.namespace === undefined || (ep.kind !== 'workload' && ep.kind !== 'pod')) return false;
  if (p.kind === 'GlobalNetworkPolicy') {
    if (p.namespaceSelector && (p.namespaceSelector.op === 'global' || !matches(p.namespaceSelector, nsLabels(cluster, ep.namespace)))) return false;
  } else if (p.namespace !== ep.namespace) {
    return false;
  }
  if (!matches(p.selector, ep.labels)) return false;
  return !p.serviceAccountSelector || matches(p.serviceAccountSelector, saLabels(cluster, ep));
}

/** The label sets an endpoint can be matched by, with their namespace (undefined: non-namespaced). */
function identities(cluster: Cluster, ep: EndpointModel): Array<{ namespace?: string; labels: Labels }> {
  if (ep.kind === 'workload' || ep.kind === 'pod') return [{ namespace: ep.namespace, labels: ep.labels }];
  // an address outside the cluster matches selectors through the network sets containing it
  const ip = ep.ip;
  if (!ip) return [];
  return cluster.networkSets.filter(s => s.nets.some(n => contains(n, ip))).map(s => ({ namespace: s.namespace, labels: s.labels }));
}

function selectorMatches(cluster: Cluster, e: EntityMatch, p: PolicyModel, ep: EndpointModel): boolean {
  const sel: SelectorNode = e.selector ?? { op: 'all' };
  return identities(cluster, ep).some(id => {
    if (e.namespaceSelector) {
      if (e.namespaceSelector.op === 'global') return id.namespace === undefined && matches(sel, id.labels);
      return id.namespace !== undefined && matches(e.namespaceSelector, nsLabels(cluster, id.namespace)) && matches(sel, id.labels);
    }
    // no namespaceSelector: a namespaced policy's selector stays in its namespace, a global one's spans all
    if (p.kind !== 'GlobalNetworkPolicy' && id.namespace !== p.namespace) return false;
    return matches(sel, id.labels);
  });
}

function portMatches(list: PortMatch[], port: number | undefined, protocol: number, dst: EndpointModel | undefined): boolean {
  if (port === undefined) return false;
  return list.some(m => m.name !== undefined
    ? (dst?.ports ?? []).some(c => c.name === m.name && c.port === port && c.protocol === protocol)
    : port >= (m.min ?? 0) && port <= (m.max ?? m.min ?? 0));
}

function netsMatch(nets: string[], ip: Cidr | undefined, parse: (s: string) => Cidr | undefined): boolean {
  return ip !== undefined && nets.some(n => {
    const c = parse(n);
    return c !== undefined && contains(c, ip);
  });
}

/** True when one side of a rule matches the endpoint on that side. */
function entityMatches(cluster: Cluster, e: EntityMatch, p: PolicyModel, ep: EndpointModel, c: Connection, side: 'source' | 'destination',
  parse: (s: string) => Cidr | undefined): boolean {
  if (e.nets && !netsMatch(e.nets, ep.ip, parse)) return false;
  if (e.notNets && netsMatch(e.notNets, ep.ip, parse)) return false;
  if ((e.selector || e.namespaceSelector) && !selectorMatches(cluster, e, p, ep)) return false;
  if (e.notSelector && identities(cluster, ep).some(id => matches(e.notSelector!, id.labels))) return false;
  // source ports are ephemeral: a rule naming source ports is taken not to match
  const port = side === 'destination' ? c.port : undefined;
  if (e.ports && !portMatches(e.ports, port, c.protocol, side === 'destination' ? ep : undefined)) return false;
  if (e.notPorts && portMatches(e.notPorts, port, c.protocol, side === 'destination' ? ep : undefined)) return false;
  if (e.serviceAccountNames || e.serviceAccountSelector) {
    if (ep.serviceAccount === undefined) return false;
    if (p.kind !== 'GlobalNetworkPolicy' && ep.namespace !== p.namespace) return false;
    if (e.serviceAccountNames && !e.serviceAccountNames.includes(ep.serviceAccount)) return false;
    if (e.serviceAccountSelector && !matches(e.serviceAccountSelector, saLabels(cluster, ep))) return false;
  }
  if (e.service && !ep.services.includes(`${e.service.namespace ?? p.namespace ?? 'default'}/${e.service.name}`)) return false;
  return true;
}

function ruleMatches(cluster: Cluster, r: RuleMatch, p: PolicyModel, c: Connection, parse: (s: string) => Cidr | undefined): boolean {
  if (r.protocol !== undefined && r.protocol !== c.protocol) return false;
  if (r.notProtocol !== undefined && r.notProtocol === c.protocol) return false;
  const version = c.source.ip?.version ?? c.destination.ip?.version ?? 4;
  if (r.ipVersion !== undefined && r.ipVersion !== version) return false;
  return entityMatches(cluster, r.source, p, c.source, c, 'source', parse)
    && entityMatches(cluster, r.destination, p, c.destination, c, 'destination', parse);
}

/**
 * The decision of the policies of one endpoint (`at`) in one direction. An
 * endpoint outside the cluster (a net) has no policy: its side allows.
 */
export function decide(cluster: Cluster, at: EndpointModel, d: Direction, c: Connection, parse: (s: string) => Cidr | undefined): DirectionDecision {
  if (at.kind !== 'workload' && at.kind !== 'pod') {
    return { allowed: true, steps: [] };
  }
  const steps: Step[] = [];
  const tiers = [...cluster.tiers].sort(byOrder);
  let applied = false;
  for (const tier of tiers) {
    const policies = cluster.policies
      .filter(p => p.tier === tier.name && selects(cluster, p, at, d))
      .sort((a, b) => byOrder({ order: a.order, name: sortName(a) }, { order: b.order, name: sortName(b) }));
    if (policies.length === 0) continue;
    applied = true;
    let passed = false;
    for (const p of policies) {
      for (const r of d === 'Ingress' ? p.ingress : p.egress) {
        if (!ruleMatches(cluster, r, p, c, parse)) continue;
        steps.push({ policy: p.id, rule: r.field, action: r.action, reason: `${r.action} rule matched` });
        if (r.action === 'Log') continue;
        if (r.action === 'Allow') return { allowed: true, steps };
        if (r.action === 'Deny') return { allowed: false, steps };
        passed = true; // Pass: skip the rest of this tier
        break;
      }
      if (passed) break;
    }
    if (passed) continue;
    const names = policies.map(p => p.id).join(', ');
    if (tier.defaultAction === 'Pass') {
      steps.push({ policy: `tier ${tier.name}`, action: 'Pass', reason: `no rule of ${names} matched; the tier's defaultAction is Pass` });
      continue;
    }
    steps.push({
      policy: `tier ${tier.name}`,
      action: 'Deny',
      reason: `end of tier: ${names} select${policies.length === 1 ? 's' : ''} the endpoint for ${d.toLowerCase()} but no rule matched`,
    });
    return { allowed: false, steps };
  }
  steps.push({
    policy: 'profile',
    action: 'Allow',
    reason: applied ? 'every tier passed: the Kubernetes namespace profile allows' : `no policy selects the endpoint for ${d.toLowerCase()}: allowed`,
  });
  return { allowed: true, steps };
}

/** Felix orders policies of a tier by order, then by name; a namespaced policy's name includes its namespace. */
function sortName(p: PolicyModel): string {
  return p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name;
}
