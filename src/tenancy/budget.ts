import { quantityValue } from './quantity';
import { podTemplateOf } from '../validate/pod-security';

// Resource accounting of a namespace as the ResourceQuota admission controller
// does it (internal helper).
//
// A pod's effective request (and limit) of a resource is the larger of the sum
// over its app containers and the largest single init container (init containers
// run one at a time, before the app containers), plus the pod overhead.
// Containers without a request get the LimitRange's default request (or their
// own limit, which the API server copies into an unset request).

/** Per-container defaults applied by the namespace's LimitRange, in base units. */
export interface ContainerDefaults {
  readonly requests: { [resource: string]: number };
  readonly limits: { [resource: string]: number };
}

/** The resources of one pod, in base units. */
export interface PodFootprint {
  readonly requests: { [resource: string]: number };
  readonly limits: { [resource: string]: number };
}

/** A workload's pods: count and footprint. */
export interface WorkloadPods {
  readonly ref: string;
  readonly replicas: number;
  /** Extra pods a rolling update runs at once (Deployment maxSurge), 0 otherwise. */
  readonly surge: number;
  readonly footprint: PodFootprint;
  /** Each container's effective requests and limits, and the resources whose request / limit is a LimitRange default. */
  readonly containers: Array<{
    name: string; requests: { [r: string]: number }; limits: { [r: string]: number }; defaultedRequests: string[]; defaultedLimits: string[];
  }>;
}

const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];

function containerResources(c: any, defaults: ContainerDefaults) {
  const requests: { [r: string]: number } = {};
  const limits: { [r: string]: number } = {};
  const defaultedRequests: string[] = [];
  const defaultedLimits: string[] = [];
  for (const r of COMPUTE) {
    const own = quantityValue(c.resources?.limits?.[r]);
    if (own === undefined && defaults.limits[r] !== undefined) defaultedLimits.push(r);
    const limit = own ?? defaults.limits[r];
    const ownRequest = quantityValue(c.resources?.requests?.[r]) ?? own;
    if (ownRequest === undefined) defaultedRequests.push(r);
    const request = ownRequest ?? defaults.requests[r] ?? defaults.limits[r];
    if (limit !== undefined) limits[r] = limit;
    if (request !== undefined) requests[r] = request;
  }
  return { name: String(c.name), requests, limits, defaultedRequests, defaultedLimits };
}

/** The effective requests and limits of a pod spec under the given defaults. */
export function podFootprint(spec: any, defaults: ContainerDefaults): { footprint: PodFootprint; containers: WorkloadPods['containers'] } {
  const apps = (spec?.containers ?? []).map((c: any) => containerResources(c, defaults));
  const inits = (spec?.initContainers ?? []).map((c: any) => containerResources(c, defaults));
  const effective = (kind: 'requests' | 'limits') => {
    const out: { [r: string]: number } = {};
    for (const r of COMPUTE) {
      const sum = apps.reduce((s: number, c: any) => s + (c[kind][r] ?? 0), 0);
      const maxInit = inits.reduce((m: number, c: any) => Math.max(m, c[kind][r] ?? 0), 0);
      const overhead = quantityValue(spec?.overhead?.[r]) ?? 0;
      const v = Math.max(sum, maxInit) + overhead;
      if (v > 0) out[r] = v;
    }
    return out;
  };
  return { footprint: { requests: effective('requests'), limits: effective('limits') }, containers: [...inits, ...apps] };
}

function surgeOf(obj: any, replicas: number): number {
  if (obj.kind !== 'Deployment' || obj.spec?.strategy?.type === 'Recreate') return 0;
  const s = obj.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%';
  const m = /^(\d+)%$/.exec(String(s));
  return m ? Math.ceil(replicas * Number(m[1]) / 100) : Number(s) || 0;
}

/** The pods a workload object runs (undefined for objects that run none). DaemonSets count one pod (node count unknown). */
export function workloadPods(obj: any, defaults: ContainerDefaults): WorkloadPods | undefined {
  const t = podTemplateOf(obj);
  if (!t) return undefined;
  let replicas = 1;
  if (['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(obj.kind)) replicas = obj.spec?.replicas ?? 1;
  if (obj.kind === 'Job') replicas = obj.spec?.parallelism ?? 1;
  if (obj.kind === 'CronJob') replicas = obj.spec?.jobTemplate?.spec?.parallelism ?? 1;
  const { footprint, containers } = podFootprint(t.pod.spec, defaults);
  return { ref: `${obj.kind}/${obj.metadata?.name}`, replicas, surge: surgeOf(obj, replicas), footprint, containers };
}

/** One object's share of a quota resource. */
export interface Contribution {
  readonly ref: string;
  readonly amount: number;
  readonly detail: string;
}

/**
 * What the objects of one namespace use of each quota resource
 * (`requests.cpu`, `limits.memory`, `requests.storage`, `pods`, `services`, …).
 */
export function namespaceUsage(objects: any[], defaults: ContainerDefaults): { [quotaResource: string]: Contribution[] } {
  const usage: { [k: string]: Contribution[] } = {};
  const add = (key: string, ref: string, amount: number, detail: string) => {
    if (amount > 0) (usage[key] = usage[key] ?? []).push({ ref, amount, detail });
  };
  const pvcStorage = (pvc: any) => quantityValue(pvc?.spec?.resources?.requests?.storage) ?? 0;
  // an autoscaled workload may run up to its HorizontalPodAutoscaler's maxReplicas
  const autoscaled = new Map<string, number>();
  for (const o of objects) {
    const target = o.kind === 'HorizontalPodAutoscaler' ? o.spec?.scaleTargetRef : undefined;
    if (target && typeof o.spec.maxReplicas === 'number') autoscaled.set(`${target.kind}/${target.name}`, o.spec.maxReplicas);
  }
  for (const obj of objects) {
    const ref = `${obj.kind}/${obj.metadata?.name}`;
    const pods = workloadPods(obj, defaults);
    if (pods) {
      const replicas = autoscaled.get(pods.ref) ?? pods.replicas;
      add('pods', ref, replicas, `${replicas}`);
      for (const kind of ['requests', 'limits'] as const) {
        for (const [r, v] of Object.entries(pods.footprint[kind])) {
          add(`${kind}.${r}`, ref, replicas * v, `${replicas} × ${v}`);
        }
      }
    }
    if (obj.kind === 'StatefulSet') {
      const replicas = obj.spec?.replicas ?? 1;
      for (const t of obj.spec?.volumeClaimTemplates ?? []) {
        add('persistentvolumeclaims', ref, replicas, `${replicas} × ${t.metadata?.name}`);
        add('requests.storage', ref, replicas * pvcStorage(t), `${replicas} × ${t.spec?.resources?.requests?.storage}`);
      }
    }
    switch (obj.kind) {
      case 'PersistentVolumeClaim':
        add('persistentvolumeclaims', ref, 1, '1');
        add('requests.storage', ref, pvcStorage(obj), String(obj.spec?.resources?.requests?.storage));
        break;
      case 'Service': {
        add('services', ref, 1, '1');
        const type = obj.spec?.type;
        if (type === 'LoadBalancer') add('services.loadbalancers', ref, 1, '1');
        if (type === 'NodePort' || (type === 'LoadBalancer' && obj.spec?.allocateLoadBalancerNodePorts !== false)) {
          const n = (obj.spec?.ports ?? []).length;
          add('services.nodeports', ref, n, String(n));
        }
        break;
      }
      case 'ConfigMap': add('configmaps', ref, 1, '1'); break;
      case 'Secret': add('secrets', ref, 1, '1'); break;
      default:
    }
  }
  return usage;
}
