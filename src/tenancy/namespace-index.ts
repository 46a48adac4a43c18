import { ApiObject, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isTenantScope, tenantNamespaceOf } from './tenant-scope';

// One walk of the construct tree per validation pass, shared by every Tenant
// (internal): the namespaced objects by namespace, and the tenants by
// namespace. The first tenant validated builds it, the last one drops it, so
// the next pass (a later synth of a changed tree) builds a fresh one.

/** Kinds that live outside namespaces (never counted, never given the tenant's namespace). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'VolumeSnapshotClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'IPPool', 'GlobalNetworkPolicy',
  'GlobalNetworkSet', 'HostEndpoint', 'BGPPeer', 'BGPConfiguration', 'FelixConfiguration', 'ClusterInformation']);

/** Kinds whose content the quota checks read; others are counted by kind alone or not at all. */
const READ = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob',
  'PersistentVolumeClaim', 'Service', 'HorizontalPodAutoscaler']);
const COUNTED = new Set(['ConfigMap', 'Secret']);

/** The index of one validation pass. */
export interface NamespaceIndex {
  /** Namespaced objects by namespace (objects created in a tenant without one count as the tenant's). */
  readonly objects: Map<string, ApiObject[]>;
  /** Tenants by namespace, in tree order. */
  readonly tenants: Map<string, IConstruct[]>;
  /** Tenants still to validate in this pass. */
  tenantsLeft: number;
}

const INDEX = Symbol.for('cdk8s-paas.tenancy.namespace-index');
const patched = new WeakSet<ApiObject>();

/** The index of the current pass (built on first use). */
export function acquireIndex(root: IConstruct): NamespaceIndex {
  const existing = (root as any)[INDEX] as NamespaceIndex | undefined;
  if (existing) return existing;
  const index: NamespaceIndex = { objects: new Map(), tenants: new Map(), tenantsLeft: 0 };
  for (const c of root.node.findAll()) {
    if (isTenantScope(c)) {
      const ns = tenantNamespaceOf(c)!;
      index.tenants.set(ns, [...(index.tenants.get(ns) ?? []), c]);
      index.tenantsLeft++;
    }
    if (!(c instanceof ApiObject) || CLUSTER_SCOPED.has(c.kind)) continue;
    let ns = c.metadata.namespace;
    if (ns === undefined) {
      ns = tenantNamespaceOf(c);
      if (ns === undefined) continue;
      if (!patched.has(c)) {
        c.addJsonPatch(JsonPatch.add('/metadata/namespace', ns));
        patched.add(c);
      }
    }
    const list = index.objects.get(ns);
    if (list) list.push(c);
    else index.objects.set(ns, [c]);
  }
  (root as any)[INDEX] = index;
  return index;
}

/** A tenant is done with the index; the last one drops it. */
export function releaseIndex(root: IConstruct): void {
  const index = (root as any)[INDEX] as NamespaceIndex | undefined;
  if (index && --index.tenantsLeft <= 0) delete (root as any)[INDEX];
}

/** What the checks read of an object: its manifest for the kinds they inspect, kind and name for those only counted. */
export function manifestFor(obj: ApiObject): any | undefined {
  if (READ.has(obj.kind)) return obj.toJson();
  if (COUNTED.has(obj.kind)) return { kind: obj.kind, metadata: { name: obj.name } };
  return undefined;
}
