import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { checkAdmission, checkLimitRange } from './admission-check';
import { acquireIndex, manifestFor, NamespaceIndex, releaseIndex } from './namespace-index';
import { allowPolicy, appTier } from './policies';
import { checkedLimits, limitRangeSpec } from './tenant-limits';
import { QuotaValues, quotaHard } from './tenant-quota';
import { bindGroups } from './tenant-rbac';
import { AppServiceAccount } from '../config/app-service-account';
import { RegistryCredentials } from '../config/registry-credentials';
import { checkProps, checkScope, is, PropsSpec } from '../core/checks';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';
import { markTenantScope, tenantScopeOf } from '../core/tenant-scope';
import { NetworkDefaults, NetworkFlavor } from '../network/flavor';
import { IpPool } from '../network/ip-pool';
import { NetworkPolicy } from '../network/network-policy';
import { Peer } from '../network/peer';
import { NamespaceIsolation } from '../network/presets';
import { PolicyType } from '../network/rule';
import { Selector } from '../network/selector';
import { PodSecurityLevel } from '../validate/pod-security';
import { checkDnsLabel, checkLabelKey, checkLabelValue } from '../validate/rules';

/**
 * The tenant's ResourceQuota: what all its pods together may request, and how
 * many objects of each kind it may hold.
 */
export interface TenantQuota {
  /** Sum of CPU requests (`requests.cpu`). @default '4' */
  readonly requestsCpu?: string;
  /** Sum of memory requests (`requests.memory`). @default '8Gi' */
  readonly requestsMemory?: string;
  /** Sum of CPU limits (`limits.cpu`). @default '8' */
  readonly limitsCpu?: string;
  /** Sum of memory limits (`limits.memory`). @default '16Gi' */
  readonly limitsMemory?: string;
  /** Sum of PersistentVolumeClaim storage requests (`requests.storage`). @default '50Gi' */
  readonly requestsStorage?: string;
  /** Pods (`pods`). @default 40 */
  readonly pods?: number;
  /** Services (`services`). @default 20 */
  readonly services?: number;
  /** PersistentVolumeClaims (`persistentvolumeclaims`). @default 10 */
  readonly persistentVolumeClaims?: number;
  /** ConfigMaps (`configmaps`), including the `kube-root-ca.crt` every namespace gets. @default 50 */
  readonly configMaps?: number;
  /** Secrets (`secrets`). @default 50 */
  readonly secrets?: number;
  /** Services of type LoadBalancer (`services.loadbalancers`). @default 0 */
  readonly loadBalancers?: number;
  /** Node ports (`services.nodeports`). @default 0 */
  readonly nodePorts?: number;
}

/**
 * The tenant's LimitRange: defaults for containers that set no requests or
 * limits, and the most one container may use.
 */
export interface TenantLimits {
  /** CPU request of a container that sets none. @default '100m' */
  readonly defaultCpuRequest?: string;
  /** Memory request of a container that sets none. @default '128Mi' */
  readonly defaultMemoryRequest?: string;
  /** CPU limit of a container that sets none. @default '1' */
  readonly defaultCpuLimit?: string;
  /** Memory limit of a container that sets none. @default '512Mi' */
  readonly defaultMemoryLimit?: string;
  /** Largest CPU limit of one container. @default '4' */
  readonly maxCpu?: string;
  /** Largest memory limit of one container. @default '8Gi' */
  readonly maxMemory?: string;
}

/**
 * The Calico IP pool the tenant's pods take their addresses from.
 */
export interface TenantIpPool {
  /**
   * Name of the IPPool.
   *
   * @default - `<namespace>-pool`
   */
  readonly name?: string;
  /**
   * CIDR of the pool. When set, the IPPool (`projectcalico.org/v3`, checked as
   * calicoctl checks it) is created; when not, an existing pool called `name`
   * is referenced.
   *
   * @default - reference an existing pool
   */
  readonly cidr?: string;
  /**
   * Prefix length of the blocks Calico hands to nodes (20 to 32 for IPv4, not shorter than the pool's).
   *
   * @default 26
   */
  readonly blockSize?: number;
  /**
   * Masquerade traffic from the pool to destinations outside the cluster.
   *
   * @default true
   */
  readonly natOutgoing?: boolean;
}

/**
 * Props of a `Tenant`.
 */
