import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkEnum } from './enum-check';
import { KopsInstanceGroup, KopsInstanceGroupProps, KopsRole } from './kops-instance-group';
import { checkPropsObject, checkScope } from '../core/checks';
import { formatNetwork, isStrictlyMasked, parseCidr } from '../core/cidr';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';

/** The cloud a kops cluster runs on (`spec.cloudProvider`). */
export enum KopsCloudProvider {
  /** OpenStack (a private cloud). */
  OPENSTACK = 'openstack',
  /** Bare metal / existing machines. */
  METAL = 'metal',
  /** Amazon Web Services. */
  AWS = 'aws',
  /** Google Compute Engine. */
  GCE = 'gce',
  /** Microsoft Azure. */
  AZURE = 'azure',
  /** DigitalOcean. */
  DIGITALOCEAN = 'digitalocean',
  /** Hetzner Cloud. */
  HETZNER = 'hetzner',
  /** Scaleway. */
  SCALEWAY = 'scaleway',
}

/** The pod network (CNI) kops installs (`spec.networking.<name>`). */
export enum KopsNetworking {
  /** Calico: the library's network policies (projectcalico.org/v3) need it. */
  CALICO = 'calico',
  /** Cilium. */
  CILIUM = 'cilium',
  /** Flannel (no network policies). */
  FLANNEL = 'flannel',
  /** Kube-router. */
  KUBE_ROUTER = 'kuberouter',
}

/** The kind of a cluster subnet. */
export enum KopsSubnetType {
  /** Machines without public addresses (the default for a private PaaS). */
  PRIVATE = 'Private',
  /** Machines with public addresses. */
  PUBLIC = 'Public',
  /** Load balancers and bastions of a private topology. */
  UTILITY = 'Utility',
}

/** How clients reach the Kubernetes API (`spec.api`). */
export enum KopsApiEndpoint {
  /** An internal load balancer in front of the control plane. */
  INTERNAL_LOAD_BALANCER = 'internal-load-balancer',
  /** A public load balancer. */
  PUBLIC_LOAD_BALANCER = 'public-load-balancer',
  /** DNS records of the control-plane machines (no load balancer: metal, small clouds). */
  DNS = 'dns',
}

/** One subnet of the cluster network. */
export interface KopsSubnet {
  /** Subnet name, referenced by instance groups. */
  readonly name: string;
  /** IPv4 CIDR inside the cluster's `networkCidr`, e.g. `10.10.32.0/19`. */
  readonly cidr: string;
  /** The availability zone, e.g. `nova`. */
  readonly zone: string;
  /**
   * Private, public or utility.
   *
   * @default KopsSubnetType.PRIVATE
   */
  readonly type?: KopsSubnetType;
}

/** Props of a `KopsCluster`. */
export interface KopsClusterProps {
  /** The cluster name (a DNS name; `*.k8s.local` for gossip DNS), e.g. `paas.example.internal`. */
  readonly clusterName: string;
  /** The cloud the cluster runs on. */
  readonly cloudProvider: KopsCloudProvider;
  /** The cluster subnets: at least one, inside `networkCidr`, not overlapping. */
  readonly subnets: KopsSubnet[];
  /**
   * The cluster network.
   *
   * @default '172.20.0.0/16'
   */
  readonly networkCidr?: string;
  /**
   * The pod network (CNI).
   *
   * @default KopsNetworking.CALICO
   */
  readonly networking?: KopsNetworking;
  /**
   * CIDRs allowed to reach the Kubernetes API.
   *
   * @default - the cluster network only (`networkCidr`)
   */
  readonly kubernetesApiAccess?: string[];
  /**
   * CIDRs allowed to reach the machines over SSH.
   *
   * @default - the cluster network only (`networkCidr`)
   */
  readonly sshAccess?: string[];
  /**
   * How clients reach the Kubernetes API.
   *
   * @default KopsApiEndpoint.INTERNAL_LOAD_BALANCER
   */
  readonly api?: KopsApiEndpoint;
  /**
   * The DNS zone of the cluster records.
   *
   * @default - none (gossip, or `topology.dns.type` None)
   */
  readonly dnsZone?: string;
  /**
   * The kops channel (versions of addons and images).
   *
   * @default 'stable'
   */
  readonly channel?: string;
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/**
 * A kops cluster as code: a chart holding the kops `Cluster`
 * (`kops.k8s.io/v1alpha2`) and its `InstanceGroup`s, written to its own file
 * (`<id>.k8s.yaml`, e.g. `kops-cluster.k8s.yaml`) for `kops create -f` and
 * `kops replace -f`. Its `kubernetesVersion` is the app's target version
 * (`KubeVersion.of`), the one its manifests are validated for; its etcd
 * clusters (main and events) get one member per control-plane group.
 *
 * Validated at synth against the kops CRD schemas, strictly (unknown fields fail).
 */
export class KopsCluster extends Chart {
  /** The cluster name. */
  public readonly clusterName: string;
  /** The cluster subnets. */
  public readonly subnets: KopsSubnet[];
  /** The kops Cluster object. */
  public readonly apiObject: ApiObject;

