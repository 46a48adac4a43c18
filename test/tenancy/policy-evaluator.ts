// A small evaluator of networking.k8s.io/v1 NetworkPolicy semantics, used as
// the oracle for "the policies allow exactly the intended paths".
//
// A connection from A to B on a port is allowed when A's egress allows it
// (no policy with policyTypes Egress selects A, or a rule of one that does
// matches B and the port) and B's ingress allows it (the same for Ingress).
// Policies are allow-lists and add up; an empty rule list denies.

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

/** Whether the policies let `from` open a connection to `to` on `port`. */
export function allowed(policies: any[], from: Endpoint, to: Endpoint, port: number, protocol = 'TCP'): boolean {
  return direction(policies, from, to, port, protocol, 'Egress') && direction(policies, to, from, port, protocol, 'Ingress');
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
