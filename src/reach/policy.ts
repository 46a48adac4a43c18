// Policies of the reachability model (internal): Calico v3 NetworkPolicy,
// GlobalNetworkPolicy and Tier objects, and Kubernetes NetworkPolicies
// converted the way Calico converts them, into one normalised form.
import { selectorOf } from './labels';
import { SelectorNode } from '../core/selector-parser';

/** A rule action (Calico v3). */
export type Action = 'Allow' | 'Deny' | 'Pass' | 'Log';
/** A traffic direction, as in a policy's `types`. */
export type Direction = 'Ingress' | 'Egress';

/** A port match: a number range or a named port. */
export interface PortMatch {
  readonly min?: number;
  readonly max?: number;
  readonly name?: string;
}

/** One side of a rule (Calico EntityRule). */
export interface EntityMatch {
  readonly nets?: string[];
  readonly notNets?: string[];
  readonly selector?: SelectorNode;
  readonly notSelector?: SelectorNode;
  readonly namespaceSelector?: SelectorNode;
  readonly ports?: PortMatch[];
  readonly notPorts?: PortMatch[];
  readonly serviceAccountNames?: string[];
  readonly serviceAccountSelector?: SelectorNode;
  readonly service?: { readonly name: string; readonly namespace?: string };
}

/** A normalised rule. */
export interface RuleMatch {
  readonly action: Action;
  /** Protocol number (6 TCP, 17 UDP, ...), if the rule names one. */
  readonly protocol?: number;
  readonly notProtocol?: number;
  readonly ipVersion?: number;
  readonly source: EntityMatch;
  readonly destination: EntityMatch;
  /** Where the rule came from, e.g. `ingress[2]` or `ingress[0].from[1]`. */
  readonly field: string;
}

/** A normalised policy. */
export interface PolicyModel {
  /** `NetworkPolicy shop/isolation`, `GlobalNetworkPolicy default-deny`, `Kubernetes NetworkPolicy shop/web`. */
  readonly id: string;
  readonly kind: 'NetworkPolicy' | 'GlobalNetworkPolicy' | 'KubernetesNetworkPolicy';
  readonly name: string;
  readonly namespace?: string;
  readonly tier: string;
  /** Undefined: applied after every ordered policy of its tier. */
  readonly order?: number;
  readonly selector: SelectorNode;
  readonly namespaceSelector?: SelectorNode;
  readonly serviceAccountSelector?: SelectorNode;
  readonly types: Direction[];
  readonly ingress: RuleMatch[];
  readonly egress: RuleMatch[];
}

/** A Calico tier. */
export interface TierModel {
  readonly name: string;
  readonly order?: number;
  /** What happens when policies of the tier select an endpoint but no rule matches. */
  readonly defaultAction: 'Deny' | 'Pass';
}

/**
 * The default tier: "created during installation and has the order of
 * 1,000,000 ... All network and global network policies without an explicit
 * tier are placed" there, and all Kubernetes network policies
 * (https://docs.tigera.io/calico/latest/network-policy/policy-tiers/tiered-policy).
 */
export const DEFAULT_TIER: TierModel = { name: 'default', order: 1_000_000, defaultAction: 'Deny' };

/**
 * Calico gives every Kubernetes NetworkPolicy the order 1000 in the default
 * tier (libcalico-go lib/backend/k8s/conversion/constants.go `k8sPolicyOrder
 * = 1000.0`, https://github.com/projectcalico/calico/blob/master/libcalico-go/lib/backend/k8s/conversion/constants.go;
 * the policy is named `knp.default.<name>`).
 */
export const K8S_POLICY_ORDER = 1000;

const PROTOCOLS: { [name: string]: number } = { TCP: 6, UDP: 17, ICMP: 1, ICMPv6: 58, SCTP: 132, UDPLite: 136 };

/** A protocol number from a Calico or Kubernetes protocol (name or number). */
export function protocolNumber(p: string | number | undefined): number | undefined {
  if (p === undefined || p === null) return undefined;
  if (typeof p === 'number') return p;
  return PROTOCOLS[p] ?? PROTOCOLS[p.toUpperCase()] ?? (/^\d+$/.test(p) ? Number(p) : undefined);
}

/** The name of a protocol number, for reports. */
export function protocolName(n: number): string {
  return Object.keys(PROTOCOLS).find(k => PROTOCOLS[k] === n) ?? String(n);
}

function calicoPort(p: string | number): PortMatch {
  if (typeof p === 'number') return { min: p, max: p };
  const m = /^(\d+):(\d+)$/.exec(p);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  if (/^\d+$/.test(p)) return { min: Number(p), max: Number(p) };
  return { name: p };
}