  /**
   * @param scope the app
   * @param id chart id, also the file name (`kops-cluster` writes `kops-cluster.k8s.yaml`)
   * @param props cloud, network, subnets, API access
   */
  public constructor(scope: Construct, id: string, props: KopsClusterProps) {
    super(checkScope(scope, id, 'KopsCluster', false), id, { disableResourceNameHashes: true });
    checkPropsObject(this, 'KopsClusterProps', props);
    const name = props.clusterName;
    if (typeof name !== 'string' || !DNS_NAME.test(name)) {
      throw ValidationError.of(this, 'clusterName', name, 'is not a cluster name: a lower-case DNS name with at least two labels, e.g. "paas.example.internal" or "paas.k8s.local"');
    }
    this.clusterName = name;
    checkEnum(this, 'cloudProvider', props.cloudProvider, KopsCloudProvider, 'a kops cloud provider');
    const networking = checkEnum(this, 'networking', props.networking ?? KopsNetworking.CALICO, KopsNetworking, 'a kops networking option');
    const api = checkEnum(this, 'api', props.api ?? KopsApiEndpoint.INTERNAL_LOAD_BALANCER, KopsApiEndpoint, 'an API endpoint kind');
    const networkCidr = props.networkCidr ?? '172.20.0.0/16';
    const net = cidr(this, 'networkCidr', networkCidr);
    if (!Array.isArray(props.subnets) || props.subnets.length === 0) {
      throw ValidationError.of(this, 'subnets', props.subnets ?? null, 'is empty: a cluster needs at least one subnet');
    }
    const seen = new Set<string>();
    props.subnets.forEach((s, i) => {
      if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(s.name ?? '')) throw ValidationError.of(this, `subnets[${i}].name`, s.name, 'is not a subnet name: lower-case letters, digits, "-" and "."');
      if (seen.has(s.name)) throw ValidationError.of(this, `subnets[${i}].name`, s.name, 'is used by another subnet: subnet names must be unique');
      seen.add(s.name);
      if (!s.zone || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s.zone)) throw ValidationError.of(this, `subnets[${i}].zone`, s.zone ?? null, 'is not a zone name, e.g. "nova" or "eu-west-1a"');
      if (s.type !== undefined) checkEnum(this, `subnets[${i}].type`, s.type, KopsSubnetType, 'a subnet type');
      const c = cidr(this, `subnets[${i}].cidr`, s.cidr);
      if (c.prefix < net.prefix || formatNetwork({ ...c, prefix: net.prefix }) !== formatNetwork(net)) {
        throw ValidationError.of(this, `subnets[${i}].cidr`, s.cidr, `is not inside the cluster network ${networkCidr}`);
      }
    });
    this.subnets = props.subnets.map(s => ({ ...s }));
    const access = (field: string, list: string[] | undefined) => (list ?? [networkCidr]).map((c, i) => { cidr(this, `${field}[${i}]`, c); return c; });
    const apiAccess = access('kubernetesApiAccess', props.kubernetesApiAccess);
    const sshAccess = access('sshAccess', props.sshAccess);

