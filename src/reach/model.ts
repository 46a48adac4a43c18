import {
  calicoLabels, contains, EndpointModel, namespacesOf, networkSetsOf, podPool, representative, serviceAccountsOf, workloadsOf, NAMESPACE_NAME_LABEL,
} from './endpoint';
import { Cluster, Connection, decide, Step } from './evaluate';
import { exemplar, matches, requiredValue, selectorOf } from './labels';
import { EntityMatch, policiesOf, protocolName, protocolNumber, tiersOf } from './policy';
import { Cidr, formatNetwork, parseCidr } from '../core/cidr';
import { SelectorNode } from '../core/selector-parser';

/** What a reachability endpoint is. */
export enum ReachEndpointKind {
  /** A workload of the manifests (the pod template of a Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod). */
  WORKLOAD = 'workload',
  /** A pod the manifests do not run but policies name (the ingress controller, the DNS pods, any pod of a namespace). */
  POD = 'pod',
  /** An address outside the pod network: a net of a rule or a network set, `0.0.0.0/0` for anywhere else. */
  EXTERNAL = 'external',
}

/** A source or destination of the model. */
export interface ReachEndpoint {
  /** Unique id: `ns/Kind/name` for workloads, `pod ns/labels` or `namespace ns` for probe pods, `net CIDR` for external nets. */
  readonly id: string;
  /** What it is. */
  readonly kind: ReachEndpointKind;
  /** Workload name, probe description, or the CIDR. */
  readonly name: string;
  /**
   * Namespace.
   *
   * @default - none (external)
   */
  readonly namespace?: string;
  /** The pod labels the policies see (with Calico's `projectcalico.org/*` labels). */
  readonly labels: { [key: string]: string };
  /**
   * The representative address used for `nets` matches.
   *
   * @default - none
   */
  readonly address?: string;
  /**
   * Names of the network sets containing the address.
   *
   * @default - none
   */
  readonly networkSets?: string[];
  /** Container ports ("8080/TCP"). */
  readonly ports: string[];
}

/** One step of the path of policies that decided a connection. */
export interface ReachStep {
  /** Where the step happens: `egress` at the source or `ingress` at the destination. */
  readonly direction: string;
  /** The policy, e.g. `NetworkPolicy billing/ledger`, or `tier default` (end of tier), `profile` (no policy / passed). */
  readonly policy: string;
  /**
   * The rule that matched, e.g. `ingress[2]`.
   *
   * @default - an implicit step (end of tier, profile)
   */
  readonly rule?: string;
  /** Allow, Deny, Pass or Log. */
  readonly action: string;
  /** Why, in words. */
  readonly reason: string;
}

/** The verdict on one connection. */
export interface ReachVerdict {
  /** Source endpoint id. */
  readonly source: string;
  /** Destination endpoint id. */
  readonly destination: string;
  /**
   * Destination port.
   *
   * @default - protocols without ports
   */
  readonly port?: number;
  /** Protocol name (TCP, UDP, SCTP...). */
  readonly protocol: string;
  /** True when both the source's egress and the destination's ingress allow. */
  readonly allowed: boolean;
  /** Egress at the source allows. */
  readonly egressAllowed: boolean;
  /** Ingress at the destination allows. */
  readonly ingressAllowed: boolean;
  /** The path of policies: egress steps at the source, then ingress steps at the destination. */
  readonly steps: ReachStep[];
  /** The policies that decided (the last step of each direction that has policies), e.g. `GlobalNetworkPolicy default-deny`. */
  readonly decidedBy: string[];
}

/** An allowed connection. */
export interface ReachEdge {
  /** Source endpoint id. */
  readonly source: string;
  /** Destination endpoint id. */
  readonly destination: string;
  /**
   * Destination port.
   *
   * @default - any port not listed in another edge of the pair
   */
  readonly port?: number;
  /** Protocol name. */
  readonly protocol: string;
  /** The policies that allowed it (the deciding step of each direction). */
  readonly policies: string[];
}

/** A peer, as plain text (Calico selector syntax), for `ReachModel.resolve`. */
export interface ReachPeer {
  /**
   * Pod selector.
   *
   * @default - all() when a namespace is given
   */
  readonly selector?: string;
  /**
   * Namespace selector.
   *
   * @default - the `namespace` only
   */
  readonly namespaceSelector?: string;
  /**
   * External networks (the peer is the first one's representative address).
   *
   * @default - pods
   */
  readonly nets?: string[];
  /**
   * The namespace the selector is relative to (when there is no namespace selector).
   *
   * @default 'default'
   */
  readonly namespace?: string;
}