export interface TenantProps {
  /**
   * The tenant's namespace.
   *
   * @default - the construct id, as a DNS label
   */
  readonly namespace?: string;
  /**
   * The Pod Security Standard level enforced (and warned and audited) in the namespace.
   *
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * The ResourceQuota.
   *
   * @default - see `TenantQuota` (4 CPU / 8Gi requested, 8 CPU / 16Gi limits, 50Gi storage, no LoadBalancers or NodePorts)
   */
  readonly quota?: TenantQuota;
  /**
   * The LimitRange for containers.
   *
   * @default - see `TenantLimits` (100m / 128Mi requested, 1 CPU / 512Mi limit, at most 4 CPU / 8Gi)
   */
  readonly limits?: TenantLimits;
  /**
   * Groups bound to the built-in ClusterRole `admin` in the namespace.
   *
   * @default - none
   */
  readonly adminGroups?: string[];
  /**
   * Groups bound to the built-in ClusterRole `edit` in the namespace.
   *
   * @default - none
   */
  readonly developerGroups?: string[];
  /**
   * Groups bound to the built-in ClusterRole `view` in the namespace.
   *
   * @default - none
   */
  readonly viewerGroups?: string[];
  /**
   * Isolate the tenant's network with the `NamespaceIsolation` preset over its
   * app tier and a default deny for every pod: nothing in or out except
   * between its app-tier pods, to the cluster DNS, from
   * `allowIngressFromNamespaces`, and what LegacyService and DataService open.
   *
   * @default true
   */
  readonly isolation?: boolean;
  /**
   * The API the isolation policies (and those of the LegacyServices and
   * DataServices inside the tenant) are written in.
   *
   * @default - NetworkDefaults.flavorOf(scope): NetworkFlavor.CALICO unless set
   */
  readonly flavor?: NetworkFlavor;
  /**
   * Namespaces (e.g. the ingress controller's) whose pods may reach the tenant's app tier.
   *
   * @default - none
   */
  readonly allowIngressFromNamespaces?: string[];
  /**
   * The Calico IP pool of the tenant's pods (namespace annotation `cni.projectcalico.org/ipv4pools`).
   *
   * @default - the cluster's default pools
   */
  readonly ipPool?: TenantIpPool;
  /**
   * Names of existing `kubernetes.io/dockerconfigjson` Secrets in the
   * namespace that every pod of the tenant pulls with (set on the namespace's
   * `default` ServiceAccount).
   *
   * @default - none
   */
  readonly imagePullSecrets?: string[];
  /**
   * Registry credentials (from `RegistryCredentials`) every pod of the tenant
   * pulls with, set on the namespace's `default` ServiceAccount. Their Secrets
   * must live in the tenant's namespace (created inside the tenant, they do).
   *
   * @default - none
   */
  readonly registryCredentials?: RegistryCredentials[];
  /**
   * Extra labels on the Namespace.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const STRINGS = (keys: string[]): PropsSpec => Object.fromEntries(keys.map(k => [k, is.string()]));
const COUNT = is.number({ integer: true });

/** The runtime shape of `TenantProps`, checked at the constructor. */
const TENANT_PROPS: PropsSpec = {
  namespace: is.string(),
  podSecurity: is.oneOf(PodSecurityLevel, 'PodSecurityLevel'),
  quota: is.struct('TenantQuota', {
    ...STRINGS(['requestsCpu', 'requestsMemory', 'limitsCpu', 'limitsMemory', 'requestsStorage']),
    pods: COUNT,
    services: COUNT,
    persistentVolumeClaims: COUNT,
    configMaps: COUNT,
    secrets: COUNT,
    loadBalancers: COUNT,
    nodePorts: COUNT,
  }),
  limits: is.struct('TenantLimits', STRINGS(['defaultCpuRequest', 'defaultMemoryRequest', 'defaultCpuLimit', 'defaultMemoryLimit', 'maxCpu', 'maxMemory'])),
  adminGroups: is.arrayOf(is.string({ nonEmpty: true })),
  developerGroups: is.arrayOf(is.string({ nonEmpty: true })),
  viewerGroups: is.arrayOf(is.string({ nonEmpty: true })),
  isolation: is.boolean(),
  flavor: is.oneOf(NetworkFlavor, 'NetworkFlavor'),
  allowIngressFromNamespaces: is.arrayOf(is.dnsLabel()),
  ipPool: is.struct('TenantIpPool', { name: is.string(), cidr: is.string(), blockSize: COUNT, natOutgoing: is.boolean() }),
  imagePullSecrets: is.arrayOf(is.string()),
  registryCredentials: is.arrayOf(is.instanceOf(RegistryCredentials, 'from RegistryCredentials.fromFile, fromEnv or fromExisting')),
  labels: is.labels(),
};

/** The annotation that pins a namespace's pods to Calico IP pools. */
export const CALICO_IPV4_POOLS_ANNOTATION = 'cni.projectcalico.org/ipv4pools';

/**
 * A team's share of the cluster: a Namespace with Pod Security labels, a
 * ResourceQuota, a LimitRange, RoleBindings of its groups to the built-in
 * `admin` / `edit` / `view` ClusterRoles, network isolation, an optional
 * Calico IP pool and the registry credentials of its pods.
 *
 * A Tenant is a scope: apps created inside it (`new TomcatApp(tenant, 'shop', …)`)
 * land in its namespace. At synth the tenant checks that the LimitRange
 * defaults are within its maxima, that every container is within the maxima,
 * that its workloads (replicas × effective pod requests, init containers
 * included) fit the quota, and that they meet its Pod Security level.
 */
export class Tenant extends Construct {
  /**
   * The nearest Tenant enclosing `scope` (itself included), if any.
   */
  public static of(scope: IConstruct): Tenant | undefined {
    return tenantScopeOf(scope) as Tenant | undefined;
  }

