// A deliberately simple evaluator of Kubernetes NetworkPolicies, written from
// the wording of https://kubernetes.io/docs/concepts/services-networking/network-policies/
// and the NetworkPolicySpec reference, independent of src/reach (which
// converts policies to Calico's form and evaluates tiers and orders).

/** A pod (namespace + labels) or an address outside the cluster. */
export interface SpecEndpoint {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: { [k: string]: string };
  /** For addresses outside the cluster. */
  readonly ip?: string;
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipToNumber(ip) / size) === Math.floor(ipToNumber(base) / size);
}

/** "A label selector ... matchLabels ... matchExpressions ... ANDed"; an empty selector selects everything. */
function selected(sel: any, labels: { [k: string]: string }): boolean {
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel?.matchExpressions ?? []) {
    const has = labels[e.key] !== undefined;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/**
 * "If no policyTypes are specified on a NetworkPolicy then by default Ingress
 * will always be set and Egress will be set if the NetworkPolicy has any egress rules."
 */
function types(p: any): string[] {
  return p.spec.policyTypes ?? (p.spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress']);
}

/** "podSelector ... selects particular Pods in the same namespace as the NetworkPolicy". */
function appliesTo(p: any, pod: SpecEndpoint): boolean {
  return pod.ip === undefined && (p.metadata.namespace ?? 'default') === pod.namespace && selected(p.spec.podSelector, pod.labels ?? {});
}

/**
 * One peer of a rule: podSelector alone: pods of the policy's namespace;
 * namespaceSelector alone: all pods of the selected namespaces; both: pods
 * matching in the selected namespaces; ipBlock: IP ranges (cidr, minus except).
 */
function peerMatches(peer: any, policyNamespace: string, other: SpecEndpoint, namespaces: { [ns: string]: { [k: string]: string } }): boolean {
  if (peer.ipBlock) {
    return other.ip !== undefined && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e: string) => inCidr(other.ip!, e));
  }
  if (other.ip !== undefined) return false;
  if (peer.namespaceSelector) {
    if (!selected(peer.namespaceSelector, namespaces[other.namespace!] ?? {})) return false;
  } else if (other.namespace !== policyNamespace) {
    return false;
  }
  return selected(peer.podSelector, other.labels ?? {});
}

/** "ports ... protocol (TCP by default) ... port ... endPort" — an empty list matches every port. */
function portMatches(ports: any[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some(p => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || (port >= p.port && port <= (p.endPort ?? p.port))));
}

/**
 * "Each rule allows traffic which matches both the from and ports sections";
 * an empty from/to matches all sources/destinations. Policies are additive.
 */
function allowsAt(policies: any[], at: SpecEndpoint, direction: 'Ingress' | 'Egress', other: SpecEndpoint, port: number, protocol: string,
  namespaces: { [ns: string]: { [k: string]: string } }): boolean {
  if (at.ip !== undefined) return true; // outside the cluster: no policy
  const applying = policies.filter(p => appliesTo(p, at) && types(p).includes(direction));
  // "By default, a pod is non-isolated": no policy selects it for this direction
  if (applying.length === 0) return true;
  return applying.some(p => ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((r: any) => {
    const peers = direction === 'Ingress' ? r.from : r.to;
    const peerOk = !peers || peers.length === 0 || peers.some((x: any) => peerMatches(x, p.metadata.namespace ?? 'default', other, namespaces));
    return peerOk && portMatches(r.ports, port, protocol);
  }));
}

/**
 * "For a connection from a source pod to a destination pod to be allowed,
 * both the egress policy on the source pod and the ingress policy on the
 * destination pod need to allow the connection."
 */
export function specAllows(policies: any[], namespaces: { [ns: string]: { [k: string]: string } }, from: SpecEndpoint, to: SpecEndpoint,
  port: number, protocol: string): boolean {
  const k8s = policies.filter(p => p.apiVersion === 'networking.k8s.io/v1' && p.kind === 'NetworkPolicy');
  return allowsAt(k8s, from, 'Egress', to, port, protocol, namespaces) && allowsAt(k8s, to, 'Ingress', from, port, protocol, namespaces);
}