/** Options of `ReachModel.check`. */
export interface ReachCheckOptions {
  /**
   * Destination port.
   *
   * @default - every port the model probes for the destination: the check is "some port"
   */
  readonly port?: number;
  /**
   * Protocol name.
   *
   * @default 'TCP'
   */
  readonly protocol?: string;
}

const TCP = 6;
const UDP = 17;

/**
 * A reachability model of Kubernetes manifests: which workloads, namespaces
 * and external networks can open connections to which workloads (and
 * egress destinations) on which ports, under the Calico v3 policies
 * (NetworkPolicy, GlobalNetworkPolicy, Tier, NetworkSet, GlobalNetworkSet)
 * and Kubernetes NetworkPolicies among them, evaluated as Calico evaluates a
 * mixed cluster. Pure: it reads JSON, nothing else.
 */
export class ReachModel {
  /**
   * Build the model of a list of manifests (JSON objects, as synthesized).
   *
   * @param manifests the objects
   */
  public static fromManifests(manifests: any[]): ReachModel {
    return new ReachModel(manifests.filter(o => o && typeof o === 'object'));
  }

  private readonly cluster: Cluster;
  private readonly eps: EndpointModel[];
  private readonly sourcesOnly = new Set<string>();
  private readonly cidrs: Cidr[];
  private readonly pool: Cidr;
  private readonly cidrCache = new Map<string, Cidr | undefined>();

  private constructor(manifests: any[]) {
    this.pool = podPool(manifests);
    this.cluster = {
      policies: policiesOf(manifests),
      tiers: tiersOf(manifests),
      namespaces: namespacesOf(manifests),
      serviceAccounts: serviceAccountsOf(manifests),
      networkSets: networkSetsOf(manifests),
    };
    this.eps = workloadsOf(manifests, this.pool);
    // the nets policies and network sets name, and "anywhere else"
    const texts = new Set<string>(['0.0.0.0/0']);
    const entities = this.entities();
    for (const { e } of entities) [...e.nets ?? [], ...e.notNets ?? []].forEach(n => texts.add(n));
    for (const s of this.cluster.networkSets) s.nets.forEach(n => texts.add(formatNetwork(n)));
    if ([...texts].some(t => t.includes(':'))) texts.add('::/0');
    this.cidrs = [...texts].map(t => this.cidr(t)).filter((c): c is Cidr => c !== undefined);
    for (const t of texts) this.external(t);
    // the pods policies name (in one namespace) that no workload stands for
    for (const { e, namespace } of entities) {
      if (!e.selector && !e.namespaceSelector) continue;
      if (e.namespaceSelector?.op === 'global') continue;
      const ns = e.namespaceSelector ? requiredValue(e.namespaceSelector, NAMESPACE_NAME_LABEL) : namespace;
      if (ns === undefined) continue;
      if (!e.selector || e.selector.op === 'all') this.anyPod(ns);
      else this.probe(ns, e.selector, false);
    }
    for (const ns of this.cluster.namespaces.keys()) this.anyPod(ns);
  }

  /** Every endpoint: workloads, probe pods, external nets. */
  public get endpoints(): ReachEndpoint[] {
    return this.eps.map(e => this.describe(e));
  }

  /** The policies the model read, in evaluation order within their tier ("NetworkPolicy shop/isolation", ...). */
  public get policies(): string[] {
    return this.cluster.policies.map(p => p.id);
  }

  /**
   * The endpoints standing for a peer: the workloads it matches, or else a
   * probe pod made from its selector (added to the model), or the
   * representative address of its first net.
   *
   * @param peer the peer
   */
  public resolve(peer: ReachPeer): ReachEndpoint[] {
    if (peer.nets && peer.nets.length > 0) {
      const e = this.external(peer.nets[0]);
      return e ? [this.describe(e)] : [];
    }
    const sel = selectorOf(peer.selector);
    let namespaces: string[];
    if (peer.namespaceSelector !== undefined) {
      const nsSel = selectorOf(peer.namespaceSelector);
      const named = requiredValue(nsSel, NAMESPACE_NAME_LABEL);
      namespaces = named !== undefined ? [named] : [...this.cluster.namespaces.values()].filter(n => matches(nsSel, n.labels)).map(n => n.name);
    } else {
      namespaces = [peer.namespace ?? 'default'];
    }
    const out: EndpointModel[] = [];
    for (const ns of namespaces) {
      // a namespace-wide peer: any pod of it, labelled or not
      if (peer.selector === undefined) {
        out.push(this.anyPod(ns));
        continue;
      }
      const found = this.eps.filter(e => e.kind === 'workload' && e.namespace === ns && matches(sel, e.labels));
      if (found.length > 0) {out.push(...found);} else if (sel.op === 'all') {out.push(this.anyPod(ns));} else {
        const p = this.probe(ns, sel, true);
        if (p) out.push(p);
      }
    }
    return out.map(e => this.describe(e));
  }