function calicoEntity(e: any): EntityMatch {
  if (!e) return {};
  const sel = (s: any) => (typeof s === 'string' ? selectorOf(s) : undefined);
  return {
    nets: e.nets ?? (e.net ? [e.net] : undefined),
    notNets: e.notNets ?? (e.notNet ? [e.notNet] : undefined),
    selector: sel(e.selector),
    notSelector: sel(e.notSelector),
    namespaceSelector: sel(e.namespaceSelector),
    ports: e.ports?.map(calicoPort),
    notPorts: e.notPorts?.map(calicoPort),
    serviceAccountNames: e.serviceAccounts?.names,
    serviceAccountSelector: sel(e.serviceAccounts?.selector),
    service: e.services?.name ? { name: e.services.name, namespace: e.services.namespace } : undefined,
  };
}

function calicoRule(r: any, field: string): RuleMatch {
  return {
    action: r.action,
    protocol: protocolNumber(r.protocol),
    notProtocol: protocolNumber(r.notProtocol),
    ipVersion: r.ipVersion,
    source: calicoEntity(r.source),
    destination: calicoEntity(r.destination),
    field,
  };
}

/**
 * Calico's default `types`: Ingress, plus Egress when there are egress rules;
 * Egress alone when there are only egress rules
 * (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#spec).
 */
function calicoTypes(spec: any): Direction[] {
  if (Array.isArray(spec.types) && spec.types.length > 0) return spec.types;
  const e = (spec.egress ?? []).length > 0;
  const i = (spec.ingress ?? []).length > 0;
  return e && !i ? ['Egress'] : e ? ['Ingress', 'Egress'] : ['Ingress'];
}

function fromCalico(o: any): PolicyModel {
  const spec = o.spec ?? {};
  const global = o.kind === 'GlobalNetworkPolicy';
  const namespace = global ? undefined : o.metadata?.namespace ?? 'default';
  return {
    id: global ? `GlobalNetworkPolicy ${o.metadata?.name}` : `NetworkPolicy ${namespace}/${o.metadata?.name}`,
    kind: global ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
    name: o.metadata?.name ?? '',
    namespace,
    tier: spec.tier ?? 'default',
    order: typeof spec.order === 'number' ? spec.order : undefined,
    selector: selectorOf(spec.selector),
    namespaceSelector: global && spec.namespaceSelector ? selectorOf(spec.namespaceSelector) : undefined,
    serviceAccountSelector: spec.serviceAccountSelector ? selectorOf(spec.serviceAccountSelector) : undefined,
    types: calicoTypes(spec),
    ingress: (spec.ingress ?? []).map((r: any, i: number) => calicoRule(r, `ingress[${i}]`)),
    egress: (spec.egress ?? []).map((r: any, i: number) => calicoRule(r, `egress[${i}]`)),
  };
}

/** A Kubernetes LabelSelector as a Calico selector (an empty selector selects everything). */
export function labelSelectorNode(ls: any): SelectorNode {
  const parts: SelectorNode[] = [];
  for (const [k, v] of Object.entries(ls?.matchLabels ?? {})) parts.push({ op: '==', label: k, value: String(v) });
  for (const e of ls?.matchExpressions ?? []) {
    const values: string[] = (e.values ?? []).map(String);
    switch (e.operator) {
      case 'In': parts.push({ op: 'in', label: e.key, values }); break;
      case 'NotIn': parts.push({ op: 'not in', label: e.key, values }); break;
      case 'Exists': parts.push({ op: 'has', label: e.key }); break;
      case 'DoesNotExist': parts.push({ op: 'not', operand: { op: 'has', label: e.key } }); break;
      default: parts.push({ op: 'not', operand: { op: 'all' } }); // unknown operator: matches nothing
    }
  }
  return parts.length === 0 ? { op: 'all' } : parts.length === 1 ? parts[0] : { op: '&&', operands: parts };
}

function k8sPorts(ports: any[] | undefined): Array<{ protocol: number; port?: PortMatch }> {
  if (!ports || ports.length === 0) return [];
  return ports.map(p => ({
    protocol: protocolNumber(p.protocol ?? 'TCP')!,
    port: p.port === undefined ? undefined
      : typeof p.port === 'number' ? { min: p.port, max: p.endPort ?? p.port } : { name: String(p.port) },
  }));
}