    this.apiObject = new ApiObject(this, 'Cluster', {
      apiVersion: 'kops.k8s.io/v1alpha2',
      kind: 'Cluster',
      metadata: { name },
      spec: {
        cloudProvider: props.cloudProvider,
        channel: props.channel ?? 'stable',
        kubernetesVersion: Lazy.any({ produce: () => this.kubernetesVersionAt(KubeVersion.of(this)) }),
        networkCIDR: networkCidr,
        networking: { [networking]: {} },
        subnets: this.subnets.map(s => ({ name: s.name, cidr: s.cidr, zone: s.zone, type: s.type ?? KopsSubnetType.PRIVATE })),
        topology: { dns: { type: props.dnsZone ? 'Private' : 'None' } },
        ...(props.dnsZone ? { dnsZone: props.dnsZone } : {}),
        api: api === KopsApiEndpoint.DNS ? { dns: {} } : { loadBalancer: { type: api === KopsApiEndpoint.PUBLIC_LOAD_BALANCER ? 'Public' : 'Internal' } },
        kubernetesApiAccess: apiAccess,
        sshAccess,
        authorization: { rbac: {} },
        kubelet: { anonymousAuth: false },
        etcdClusters: Lazy.any({ produce: () => this.etcdClusters() }),
      },
    });
    this.node.addValidation({
      validate: () => {
        const cps = this.instanceGroups.filter(g => g.role === KopsRole.CONTROL_PLANE);
        if (cps.length === 0) return [ValidationError.format(this.node.path, 'instanceGroups', cps.length, 'control-plane groups: a kops cluster needs at least one instance group with role ControlPlane')];
        if (cps.length % 2 === 0) return [ValidationError.format(this.node.path, 'instanceGroups', cps.map(g => g.name), `are ${cps.length} control-plane groups: etcd needs an odd number of members (1, 3 or 5) to keep a quorum`)];
        return [];
      },
    });
  }

  /**
   * Add an instance group to the cluster.
   *
   * @param id construct id and default group name
   * @param props role, machine type, sizes, subnets
   */
  public addInstanceGroup(id: string, props: KopsInstanceGroupProps): KopsInstanceGroup {
    return new KopsInstanceGroup(this, id, props);
  }

  /** The cluster's instance groups, control-plane groups first, then the others in the order they were added. */
  public get instanceGroups(): KopsInstanceGroup[] {
    const all = this.node.children.filter((c): c is KopsInstanceGroup => c instanceof KopsInstanceGroup);
    return [...all.filter(g => g.role === KopsRole.CONTROL_PLANE), ...all.filter(g => g.role !== KopsRole.CONTROL_PLANE)];
  }

  /**
   * The `kubernetesVersion` kops gets for a Kubernetes version: `1.28.0`
   * unless the version names its patch (`KubeVersion.parse('1.28.15')`).
   *
   * @param version the Kubernetes version
   */
  public kubernetesVersionAt(version: KubeVersion): string {
    return `${version.minorString}.${version.patch ?? 0}`;
  }

  /**
   * The kops specs for a cluster running `version`: the Cluster (its
   * `kubernetesVersion` set to it), then the control-plane instance groups,
   * then the other groups (the order of an upgrade).
   *
   * @param version the Kubernetes version
   */
  public specsAt(version: KubeVersion): any[] {
    const cluster = this.apiObject.toJson();
    return [
      { ...cluster, spec: { ...cluster.spec, kubernetesVersion: this.kubernetesVersionAt(version) } },
      ...this.instanceGroups.map(g => g.apiObject.toJson()),
    ];
  }

  private etcdClusters(): any[] {
    const members = this.instanceGroups.filter(g => g.role === KopsRole.CONTROL_PLANE).map(g => ({ name: g.name, instanceGroup: g.name }));
    return ['main', 'events'].map(n => ({ name: n, etcdMembers: members.map(m => ({ ...m })) }));
  }
}

function cidr(scope: Construct, field: string, text: string) {
  const c = typeof text === 'string' ? parseCidr(text) : undefined;
  if (!c || c.version !== 4 || !c.hasMask || !isStrictlyMasked(c)) {
    throw ValidationError.of(scope, field, text ?? null, 'is not an IPv4 network in CIDR notation with no host bits set, e.g. "10.10.0.0/16"');
  }
  return c;
}