  /**
   * The verdict on a connection between two endpoints (ids from `endpoints`
   * or `resolve`). Without a port, the first allowed probe port decides (or
   * the first denied one when none is allowed).
   *
   * @param from source endpoint id
   * @param to destination endpoint id
   * @param options port and protocol
   */
  public check(from: string, to: string, options: ReachCheckOptions = {}): ReachVerdict {
    const source = this.endpoint(from);
    const destination = this.endpoint(to);
    const protocol = protocolNumber(options.protocol ?? 'TCP') ?? TCP;
    if (options.port !== undefined) return this.verdict({ source, destination, port: options.port, protocol });
    const verdicts = this.probePorts(destination).filter(p => p.protocol === protocol)
      .map(p => this.verdict({ source, destination, port: p.port, protocol }));
    return verdicts.find(v => v.allowed) ?? verdicts[0];
  }

  /**
   * The ports the model tries for a destination: its container ports, every
   * port a rule names, and one port no rule names (standing for "any other
   * port"), for TCP and UDP.
   *
   * @param to destination endpoint id
   */
  public probedPorts(to: string): string[] {
    return this.probePorts(this.endpoint(to)).map(p => `${p.port}/${protocolName(p.protocol)}`);
  }

  /**
   * Every allowed connection between distinct endpoints. Per pair and
   * protocol, when every probed port is allowed one edge without a port
   * stands for all of them.
   */
  public edges(): ReachEdge[] {
    const out: ReachEdge[] = [];
    for (const source of this.eps) {
      for (const destination of this.eps) {
        if (source === destination || this.sourcesOnly.has(destination.id)) continue;
        if (source.kind === 'external' && destination.kind === 'external') continue;
        const ports = this.probePorts(destination);
        for (const protocol of [...new Set(ports.map(p => p.protocol))]) {
          const probes = ports.filter(p => p.protocol === protocol);
          const verdicts = probes.map(p => ({ p, v: this.verdict({ source, destination, port: p.port, protocol }) }));
          const allowed = verdicts.filter(x => x.v.allowed);
          if (allowed.length === 0) continue;
          const name = protocolName(protocol);
          if (allowed.length === verdicts.length) {
            out.push({ source: source.id, destination: destination.id, protocol: name, policies: allowed[0].v.decidedBy });
            continue;
          }
          for (const { p, v } of allowed) {
            out.push({ source: source.id, destination: destination.id, port: p.other ? undefined : p.port, protocol: name, policies: v.decidedBy });
          }
        }
      }
    }
    return out;
  }

  private verdict(c: Connection): ReachVerdict {
    const parse = (t: string) => this.cidr(t);
    const egress = decide(this.cluster, c.source, 'Egress', c, parse);
    const ingress = decide(this.cluster, c.destination, 'Ingress', c, parse);
    const steps = [...egress.steps.map(s => step('egress', s)), ...ingress.steps.map(s => step('ingress', s))];
    const last = (ss: Step[]) => (ss.length > 0 ? [ss[ss.length - 1].policy] : []);
    const decidedBy = !egress.allowed ? last(egress.steps) : !ingress.allowed ? last(ingress.steps) : [...last(egress.steps), ...last(ingress.steps)];
    return {
      source: c.source.id,
      destination: c.destination.id,
      port: c.port,
      protocol: protocolName(c.protocol),
      allowed: egress.allowed && ingress.allowed,
      egressAllowed: egress.allowed,
      ingressAllowed: ingress.allowed,
      steps,
      decidedBy: [...new Set(decidedBy)],
    };
  }