  /** Selects the tenant's app-tier pods: every pod not labelled as data tier. */
  public static appTierSelector(): Selector {
    return appTier();
  }

  /** The tenant's namespace name. */
  public readonly namespace: string;
  /** The Pod Security level of the namespace. */
  public readonly podSecurity: PodSecurityLevel;
  /** The Namespace object. */
  public readonly namespaceObject: kplus.k8s.KubeNamespace;
  /** The ResourceQuota. */
  public readonly resourceQuota: kplus.k8s.KubeResourceQuota;
  /** The LimitRange. */
  public readonly limitRange: kplus.k8s.KubeLimitRange;
  /** The RoleBindings of the tenant's groups. */
  public readonly roleBindings: kplus.k8s.KubeRoleBinding[] = [];
  /** The namespace isolation of the app tier (undefined when `isolation` is false). */
  public readonly isolation?: NamespaceIsolation;
  /** The default deny over every pod of the namespace (undefined when `isolation` is false). */
  public readonly defaultDeny?: NetworkPolicy;
  /** The Calico IPPool, when the tenant creates one. */
  public readonly ipPool?: IpPool;
  /** Whether the tenant's network is isolated. */
  public readonly isolated: boolean;

  /** The flavor of the tenant's policies. */
  public readonly flavor: NetworkFlavor;

