/* eslint-disable no-bitwise */
// Endpoints of the reachability model (internal; addresses are bigints, so
// network arithmetic is bit arithmetic): the workloads of the
// manifests (pod templates), probe pods standing for peers that policies name
// but the manifests do not run, external networks, and the network sets.
import { Labels } from './labels';
import { Cidr, networkOf, parseCidr } from '../core/cidr';

/** The namespace label Kubernetes (1.21+) sets on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** What an endpoint is. */
export type EndpointKind = 'workload' | 'pod' | 'external' | 'service';

/** A container port of a workload. */
export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: number;
}

/** One endpoint: a source or destination of a connection. */
export interface EndpointModel {
  /** Unique id, e.g. `shop/Deployment/web`, `pod ingress-nginx/app.kubernetes.io/name=ingress-nginx`, `net 0.0.0.0/0`. */
  readonly id: string;
  readonly kind: EndpointKind;
  /** Workload name, probe description or CIDR. */
  readonly name: string;
  readonly namespace?: string;
  /** Pod labels, plus Calico's `projectcalico.org/namespace`, `.../orchestrator` and `.../serviceaccount`. */
  readonly labels: Labels;
  readonly serviceAccount?: string;
  /** An address of the endpoint: a pod address from the IP pool, or a representative address of the net. */
  readonly ip?: Cidr;
  readonly ports: ContainerPort[];
  /** Services (`namespace/name`) whose endpoints it is. */
  readonly services: string[];
}

/** A NetworkSet or GlobalNetworkSet (namespace undefined). */
export interface NetworkSetModel {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Labels;
  readonly nets: Cidr[];
}

/** A namespace: its labels (with `kubernetes.io/metadata.name`). */
export interface NamespaceModel {
  readonly name: string;
  readonly labels: Labels;
  /** True when a Namespace object is among the manifests. */
  readonly declared: boolean;
}

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

/** Calico's labels on a workload endpoint (https://docs.tigera.io/calico/latest/reference/resources/workloadendpoint). */
export function calicoLabels(labels: Labels, namespace: string, serviceAccount: string): Labels {
  return {
    ...labels,
    'projectcalico.org/namespace': namespace,
    'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': serviceAccount,
  };
}

function podSpecOf(o: any): { labels: Labels; spec: any } | undefined {
  if (o.kind === 'Pod') return { labels: o.metadata?.labels ?? {}, spec: o.spec ?? {} };
  if (o.kind === 'CronJob') {
    const t = o.spec?.jobTemplate?.spec?.template;
    return t ? { labels: t.metadata?.labels ?? {}, spec: t.spec ?? {} } : undefined;
  }
  const t = o.spec?.template;
  return t ? { labels: t.metadata?.labels ?? {}, spec: t.spec ?? {} } : undefined;
}

/** Pod addresses come from the first IPPool, or Calico's default pool 192.168.0.0/16 (https://docs.tigera.io/calico/latest/reference/resources/ippool). */
export function podPool(manifests: any[]): Cidr {
  const pool = manifests.find(o => o?.kind === 'IPPool' && !o.spec?.disabled && parseCidr(o.spec?.cidr)?.version === 4);
  return parseCidr(pool?.spec?.cidr ?? '192.168.0.0/16')!;
}

/** The workloads of the manifests (pod templates of Deployments, StatefulSets, DaemonSets, Jobs, Pods...). */
export function workloadsOf(manifests: any[], pool: Cidr): EndpointModel[] {
  const services = manifests.filter(o => o?.kind === 'Service' && o.spec?.selector);
  const out: EndpointModel[] = [];
  for (const o of manifests) {
    if (!o || !WORKLOADS.includes(o.kind)) continue;
    const pod = podSpecOf(o);
    if (!pod) continue;
    const namespace = o.metadata?.namespace ?? 'default';
    const sa = pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? 'default';
    const ports: ContainerPort[] = [];
    for (const c of [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])]) {
      for (const p of c.ports ?? []) {
        if (typeof p.containerPort === 'number') ports.push({ name: p.name, port: p.containerPort, protocol: p.protocol === 'UDP' ? 17 : p.protocol === 'SCTP' ? 132 : 6 });
      }
    }
    const backs = services
      .filter(s => (s.metadata?.namespace ?? 'default') === namespace && Object.entries(s.spec.selector).every(([k, v]) => pod.labels[k] === v))
      .map(s => `${namespace}/${s.metadata.name}`);
    out.push({
      id: `${namespace}/${o.kind}/${o.metadata?.name}`,
      kind: 'workload',
      name: o.metadata?.name ?? '',
      namespace,
      labels: calicoLabels(pod.labels, namespace, sa),
      serviceAccount: sa,
      ip: { version: 4, address: networkOf(pool) + BigInt(out.length + 10), prefix: 32, hasMask: false },
      ports,
      services: backs,
    });
  }
  return out;
}

