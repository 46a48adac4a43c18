import { createHash } from 'crypto';
import { ApiObject, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { scrapeMonitor } from './scrape';
import { SystemLogMonitor } from './system-log-monitor';
import { checkProps, checkScope, is } from '../core/checks';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';
import { PodSecurityLevel } from '../core/pod-security-level';
import { PodSecurity } from '../core/pod-security-opt-in';
import { Warnings } from '../core/warnings';
import { checkDnsLabel, checkImage, checkPort } from '../validate/rules';

/** Where the monitors' ConfigMap is mounted in the container. */
const CONFIG_DIR = '/config';

/** Props of a `NodeProblemDetector`. */
export interface NodeProblemDetectorProps {
  /**
   * Name of the DaemonSet, ServiceAccount, ConfigMap, ClusterRole, ClusterRoleBinding and PodMonitor.
   * The ClusterRole and ClusterRoleBinding are cluster-scoped: a second
   * NodeProblemDetector in the same app needs another name (synth fails otherwise).
   *
   * @default 'node-problem-detector'
   */
  readonly name?: string;
  /**
   * Namespace of the namespaced objects.
   *
   * @default 'node-problem-detector'
   */
  readonly namespace?: string;
  /**
   * Create the namespace, labelled for the `privileged` Pod Security level.
   * When false, the namespace must exist and carry
   * `pod-security.kubernetes.io/enforce: privileged` (synth warns).
   *
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * The node-problem-detector image, without tag.
   *
   * @default 'registry.k8s.io/node-problem-detector/node-problem-detector'
   */
  readonly image?: string;
  /**
   * The image tag.
   *
   * @default 'v0.8.19'
   */
  readonly tag?: string;
  /**
   * The system log monitors to run.
   *
   * @default - kernel, read-only filesystem and container runtime (containerd):
   * `[SystemLogMonitor.kernel(), SystemLogMonitor.readonlyFilesystem(), SystemLogMonitor.containerRuntime()]`
   */
  readonly monitors?: SystemLogMonitor[];
  /**
   * The port of node-problem-detector's Prometheus endpoint.
   *
   * @default 20257
   */
  readonly metricsPort?: number;
  /**
   * Scrape interval of the PodMonitor (a Prometheus duration).
   *
   * @default - the Prometheus' scrape interval
   */
  readonly scrapeInterval?: string;
  /**
   * Labels of the PodMonitor, e.g. the `release` label your Prometheus' podMonitorSelector matches.
   *
   * @default - none
   */
  readonly monitorLabels?: { [key: string]: string };
  /**
   * CPU and memory of the container.
   *
   * @default - upstream's: 10m CPU and 80Mi memory, requests equal to limits
   */
  readonly resources?: kplus.ContainerResources;
}

/**
 * The Kubernetes node problem detector as a DaemonSet on every Linux node:
 * it watches the kernel log and the systemd journal and reports problems to
 * the API server as node conditions (permanent problems) and events
 * (temporary ones), and exposes them as Prometheus metrics scraped through a
 * PodMonitor.
 *
 * It reads `/dev/kmsg` and the host's logs, so it runs privileged: it opts in
 * with `PodSecurity.allow(PRIVILEGED)` and labels the namespace it creates for
 * the `privileged` Pod Security level. It brings its own ClusterRole (the
 * permissions of the bootstrap role `system:node-problem-detector`), so it
 * works where that role is missing.
 */
export class NodeProblemDetector extends Construct {
  /** The DaemonSet. */
  public readonly daemonSet: kplus.DaemonSet;
  /** The container. */
  public readonly container: kplus.Container;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The ConfigMap holding one `<monitor>.json` per monitor. */
  public readonly configMap: kplus.ConfigMap;
  /** The ClusterRole: get nodes, patch nodes/status, create/patch/update events. */
  public readonly clusterRole: kplus.k8s.KubeClusterRole;
  /** The ClusterRoleBinding of the role to the ServiceAccount. */
  public readonly clusterRoleBinding: kplus.k8s.KubeClusterRoleBinding;
  /** The PodMonitor (monitoring.coreos.com/v1) scraping the metrics port. */
  public readonly podMonitor: ApiObject;
  /** The Namespace, when created. */
  public readonly namespaceObject?: kplus.Namespace;
  /** Name of the objects. */
  public readonly name: string;
  /** Namespace of the namespaced objects. */
  public readonly namespace: string;
  /** The image reference, `image:tag`. */
  public readonly image: string;
  /** The metrics port. */
  public readonly metricsPort: number;

  private readonly monitors: SystemLogMonitor[] = [];

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: NodeProblemDetectorProps = {}) {
    super(checkScope(scope, id, 'NodeProblemDetector'), id);
    checkProps(this, 'NodeProblemDetectorProps', props, {
      name: is.string(),
      namespace: is.string(),
      createNamespace: is.boolean(),
      image: is.string(),
      tag: is.string(),
      monitors: is.arrayOf(is.instanceOf(SystemLogMonitor, 'e.g. SystemLogMonitor.kernel()')),
      metricsPort: is.number({ integer: true }),
      scrapeInterval: is.string(),
      monitorLabels: is.labels(),
      resources: is.implementing('ContainerResources', 'cdk8s-plus ContainerResources'),
    });
    PodSecurity.allow(this, PodSecurityLevel.PRIVILEGED,
      'node-problem-detector reads the kernel log (/dev/kmsg) and the host\'s logs through hostPath volumes, which needs a privileged container');
    this.name = checkDnsLabel(this, 'name', props.name ?? 'node-problem-detector');
    this.namespace = checkDnsLabel(this, 'namespace', props.namespace ?? 'node-problem-detector');
    this.image = checkImage(this, 'image', `${props.image ?? 'registry.k8s.io/node-problem-detector/node-problem-detector'}:${props.tag ?? 'v0.8.19'}`);
    this.metricsPort = checkPort(this, 'metricsPort', props.metricsPort ?? 20257);
    const labels = {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/component': 'node-problem-detector',
      'app.kubernetes.io/managed-by': 'cdk8s-paas',
    };
    const metadata = { name: this.name, namespace: this.namespace, labels };

    if (props.createNamespace ?? true) {
      const level = PodSecurityLevel.PRIVILEGED;
      const version = `v${KubeVersion.of(this).minorString}`;
      this.namespaceObject = new kplus.Namespace(this, 'Namespace', {
        metadata: {
          name: this.namespace,
          labels: {
            'pod-security.kubernetes.io/enforce': level,
            'pod-security.kubernetes.io/enforce-version': version,
            'pod-security.kubernetes.io/audit': level,
            'pod-security.kubernetes.io/warn': level,
          },
        },
      });
    } else {
      Warnings.add(this, `namespace: "${this.namespace}" is not created here: it must carry the label pod-security.kubernetes.io/enforce=privileged, or the API server rejects the node-problem-detector pods`, 'cdk8s-paas:npd-namespace-not-created');
    }

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata });
    this.clusterRole = new kplus.k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: this.name, labels },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ],
    });
    this.clusterRoleBinding = new kplus.k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: this.name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });

    this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: { ...metadata, name: `${this.name}-config` } });

    this.daemonSet = new kplus.DaemonSet(this, 'DaemonSet', {
      metadata,
      podMetadata: { labels },
      serviceAccount: this.serviceAccount,
      // the node problem detector talks to the API server with its token
      automountServiceAccountToken: true,
      securityContext: { ensureNonRoot: false },
    });
    this.daemonSet.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('kubernetes.io/os', 'linux')));
    // run on every node, tainted or not
    this.daemonSet.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.any()));
    this.daemonSet.podMetadata.addAnnotation('cdk8s-paas.io/config-hash', Lazy.any({ produce: () => this.configHash() }) as any);

    this.container = this.daemonSet.addContainer({
      name: 'node-problem-detector',
      image: this.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['/node-problem-detector'],
      args: [
        '--logtostderr',
        Lazy.any({ produce: () => `--config.system-log-monitor=${this.monitors.map(m => `${CONFIG_DIR}/${m.name}.json`).join(',')}` }) as any,
        '--prometheus-address=0.0.0.0',
        `--prometheus-port=${this.metricsPort}`,
      ],
      ports: [{ number: this.metricsPort, name: 'metrics' }],
      envVariables: { NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME) },
      securityContext: {
        privileged: true,
        allowPrivilegeEscalation: true,
        ensureNonRoot: false,
        readOnlyRootFilesystem: false,
      },
      resources: props.resources ?? {
        cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(10) },
        memory: { request: Size.mebibytes(80), limit: Size.mebibytes(80) },
      },
    });
    const hostPath = (volId: string, path: string, mountPath: string) =>
      this.container.mount(mountPath, kplus.Volume.fromHostPath(this, volId, volId, { path }), { readOnly: true });
    hostPath('log', '/var/log/', '/var/log');
    hostPath('kmsg', '/dev/kmsg', '/dev/kmsg');
    // the same time zone as the host
    hostPath('localtime', '/etc/localtime', '/etc/localtime');
    this.container.mount(CONFIG_DIR, kplus.Volume.fromConfigMap(this, 'config', this.configMap, { name: 'config' }), { readOnly: true });

    this.podMonitor = scrapeMonitor(this, 'PodMonitor', {
      kind: 'PodMonitor',
      name: this.name,
      namespace: this.namespace,
      labels: props.monitorLabels,
      matchLabels: labels,
      port: 'metrics',
      interval: props.scrapeInterval,
    });

    for (const m of props.monitors ?? [SystemLogMonitor.kernel(), SystemLogMonitor.readonlyFilesystem(), SystemLogMonitor.containerRuntime()]) {
      this.addMonitor(m);
    }
    this.node.addValidation({
      validate: () => this.monitors.length === 0
        ? [ValidationError.format(this.node.path, 'monitors', [], 'must name at least one SystemLogMonitor, e.g. SystemLogMonitor.kernel()')]
        : [],
    });
    this.node.addValidation({ validate: () => this.nameClashes() });
  }

  /** The ClusterRole and ClusterRoleBinding are cluster-scoped: two detectors of one app must not share a name. */
  private nameClashes(): string[] {
    const others = this.node.root.node.findAll()
      .filter((c): c is NodeProblemDetector => c instanceof NodeProblemDetector && c !== this && c.name === this.name)
      .map(c => c.node.path);
    return others.length === 0 ? [] : [ValidationError.format(this.node.path, 'name', this.name,
      `is also the name of the NodeProblemDetector ${others.join(', ')}: its ClusterRole and ClusterRoleBinding are cluster-scoped, so each NodeProblemDetector of an app needs its own name (set the name prop)`)];
  }

  /** The names of the monitors run, in order. */
  public get monitorNames(): string[] {
    return this.monitors.map(m => m.name);
  }

  /** Run one more system log monitor. */
  public addMonitor(monitor: SystemLogMonitor): void {
    const field = `monitors[${this.monitors.length}]`;
    if (this.monitors.some(m => m.name === monitor.name)) {
      throw ValidationError.of(this, `${field}.name`, monitor.name, 'is already the name of another monitor; each monitor needs its own name');
    }
    this.monitors.push(monitor);
    this.configMap.addData(`${monitor.name}.json`, Lazy.any({ produce: () => JSON.stringify(monitor.toJson(), undefined, 2) }) as any);
  }

  private configHash(): string {
    const h = createHash('sha256');
    for (const m of this.monitors) h.update(JSON.stringify(m.toJson()));
    return h.digest('hex').slice(0, 16);
  }
}

