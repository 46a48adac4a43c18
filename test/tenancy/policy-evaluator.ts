// A small evaluator of network policy semantics, used as the oracle for "the
// policies allow exactly the intended paths". It reads the synthesized
// manifests: networking.k8s.io/v1 NetworkPolicy, or Calico projectcalico.org/v3
// NetworkPolicy / GlobalNetworkPolicy.
//
// A connection from A to B on a port is allowed when A's egress allows it and
// B's ingress allows it.
// - Kubernetes: no policy of that direction selects the pod, or a rule of one
//   that does matches the peer and the port. Policies are allow-lists and add up.
// - Calico: the policies selecting the pod, by order (then name), rule by rule:
//   the first Allow or Deny that matches decides; Pass or no match in any
//   selecting policy is the end-of-tier deny; no selecting policy allows.
import { parseSelector, SelectorNode } from '../../src/core/selector-parser';

/** A pod (by namespace and labels) or an address outside the cluster. */
export interface Endpoint {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: { [k: string]: string };
  readonly ip?: string;
}

function matches(selector: any, labels: { [k: string]: string }): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && e.values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: throw new Error(`unknown operator ${e.operator}`);
    }
  }
  return true;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  const start = Math.floor(ipToInt(base) / size) * size;
  return ipToInt(ip) >= start && ipToInt(ip) < start + size;
}

function nsLabels(ns: string): { [k: string]: string } {
  return { 'kubernetes.io/metadata.name': ns };
}

function peerMatches(peer: any, policyNs: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    return other.ip !== undefined && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(other.ip!, c));
  }
  if (other.namespace === undefined) return false;
  const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, nsLabels(other.namespace)) : other.namespace === policyNs;
  return nsOk && (peer.podSelector ? matches(peer.podSelector, other.labels ?? {}) : true);
}

function portMatches(ports: any[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some(p => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port
    || (p.endPort !== undefined && port >= p.port && port <= p.endPort)));
}

function direction(policies: any[], subject: Endpoint, other: Endpoint, port: number, protocol: string, type: 'Ingress' | 'Egress'): boolean {
  if (subject.namespace === undefined) return true; // outside the cluster: no policy applies
  const selecting = policies.filter(p => p.kind === 'NetworkPolicy' && p.metadata.namespace === subject.namespace
    && (p.spec.policyTypes ?? ['Ingress']).includes(type) && matches(p.spec.podSelector, subject.labels ?? {}));
  if (selecting.length === 0) return true;
  const key = type === 'Ingress' ? 'from' : 'to';
  return selecting.some(p => (p.spec[type.toLowerCase()] ?? []).some((rule: any) =>
    (rule[key] === undefined || rule[key].length === 0 || rule[key].some((peer: any) => peerMatches(peer, p.metadata.namespace, other)))
    && portMatches(rule.ports, port, protocol)));
}

// ---- Calico

function calicoMatches(node: SelectorNode, labels: { [k: string]: string }): boolean {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  switch (node.op) {
    case 'all': return true;
    case 'global': return false;
    case 'has': return has(node.label);
    case '==': return has(node.label) && labels[node.label] === node.value;
    case '!=': return !has(node.label) || labels[node.label] !== node.value;
    case 'contains': return has(node.label) && labels[node.label].includes(node.value);
    case 'starts with': return has(node.label) && labels[node.label].startsWith(node.value);
    case 'ends with': return has(node.label) && labels[node.label].endsWith(node.value);
    case 'in': return has(node.label) && node.values.includes(labels[node.label]);
    case 'not in': return !has(node.label) || !node.values.includes(labels[node.label]);
    case 'not': return !calicoMatches(node.operand, labels);
    case '&&': return node.operands.every(o => calicoMatches(o, labels));
    case '||': return node.operands.some(o => calicoMatches(o, labels));
    default: throw new Error(`unknown selector node ${JSON.stringify(node)}`);
  }
}

const sel = (text: string | undefined, labels: { [k: string]: string }) => text === undefined || calicoMatches(parseSelector(text), labels);

