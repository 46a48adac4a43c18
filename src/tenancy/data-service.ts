import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Clients } from './clients';
import { allowPolicy, dnsEgress, objectName, podsEntity, TIER_LABEL } from './policies';
import { WorkloadRef } from './workload';
import { checkProps, checkScope, is } from '../core/checks';
import { ValidationError } from '../core/errors';
import { allowForeignNamespace, tenantNamespaceOf } from '../core/tenant-scope';
import { NetworkPolicy } from '../network/network-policy';
import { Port } from '../network/port';
import { Protocol } from '../network/protocol';
import { PolicyType, RuleAction } from '../network/rule';
import { Selector } from '../network/selector';
import {
  checkAbsolutePath, checkDnsLabel, checkEnvName, checkImage, checkInteger, checkPort, checkPositiveQuantity, checkRequestWithinLimit,
} from '../validate/rules';

/**
 * Props of a `DataService`.
 */
export interface DataServiceProps {
  /** The image of the data service, e.g. 'registry.example.com/postgres:15'. */
  readonly image: string;
  /** The port clients connect to. */
  readonly port: number;
  /**
   * The apps of the app tier allowed to connect (TomcatApp or a cdk8s-plus workload).
   *
   * @default - none yet; add with `allowFrom`
   */
  readonly clients?: IConstruct[];
  /**
   * Name of the StatefulSet and its headless Service.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the objects.
   *
   * @default - the enclosing Tenant's namespace, else none
   */
  readonly namespace?: string;
  /**
   * Pods of the StatefulSet.
   *
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Size of each pod's data volume (a PersistentVolumeClaim per pod).
   *
   * @default '10Gi'
   */
  readonly storageSize?: string;
  /**
   * StorageClass of the data volumes.
   *
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Where the data volume is mounted.
   *
   * @default '/var/lib/data'
   */
  readonly dataPath?: string;
  /**
   * Other directories the service writes (emptyDirs under a read-only root filesystem).
   *
   * @default ['/tmp']
   */
  readonly writableDirs?: string[];
  /**
   * UID (and GID, fsGroup) the container runs as.
   *
   * @default 999
   */
  readonly user?: number;
  /** CPU request. @default '250m' */
  readonly cpuRequest?: string;
  /** Memory request. @default '512Mi' */
  readonly memoryRequest?: string;
  /** CPU limit. @default '1' */
  readonly cpuLimit?: string;
  /** Memory limit. @default '1Gi' */
  readonly memoryLimit?: string;
  /**
   * Environment variables.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };
}

/**
 * A data service of the data tier: a StatefulSet with a data volume per pod
 * behind a headless Service, labelled `cdk8s-paas.io/tier=data`. Its pods
 * accept connections only from the chosen app-tier workloads, on its port
 * (and from each other when replicated), and open none themselves.
 *
 * For a data service outside the cluster use a `LegacyService`.
 */
export class DataService extends Construct {
  /** The StatefulSet (L1). */
  public readonly statefulSet: kplus.k8s.KubeStatefulSet;
  /** The headless Service; clients connect to `<name>.<namespace>.svc:<port>`. */
  public readonly service: kplus.k8s.KubeService;
  /** The data tier's policies: isolation of its pods, and one ingress + one egress policy per client. */
  public readonly networkPolicies: NetworkPolicy[] = [];
  /** Name of the StatefulSet and Service. */
  public readonly name: string;
  /** Namespace, when set. */
  public readonly namespace?: string;
  /** The client port. */
  public readonly port: number;
  /** Labels selecting exactly the data service's pods. */
  public readonly selectorLabels: { [key: string]: string };
  private readonly clients: Clients;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: DataServiceProps) {
    super(checkScope(scope, id, 'DataService'), id);
    checkProps(this, 'DataServiceProps', props, {
      image: is.string(),
      port: is.number({ integer: true }),
      clients: is.arrayOf(is.construct('client')),
      name: is.string(),
      namespace: is.string(),
      replicas: is.number({ integer: true }),
      storageSize: is.string(),
      storageClassName: is.dnsSubdomain(),
      dataPath: is.string(),
      writableDirs: is.arrayOf(is.string()),
      user: is.number({ integer: true }),
      cpuRequest: is.string(),
      memoryRequest: is.string(),
      cpuLimit: is.string(),
      memoryLimit: is.string(),
      env: is.mapOf(is.string()),
    }, ['image', 'port']);
    this.name = checkDnsLabel(this, props.name === undefined ? 'name (derived from the construct id; set `name`)' : 'name', props.name ?? id.toLowerCase());
    this.namespace = props.namespace !== undefined ? checkDnsLabel(this, 'namespace', props.namespace) : tenantNamespaceOf(this);
    this.port = checkPort(this, 'port', props.port);
    const image = checkImage(this, 'image', props.image);
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 1, 0, 100);
    const user = checkInteger(this, 'user', props.user ?? 999, 1, 2147483647);
    const dataPath = checkAbsolutePath(this, 'dataPath', props.dataPath ?? '/var/lib/data');
    const writable = (props.writableDirs ?? ['/tmp']).map((d, i) => checkAbsolutePath(this, `writableDirs[${i}]`, d));
    const q = (field: string, v: string) => kplus.k8s.Quantity.fromString(checkPositiveQuantity(this, field, v));
    const res = {
      cpuRequest: props.cpuRequest ?? '250m', memoryRequest: props.memoryRequest ?? '512Mi', cpuLimit: props.cpuLimit ?? '1', memoryLimit: props.memoryLimit ?? '1Gi',
    };
    for (const [field, v] of Object.entries(res)) checkPositiveQuantity(this, field, v);
    checkRequestWithinLimit(this, 'cpuRequest', res.cpuRequest, res.cpuLimit, 'CPU');
    checkRequestWithinLimit(this, 'memoryRequest', res.memoryRequest, res.memoryLimit, 'memory');
    const mounts = [dataPath, ...writable];
    mounts.forEach((m, i) => {
      if (mounts.indexOf(m) !== i) throw ValidationError.of(this, i === 0 ? 'dataPath' : `writableDirs[${i - 1}]`, m, 'is mounted twice; each path can hold one volume');
    });