  private probePorts(dst: EndpointModel): Array<{ port: number; protocol: number; other?: boolean }> {
    const seen = new Set<string>();
    const out: Array<{ port: number; protocol: number; other?: boolean }> = [];
    const add = (port: number, protocol: number, other?: boolean) => {
      const k = `${port}/${protocol}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push({ port, protocol, other });
      }
    };
    dst.ports.forEach(p => add(p.port, p.protocol));
    const used = new Set<number>(dst.ports.map(p => p.port));
    for (const { e, protocol } of this.entities()) {
      for (const m of [...e.ports ?? [], ...e.notPorts ?? []]) {
        if (m.min === undefined) continue;
        used.add(m.min);
        used.add(m.max ?? m.min);
        for (const proto of protocol !== undefined ? [protocol] : [TCP, UDP]) {
          if (proto !== TCP && proto !== UDP && proto !== 132) continue;
          add(m.min, proto);
          if (m.max !== undefined && m.max !== m.min) add(m.max, proto);
        }
      }
    }
    let other = 1;
    while (used.has(other)) other++;
    add(other, TCP, true);
    add(other, UDP, true);
    return out;
  }

  private entities(): Array<{ e: EntityMatch; namespace?: string; protocol?: number }> {
    return this.cluster.policies.flatMap(p => [...p.ingress, ...p.egress].flatMap(r => [
      { e: r.source, namespace: p.namespace, protocol: r.protocol },
      { e: r.destination, namespace: p.namespace, protocol: r.protocol },
    ]));
  }

  private cidr(text: string): Cidr | undefined {
    if (!this.cidrCache.has(text)) this.cidrCache.set(text, parseCidr(text));
    return this.cidrCache.get(text);
  }

  private external(text: string): EndpointModel | undefined {
    const net = this.cidr(text);
    if (!net) return undefined;
    const id = `net ${formatNetwork(net)}`;
    const existing = this.eps.find(e => e.id === id);
    if (existing) return existing;
    // the pod network is not "outside": keep the representative address out of the pool
    const ip = representative(net, [...this.cidrs ?? [], this.pool]);
    if (!ip) return undefined;
    const e: EndpointModel = { id, kind: 'external', name: formatNetwork(net), labels: {}, ip, ports: [], services: [] };
    this.eps.push(e);
    return e;
  }

  private anyPod(ns: string): EndpointModel {
    const id = `namespace ${ns}`;
    const existing = this.eps.find(e => e.id === id);
    if (existing) return existing;
    const e = this.pod(id, `any pod of ${ns}`, ns, {});
    this.sourcesOnly.add(id);
    return e;
  }

  private probe(ns: string, sel: SelectorNode, force: boolean): EndpointModel | undefined {
    if (sel.op === 'all') return force ? this.anyPod(ns) : undefined;
    const labels = exemplar(sel);
    if (!labels) return undefined;
    if (!force && this.eps.some(e => e.kind === 'workload' && e.namespace === ns && matches(sel, e.labels))) return undefined;
    const text = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    const id = `pod ${ns}/${text}`;
    return this.eps.find(e => e.id === id) ?? this.pod(id, text, ns, labels);
  }

  private pod(id: string, name: string, ns: string, labels: { [k: string]: string }): EndpointModel {
    const n = this.eps.filter(e => e.kind === 'workload' || e.kind === 'pod').length;
    const e: EndpointModel = {
      id,
      kind: 'pod',
      name,
      namespace: ns,
      labels: calicoLabels(labels, ns, 'default'),
      serviceAccount: 'default',
      ip: { version: 4, address: this.pool.address + BigInt(1000 + n), prefix: 32, hasMask: false },
      ports: [],
      services: [],
    };
    this.eps.push(e);
    return e;
  }

  private endpoint(id: string): EndpointModel {
    const e = this.eps.find(x => x.id === id);
    if (!e) throw new Error(`ReachModel: no endpoint "${id}": expected one of ${this.eps.map(x => x.id).join(', ')}`);
    return e;
  }

  private describe(e: EndpointModel): ReachEndpoint {
    const sets = e.kind === 'external' && e.ip
      ? this.cluster.networkSets.filter(s => s.nets.some(n => n.version === e.ip!.version && contains(n, e.ip!))).map(s => (s.namespace ? `${s.namespace}/${s.name}` : s.name))
      : [];
    return {
      id: e.id,
      kind: e.kind === 'workload' ? ReachEndpointKind.WORKLOAD : e.kind === 'external' ? ReachEndpointKind.EXTERNAL : ReachEndpointKind.POD,
      name: e.name,
      namespace: e.namespace,
      labels: { ...e.labels },
      address: e.ip ? fmt(e.ip) : undefined,
      networkSets: sets.length > 0 ? sets : undefined,
      ports: e.ports.map(p => `${p.port}/${protocolName(p.protocol)}`),
    };
  }
}

function step(direction: string, s: Step): ReachStep {
  return { direction, policy: s.policy, rule: s.rule, action: s.action, reason: s.reason };
}

function fmt(c: Cidr): string {
  return formatNetwork({ ...c, prefix: c.version === 4 ? 32 : 128 }).replace(/\/\d+$/, '');
}