  private _serviceAccount?: AppServiceAccount;
  private readonly quota: QuotaValues = {};
  private readonly limits: Required<TenantLimits>;
  private readonly surgeWarned = new Set<string>();

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: TenantProps = {}) {
    super(checkScope(scope, id, 'Tenant'), id);
    checkProps(this, 'TenantProps', props, TENANT_PROPS);
    this.namespace = checkDnsLabel(this, props.namespace === undefined ? 'namespace (derived from the construct id; set `namespace`)' : 'namespace',
      props.namespace ?? id.toLowerCase());
    markTenantScope(this, this.namespace);
    this.flavor = props.flavor ?? NetworkDefaults.flavorOf(this);
    NetworkDefaults.setFlavor(this, this.flavor);
    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    this.isolated = props.isolation ?? true;
    const ns = this.namespace;

    const annotations: { [k: string]: string } = {};
    if (props.ipPool) {
      const name = checkDnsLabel(this, 'ipPool.name', props.ipPool.name ?? `${this.namespace}-pool`);
      if (props.ipPool.cidr !== undefined) {
        this.ipPool = new IpPool(this, 'IPPool', {
          name, cidr: props.ipPool.cidr, blockSize: props.ipPool.blockSize, natOutgoing: props.ipPool.natOutgoing ?? true,
        });
      }
      annotations[CALICO_IPV4_POOLS_ANNOTATION] = JSON.stringify([name]);
    }
    const version = `v${KubeVersion.of(this).minorString}`;
    const labels: { [k: string]: string } = {
      'cdk8s-paas.io/tenant': ns,
      ...Object.fromEntries(['enforce', 'warn', 'audit'].flatMap(mode => [
        [`pod-security.kubernetes.io/${mode}`, this.podSecurity],
        [`pod-security.kubernetes.io/${mode}-version`, version],
      ])),
    };
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      labels[checkLabelKey(this, `labels.${k}`, k)] = checkLabelValue(this, `labels.${k}`, v);
    }
    this.namespaceObject = new kplus.k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: ns, labels, annotations: Object.keys(annotations).length ? annotations : undefined },
    });

    this.resourceQuota = new kplus.k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: { name: 'tenant-quota', namespace: ns },
      spec: { hard: quotaHard(this, props.quota, this.quota) },
    });

    this.limits = checkedLimits(this, props.limits);
    this.limitRange = new kplus.k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: 'tenant-limits', namespace: ns },
      spec: limitRangeSpec(this.limits),
    });

    for (const [bindingId, field, clusterRole, groups] of [
      ['admin', 'adminGroups', 'admin', props.adminGroups],
      ['developer', 'developerGroups', 'edit', props.developerGroups],
      ['viewer', 'viewerGroups', 'view', props.viewerGroups],
    ] as Array<[string, string, string, string[] | undefined]>) {
      const binding = bindGroups(this, ns, bindingId, field, clusterRole, groups);
      if (binding) this.roleBindings.push(binding);
    }


    (props.imagePullSecrets ?? []).forEach((name, i) =>
      this.addRegistryCredentials(RegistryCredentials.fromExisting(this, `PullSecret${i}`, checkDnsLabel(this, `imagePullSecrets[${i}]`, name))));
    (props.registryCredentials ?? []).forEach((c, i) => this.addRegistryCredentialsAt(`registryCredentials[${i}]`, c));

    const ingressNamespaces = (props.allowIngressFromNamespaces ?? []).map((n, i) => checkDnsLabel(this, `allowIngressFromNamespaces[${i}]`, n));
    if (this.isolated) {
      const { isolation, defaultDeny } = this.isolate(ingressNamespaces);
      this.isolation = isolation;
      this.defaultDeny = defaultDeny;
    }

    this.node.addValidation({ validate: () => this.validateTenant() });
  }

  /** The namespace's `default` ServiceAccount, when the tenant has registry credentials. */
  public get serviceAccount(): AppServiceAccount | undefined {
    return this._serviceAccount;
  }

  /**
   * Let every pod of the tenant pull with these credentials (through the
   * namespace's `default` ServiceAccount).
   *
   * @param credentials registry credentials whose Secret is in the tenant's namespace
   */
  public addRegistryCredentials(credentials: RegistryCredentials): void {
    this.addRegistryCredentialsAt('addRegistryCredentials', credentials);
  }

  private addRegistryCredentialsAt(field: string, credentials: RegistryCredentials): void {
    const ns = (credentials.secret as any).metadata?.namespace;
    if (ns !== undefined && ns !== this.namespace) {
      throw ValidationError.of(this, field, credentials.node.path,
        `has its Secret in namespace "${ns}": pods pull only with Secrets of their own namespace "${this.namespace}"; create the credentials inside the tenant`);
    }
    if (!this._serviceAccount) {
      this._serviceAccount = new AppServiceAccount(this, 'DefaultServiceAccount', { name: 'default', namespace: this.namespace });
    }
    this._serviceAccount.addImagePullSecret(credentials);
  }

  private isolate(ingressNamespaces: string[]): { isolation: NamespaceIsolation; defaultDeny: NetworkPolicy } {
    const isolation = new NamespaceIsolation(this, 'Isolation', {
      name: 'tenant-isolation', namespace: this.namespace, flavor: this.flavor, selector: appTier(),
    });
    for (const n of ingressNamespaces) isolation.allowIngressFrom(Peer.namespace(n));
    const defaultDeny = allowPolicy(this, 'DefaultDeny', {
      name: 'default-deny', namespace: this.namespace, selector: Selector.all(), types: [PolicyType.INGRESS, PolicyType.EGRESS],
    });
    return { isolation, defaultDeny };
  }

  /** The manifests of the tenant's namespace, wherever their objects were created (read-only: the synth's prepare step applied namespaces and ordering). */
  private namespaceObjects(index: NamespaceIndex, err: (field: string, value: any, reason: string) => void): any[] {
    const tenants = index.tenants.get(this.namespace) ?? [];
    if (tenants[0] !== this) {
      err('namespace', this.namespace, `is also the namespace of the tenant ${tenants[0]?.node.path}: one Tenant per namespace`);
    }
    const out: any[] = [];
    for (const c of index.objects.get(this.namespace) ?? []) {
      const json = manifestFor(c, index);
      if (json) out.push(json);
    }
    return out;
  }


  /** The tenant's LimitRange and quota against its namespace's objects (what admission would reject). */
  private validateTenant(): string[] {
    const errors: string[] = [];
    const path = this.node.path;
    const err = (field: string, value: any, reason: string) => errors.push(ValidationError.format(path, field, value, reason));
    const subject = { scope: this, limits: this.limits, quota: this.quota, surgeWarned: this.surgeWarned };
    checkLimitRange(subject, err);
    const root = this.node.root;
    const index = acquireIndex(root);
    let objects: any[];
    try {
      objects = this.namespaceObjects(index, err);
    } finally {
      releaseIndex(root);
    }
    checkAdmission(subject, objects, err);
    return errors;
  }
}