    this.selectorLabels = { 'app.kubernetes.io/name': this.name, [TIER_LABEL]: 'data' };
    const labels = { ...this.selectorLabels, 'app.kubernetes.io/component': 'database', 'app.kubernetes.io/managed-by': 'cdk8s-paas' };
    const metadata = { name: this.name, namespace: this.namespace, labels };

    this.service = new kplus.k8s.KubeService(this, 'Service', {
      metadata,
      spec: { clusterIp: 'None', selector: this.selectorLabels, ports: [{ name: 'data', port: this.port, targetPort: kplus.k8s.IntOrString.fromNumber(this.port) }] },
    });
    const scratch = writable.map((d, i) => ({ name: `scratch-${i}`, path: d }));
    this.statefulSet = new kplus.k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata,
      spec: {
        serviceName: this.name,
        replicas,
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: user, runAsGroup: user, fsGroup: user, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'data',
              image,
              ports: [{ name: 'data', containerPort: this.port }],
              env: Object.entries(props.env ?? {}).map(([k, v]) => ({ name: checkEnvName(this, `env.${k}`, k), value: v })),
              resources: {
                requests: { cpu: q('cpuRequest', res.cpuRequest), memory: q('memoryRequest', res.memoryRequest) },
                limits: { cpu: q('cpuLimit', res.cpuLimit), memory: q('memoryLimit', res.memoryLimit) },
              },
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'data', mountPath: dataPath }, ...scratch.map(s => ({ name: s.name, mountPath: s.path }))],
            }],
            volumes: scratch.map(s => ({ name: s.name, emptyDir: {} })),
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: props.storageClassName,
            resources: { requests: { storage: q('storageSize', props.storageSize ?? '10Gi') } },
          },
        }],
      },
    });

    // the data pods: DNS out, each other when replicated, nothing else until clients are added
    const self = podsEntity(this.selectorLabels);
    this.networkPolicies.push(allowPolicy(this, 'Isolate', {
      name: objectName(this.name, 'isolate'),
      namespace: this.namespace,
      selector: Selector.matchLabels(this.selectorLabels),
      types: [PolicyType.INGRESS, PolicyType.EGRESS],
      ingress: replicas > 1 ? [{ action: RuleAction.ALLOW, source: self }] : [],
      egress: [...dnsEgress(), ...(replicas > 1 ? [{ action: RuleAction.ALLOW, destination: self }] : [])],
    }));
    this.clients = new Clients(this, (w, n) => this.addClientPolicies(w, n));
    this.clients.addAll('clients', props.clients);
  }

  /**
   * Let an app-tier workload connect: an ingress policy for the data pods from
   * its pods, and an egress policy for its pods to the data pods, on `port`.
   *
   * @param client a TomcatApp or cdk8s-plus workload
   */
  public allowFrom(client: IConstruct): void {
    this.clients.add('allowFrom', client);
  }

  private addClientPolicies(w: WorkloadRef, n: number): void {
    const clientNs = w.namespace ?? this.namespace;
    const sameNs = clientNs === this.namespace;
    const ports = [Port.of(this.port)];
    const clientPods = podsEntity(w.matchLabels, sameNs ? undefined : clientNs);
    const dataPods = podsEntity(this.selectorLabels, sameNs ? undefined : this.namespace);
    this.networkPolicies.push(
      allowPolicy(this, `Ingress-${n}`, {
        name: objectName(this.name, 'from', w.name),
        namespace: this.namespace,
        selector: Selector.matchLabels(this.selectorLabels),
        types: [PolicyType.INGRESS],
        ingress: [{ action: RuleAction.ALLOW, protocol: Protocol.TCP, source: clientPods, destination: { ports } }],
      }),
      allowPolicy(this, `Egress-${n}`, {
        name: objectName(w.name, 'to', this.name),
        namespace: clientNs,
        selector: Selector.matchLabels(w.matchLabels),
        types: [PolicyType.EGRESS],
        egress: [{ action: RuleAction.ALLOW, protocol: Protocol.TCP, destination: { ...dataPods, ports } }],
      }),
    );
    // the egress policy is in the client's namespace, which may be another tenant's
    allowForeignNamespace(this.node.findChild(`Egress-${n}`));
  }
}

