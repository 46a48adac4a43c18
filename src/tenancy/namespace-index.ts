import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { isForeignNamespaceAllowed, isTenantScope, tenantNamespaceOf, tenantScopeOf } from '../core/tenant-scope';

// The tenancy part of the synth pipeline's prepare step (internal), and the
// index the Tenants' validations read:
// - every namespaced object created inside a Tenant gets the tenant's
//   namespace (a JSON patch, before any JSON is computed), ServiceAccount
//   subjects of its role bindings too; an explicit other namespace is an error;
// - the objects of a tenant's chart depend on its Namespace, so `kubectl apply -f`
//   creates the Namespace first.
// PaasApp.synth() prepares before it validates and holds the index for the
// whole synth. A plain cdk8s App has no prepare step: the first Tenant
// validated prepares, the last one drops the index (constructs 10.3 and 10.8
// both run validations before cdk8s renders any chart).

/** Kinds that live outside namespaces (never counted, never given the tenant's namespace). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeSnapshotClass',
  'VolumeAttachment', 'Node', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'IPPool', 'GlobalNetworkPolicy', 'GlobalNetworkSet', 'HostEndpoint',
  'BGPPeer', 'BGPConfiguration', 'FelixConfiguration', 'ClusterInformation', 'KubeControllersConfiguration', 'IPReservation']);

/** Kinds whose content the quota checks read; others are counted by kind alone or not at all. */
const READ = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob',
  'PersistentVolumeClaim', 'Service', 'HorizontalPodAutoscaler']);
const COUNTED = new Set(['ConfigMap', 'Secret']);
const BINDINGS = new Set(['RoleBinding', 'ClusterRoleBinding']);

/** Whether objects of `kind` live outside namespaces. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** The index of one synth (or validation pass). */
export interface NamespaceIndex {
  /** Namespaced objects by namespace (objects created in a tenant count as the tenant's). */
  readonly objects: Map<string, ApiObject[]>;
  /** Tenants by namespace, in tree order. */
  readonly tenants: Map<string, IConstruct[]>;
  /** Tenants still to validate in this pass (plain Apps only). */
  tenantsLeft: number;
  /** Held for a whole PaasApp synth: the tenants do not drop it. */
  held: boolean;
  /** The final JSON of an object, when the synth has rendered it already. */
  jsonOf?: (obj: ApiObject) => any;
}

const INDEX = Symbol.for('cdk8s-paas.tenancy.namespace-index');
const patched = new WeakSet<ApiObject>();
const subjectsPatched = new WeakSet<ApiObject>();

/**
 * The prepare step of tenancy for the app of `root`: applies tenant
 * namespaces, adds the dependencies on the tenants' Namespaces and returns the
 * index, held until `releaseTenancy`. Throws one ValidationError listing
 * every object inside a Tenant that names another namespace.
 */
export function prepareTenancy(root: IConstruct, all: IConstruct[] = root.node.findAll()): NamespaceIndex {
  const index = buildIndex(all);
  index.held = true;
  (root as any)[INDEX] = index;
  return index;
}

/** The synth is done with the index. */
export function releaseTenancy(root: IConstruct): void {
  delete (root as any)[INDEX];
}

/** The index of the current pass: the one the synth prepared, else built now (a plain cdk8s App). */
export function acquireIndex(root: IConstruct): NamespaceIndex {
  const existing = (root as any)[INDEX] as NamespaceIndex | undefined;
  if (existing) return existing;
  const index = buildIndex(root.node.findAll());
  (root as any)[INDEX] = index;
  return index;
}

/** A tenant is done with the index; the last one drops it unless a synth holds it. */
export function releaseIndex(root: IConstruct): void {
  const index = (root as any)[INDEX] as NamespaceIndex | undefined;
  if (index && !index.held && --index.tenantsLeft <= 0) delete (root as any)[INDEX];
}

function buildIndex(all: IConstruct[]): NamespaceIndex {
  const index: NamespaceIndex = { objects: new Map(), tenants: new Map(), tenantsLeft: 0, held: false };
  const conflicts: string[] = [];
  for (const c of all) {
    if (isTenantScope(c)) {
      const ns = tenantNamespaceOf(c)!;
      index.tenants.set(ns, [...(index.tenants.get(ns) ?? []), c]);
      index.tenantsLeft++;
    }
    if (!ApiObject.isApiObject(c)) continue;
    const tenantNs = tenantNamespaceOf(c);
    if (tenantNs !== undefined && BINDINGS.has(c.kind)) bindServiceAccountsIn(c, tenantNs);
    if (CLUSTER_SCOPED.has(c.kind)) continue;
    let ns = c.metadata.namespace;
    if (tenantNs !== undefined && ns !== tenantNs && !(ns !== undefined && isForeignNamespaceAllowed(c))) {
      // the chart's namespace is a default, which the nearer Tenant overrides
      if (ns === undefined || ns === Chart.of(c).namespace) {
        if (!patched.has(c)) {
          c.addJsonPatch(JsonPatch.add('/metadata/namespace', tenantNs));
          patched.add(c);
        }
        ns = tenantNs;
      } else {
        conflicts.push(ValidationError.format(c.node.path, 'metadata.namespace', ns,
          `is not the namespace "${tenantNs}" of the Tenant it is created in (${tenantScopeOf(c)!.node.path}); leave the namespace unset or create the object outside the Tenant`));
        continue;
      }
    }
    if (ns === undefined) continue;
    const list = index.objects.get(ns);
    if (list) list.push(c);
    else index.objects.set(ns, [c]);
  }
  if (conflicts.length > 0) {
    const firstPath = conflicts[0].slice(0, conflicts[0].indexOf(': metadata.namespace'));
    throw new ValidationError(`tenant namespaces: ${conflicts.length} object${conflicts.length > 1 ? 's' : ''} in another namespace, nothing was written\n  ${conflicts.join('\n  ')}`,
      firstPath, 'metadata.namespace');
  }
  addNamespaceDependencies(index);
  return index;
}

/** A ServiceAccount subject without a namespace, bound inside a tenant, is the tenant's ServiceAccount. */
function bindServiceAccountsIn(binding: ApiObject, ns: string): void {
  if (subjectsPatched.has(binding)) return;
  const subjects: any[] = binding.toJson().subjects ?? [];
  subjects.forEach((s, i) => {
    if (s?.kind === 'ServiceAccount' && s.namespace === undefined) binding.addJsonPatch(JsonPatch.add(`/subjects/${i}/namespace`, ns));
  });
  subjectsPatched.add(binding);
}

/** The objects of a tenant's chart in its namespace depend on its Namespace object. */
function addNamespaceDependencies(index: NamespaceIndex): void {
  for (const [ns, tenants] of index.tenants) {
    const namespaceObject = (tenants[0] as any).namespaceObject as ApiObject | undefined;
    if (!namespaceObject) continue;
    const chart = Chart.of(namespaceObject);
    for (const c of index.objects.get(ns) ?? []) {
      if (c !== namespaceObject && Chart.of(c) === chart) c.node.addDependency(namespaceObject);
    }
  }
}

/** What the checks read of an object: its manifest for the kinds they inspect, kind and name for those only counted. */
export function manifestFor(obj: ApiObject, index?: NamespaceIndex): any | undefined {
  if (READ.has(obj.kind)) return index?.jsonOf ? index.jsonOf(obj) : obj.toJson();
  if (COUNTED.has(obj.kind)) return { kind: obj.kind, metadata: { name: obj.name } };
  return undefined;
}