/** Namespaces: the Namespace objects, and every namespace a workload or policy lives in. */
export function namespacesOf(manifests: any[]): Map<string, NamespaceModel> {
  const out = new Map<string, NamespaceModel>();
  for (const o of manifests) {
    if (o?.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata?.name) {
      out.set(o.metadata.name, { name: o.metadata.name, labels: { ...o.metadata.labels, [NAMESPACE_NAME_LABEL]: o.metadata.name }, declared: true });
    }
  }
  for (const o of manifests) {
    const ns = o?.metadata?.namespace;
    if (typeof ns === 'string' && !out.has(ns)) out.set(ns, { name: ns, labels: { [NAMESPACE_NAME_LABEL]: ns }, declared: false });
  }
  return out;
}

/** Service accounts' labels (Calico adds `projectcalico.org/name`). */
export function serviceAccountsOf(manifests: any[]): Map<string, Labels> {
  const out = new Map<string, Labels>();
  for (const o of manifests) {
    if (o?.kind === 'ServiceAccount' && o.metadata?.name) {
      out.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, { ...o.metadata.labels, 'projectcalico.org/name': o.metadata.name });
    }
  }
  return out;
}

/** NetworkSets and GlobalNetworkSets. */
export function networkSetsOf(manifests: any[]): NetworkSetModel[] {
  return manifests
    .filter(o => String(o?.apiVersion ?? '').startsWith('projectcalico.org/') && (o.kind === 'NetworkSet' || o.kind === 'GlobalNetworkSet'))
    .map(o => ({
      name: o.metadata?.name ?? '',
      namespace: o.kind === 'NetworkSet' ? o.metadata?.namespace ?? 'default' : undefined,
      labels: o.metadata?.labels ?? {},
      nets: (o.spec?.nets ?? []).map(parseCidr).filter((c: Cidr | undefined) => c !== undefined),
    }));
}

function bits(c: Cidr): number {
  return c.version === 4 ? 32 : 128;
}

/** True when the address lies in the network. */
export function contains(net: Cidr, ip: Cidr): boolean {
  if (net.version !== ip.version) return false;
  const host = BigInt(bits(net) - net.prefix);
  return (net.address >> host) === (ip.address >> host);
}

function strictlyInside(inner: Cidr, outer: Cidr): boolean {
  return inner.version === outer.version && inner.prefix > outer.prefix && contains(outer, inner);
}

/**
 * A representative address of a network: one not inside any of the more
 * specific networks given (so `0.0.0.0/0` stands for "anywhere else").
 */
export function representative(net: Cidr, others: Cidr[]): Cidr | undefined {
  const inner = others.filter(o => strictlyInside(o, net));
  const first = networkOf(net);
  const last = first + (1n << BigInt(bits(net) - net.prefix)) - 1n;
  const size = (c: Cidr) => 1n << BigInt(bits(c) - c.prefix);
  const candidates = [first, last, ...inner.flatMap(o => [networkOf(o) - 1n, networkOf(o) + size(o)])]
    .filter(a => a >= first && a <= last);
  for (const a of candidates) {
    const ip: Cidr = { version: net.version, address: a, prefix: bits(net), hasMask: false };
    if (!inner.some(o => contains(o, ip))) return ip;
  }
  return undefined;
}