/** Whether a Calico EntityRule matches the other endpoint (`policyNs`: the policy's namespace, undefined for global policies). */
function calicoEntity(e: any, policyNs: string | undefined, other: Endpoint, port: number, checkPorts: boolean): boolean {
  if (!e) return true;
  // a Service match (e.g. the API server's `kubernetes` Service) is none of the modelled endpoints
  if (e.services) return false;
  if (checkPorts && e.ports && !e.ports.some((p: any) => p === port || (typeof p === 'string' && /^\d+:\d+$/.test(p)
    && port >= Number(p.split(':')[0]) && port <= Number(p.split(':')[1])))) return false;
  if (e.nets && !(other.ip !== undefined && e.nets.some((c: string) => inCidr(other.ip!, c)))) return false;
  if (e.notNets && other.ip !== undefined && e.notNets.some((c: string) => inCidr(other.ip!, c))) return false;
  if (e.selector !== undefined || e.namespaceSelector !== undefined) {
    if (other.namespace === undefined) return false; // an address outside the cluster is no endpoint
    const nsOk = e.namespaceSelector !== undefined ? sel(e.namespaceSelector, nsLabels(other.namespace))
      : policyNs === undefined || other.namespace === policyNs;
    if (!nsOk || !sel(e.selector, other.labels ?? {})) return false;
  }
  if (e.notSelector !== undefined && other.namespace !== undefined && sel(e.notSelector, other.labels ?? {})) return false;
  return true;
}

function calicoDirection(policies: any[], subject: Endpoint, other: Endpoint, port: number, protocol: string, type: 'Ingress' | 'Egress'): boolean {
  if (subject.namespace === undefined) return true;
  const selecting = policies.filter(p => (p.kind === 'NetworkPolicy' ? p.metadata.namespace === subject.namespace
    : p.kind === 'GlobalNetworkPolicy' && sel(p.spec.namespaceSelector, nsLabels(subject.namespace!)))
    && sel(p.spec.selector, subject.labels ?? {}) && (p.spec.types ?? ['Ingress']).includes(type))
    .sort((a, b) => (a.spec.order ?? Infinity) - (b.spec.order ?? Infinity) || a.metadata.name.localeCompare(b.metadata.name));
  if (selecting.length === 0) return true;
  for (const p of selecting) {
    const ns = p.kind === 'NetworkPolicy' ? p.metadata.namespace : undefined;
    for (const rule of p.spec[type.toLowerCase()] ?? []) {
      if (rule.protocol !== undefined && rule.protocol !== protocol) continue;
      // the subject's side must match the subject, the other side the peer (and the destination ports)
      const [mine, theirs] = type === 'Ingress' ? [rule.destination, rule.source] : [rule.source, rule.destination];
      if (!calicoEntity(mine ? { ...mine, ports: undefined } : mine, ns, subject, port, false)) continue;
      if (!calicoEntity(theirs ? { ...theirs, ports: undefined } : theirs, ns, other, port, false)) continue;
      const dest = rule.destination;
      if (dest?.ports && !calicoEntity({ ports: dest.ports }, ns, other, port, true)) continue;
      if (rule.action === 'Allow') return true;
      if (rule.action === 'Deny' || rule.action === 'Pass') return false;
    }
  }
  return false;
}

/** Whether the policies let `from` open a connection to `to` on `port`. */
export function allowed(policies: any[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  const calico = policies.filter(p => p.apiVersion === 'projectcalico.org/v3');
  const k8s = policies.filter(p => p.apiVersion === 'networking.k8s.io/v1');
  const dir = (subject: Endpoint, other: Endpoint, type: 'Ingress' | 'Egress') =>
    direction(k8s, subject, other, port, protocol, type) && calicoDirection(calico, subject, other, port, protocol, type);
  return dir(from, to, 'Egress') && dir(to, from, 'Ingress');
}

/** The pods of the synthesized workloads, one endpoint per workload (named after it). */
export function workloadEndpoints(manifests: any[]): Endpoint[] {
  return manifests.filter(m => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(m.kind))
    .map(m => ({ name: m.metadata.name, namespace: m.metadata.namespace, labels: m.spec.template.metadata.labels }));
}

/**
 * Every allowed (from, to, port) among the endpoints and ports, as
 * `from -> to:port[/UDP]` strings (sorted), for exact comparison.
 */
export function allowedPaths(policies: any[], endpoints: Endpoint[], ports: Array<{ port: number; protocol?: string }>): string[] {
  const out: string[] = [];
  for (const a of endpoints) {
    for (const b of endpoints) {
      if (a === b) continue;
      for (const p of ports) {
        const protocol = p.protocol ?? 'TCP';
        if (allowed(policies, a, b, p.port, protocol)) out.push(`${a.name} -> ${b.name}:${p.port}${protocol === 'TCP' ? '' : `/${protocol}`}`);
      }
    }
  }
  return out.sort();
}