function k8sPeer(peer: any): EntityMatch {
  if (peer.ipBlock) return { nets: [peer.ipBlock.cidr], notNets: peer.ipBlock.except };
  // podSelector alone: pods of the policy's namespace; namespaceSelector (also {}): pods of matching namespaces
  return {
    selector: peer.podSelector ? labelSelectorNode(peer.podSelector) : { op: 'all' },
    namespaceSelector: peer.namespaceSelector ? labelSelectorNode(peer.namespaceSelector) : undefined,
  };
}

/**
 * A Kubernetes NetworkPolicy as Calico evaluates it: a policy of the default
 * tier with order 1000 whose rules are all Allow, one per peer × port. An
 * empty `from`/`to` matches every peer; an empty `ports` every port
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/).
 * `policyTypes` defaults to Ingress, plus Egress when there are egress rules
 * (NetworkPolicySpec.policyTypes, https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/).
 */
function fromKubernetes(o: any): PolicyModel {
  const spec = o.spec ?? {};
  const namespace = o.metadata?.namespace ?? 'default';
  const rules = (direction: 'ingress' | 'egress'): RuleMatch[] => {
    const out: RuleMatch[] = [];
    (spec[direction] ?? []).forEach((r: any, i: number) => {
      const peers: any[] | undefined = direction === 'ingress' ? r.from : r.to;
      const peerMatches: Array<{ e: EntityMatch; f: string }> = peers && peers.length > 0
        ? peers.map((p, j) => ({ e: k8sPeer(p), f: `${direction}[${i}].${direction === 'ingress' ? 'from' : 'to'}[${j}]` }))
        : [{ e: {}, f: `${direction}[${i}]` }];
      const ports = k8sPorts(r.ports);
      for (const pm of peerMatches) {
        const variants = ports.length > 0 ? ports : [undefined];
        variants.forEach((pt, k) => {
          const field = ports.length > 0 ? `${pm.f}.ports[${k}]` : pm.f;
          const portSide: EntityMatch = pt?.port ? { ports: [pt.port] } : {};
          out.push({
            action: 'Allow',
            protocol: pt?.protocol,
            source: direction === 'ingress' ? pm.e : {},
            destination: direction === 'ingress' ? portSide : { ...pm.e, ...portSide },
            field,
          });
        });
      }
    });
    return out;
  };
  const types: Direction[] = Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0
    ? spec.policyTypes
    : (spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return {
    id: `Kubernetes NetworkPolicy ${namespace}/${o.metadata?.name}`,
    kind: 'KubernetesNetworkPolicy',
    name: `knp.default.${o.metadata?.name}`,
    namespace,
    tier: 'default',
    order: K8S_POLICY_ORDER,
    selector: labelSelectorNode(spec.podSelector),
    types,
    ingress: rules('ingress'),
    egress: rules('egress'),
  };
}

/** The policies among manifests, normalised. */
export function policiesOf(manifests: any[]): PolicyModel[] {
  const out: PolicyModel[] = [];
  for (const o of manifests) {
    if (!o || typeof o !== 'object') continue;
    const api = String(o.apiVersion ?? '');
    if (api.startsWith('projectcalico.org/') && (o.kind === 'NetworkPolicy' || o.kind === 'GlobalNetworkPolicy')) out.push(fromCalico(o));
    if (api.startsWith('networking.k8s.io/') && o.kind === 'NetworkPolicy') out.push(fromKubernetes(o));
  }
  return out;
}

/** The tiers: the default tier and the Tier objects among manifests. */
export function tiersOf(manifests: any[]): TierModel[] {
  const tiers = new Map<string, TierModel>([[DEFAULT_TIER.name, DEFAULT_TIER]]);
  for (const o of manifests) {
    if (o?.kind === 'Tier' && String(o.apiVersion ?? '').startsWith('projectcalico.org/') && o.metadata?.name !== 'default') {
      tiers.set(o.metadata.name, {
        name: o.metadata.name,
        order: typeof o.spec?.order === 'number' ? o.spec.order : undefined,
        defaultAction: o.spec?.defaultAction === 'Pass' ? 'Pass' : 'Deny',
      });
    }
  }
  return [...tiers.values()];
}

/**
 * Order of evaluation: lower `order` first, a missing order last ("No value
 * indicates highest order (lowest precedence)",
 * https://docs.tigera.io/calico/latest/reference/resources/tier), ties by
 * name (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy:
 * "policies with the same order are ordered by name").
 */
export function byOrder<T extends { order?: number; name: string }>(a: T, b: T): number {
  const oa = a.order ?? Number.POSITIVE_INFINITY;
  const ob = b.order ?? Number.POSITIVE_INFINITY;
  if (oa !== ob) return oa < ob ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
