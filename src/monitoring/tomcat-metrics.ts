import { createHash } from 'crypto';
import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { promString } from './promql';
import { scrapeMonitor } from './scrape';
import { checkProps, checkScope, is } from '../core/checks';
import { ValidationError } from '../core/errors';
import { ITomcatWorkload } from '../core/workload-target';
import { checkAbsolutePath, checkImage, checkPort } from '../validate/rules';

/** Where the agent's init container and Tomcat see the agent emptyDir. */
const AGENT_DIR = '/cdk8s-paas/jmx-exporter';
/** Where Tomcat sees the exporter configuration. */
const CONFIG_DIR = '/cdk8s-paas/jmx-exporter-config';
const AGENT_JAR = 'jmx_prometheus_javaagent.jar';

/**
 * The exporter rules for Tomcat's MBeans (after the jmx_exporter project's
 * `example_configs/tomcat.yml`): per-connector request, error, processing time
 * and byte counters, thread pool and session gauges. JVM metrics (`jvm_*`)
 * come with the agent.
 */
const TOMCAT_EXPORTER_CONFIG = `lowercaseOutputLabelNames: true
lowercaseOutputName: true
rules:
  - pattern: 'Catalina<type=GlobalRequestProcessor, name=\\"(\\w+-\\w+)-(\\d+)\\"><>(requestCount|errorCount|processingTime|bytesSent|bytesReceived):'
    name: tomcat_$3_total
    labels:
      port: "$2"
      protocol: "$1"
    help: Tomcat connector $3 (processingTime in milliseconds)
    type: COUNTER
  - pattern: 'Catalina<type=ThreadPool, name="(\\w+-\\w+)-(\\d+)"><>(currentThreadCount|currentThreadsBusy|keepAliveCount|connectionCount|maxThreads):'
    name: tomcat_threadpool_$3
    labels:
      port: "$2"
      protocol: "$1"
    help: Tomcat thread pool $3
    type: GAUGE
  - pattern: 'Catalina<type=Manager, host=([-a-zA-Z0-9+&@#/%?=~_|!:.,;]*[-a-zA-Z0-9+&@#/%=~_|]), context=([-a-zA-Z0-9+/$%~_|!.]*)><>(activeSessions):'
    name: tomcat_session_active
    labels:
      host: "$1"
      context: "$2"
    help: Tomcat active sessions
    type: GAUGE
  - pattern: 'Catalina<type=Manager, host=([-a-zA-Z0-9+&@#/%?=~_|!:.,;]*[-a-zA-Z0-9+&@#/%=~_|]), context=([-a-zA-Z0-9+/$%~_|!.]*)><>(sessionCounter|rejectedSessions|expiredSessions):'
    name: tomcat_session_$3_total
    labels:
      host: "$1"
      context: "$2"
    help: Tomcat sessions $3
    type: COUNTER
`;

/** Props of `TomcatMetrics`. */
export interface TomcatMetricsProps {
  /** The app to export metrics of (a `TomcatApp`). */
  readonly app: ITomcatWorkload;
  /**
   * An image that carries the Prometheus JMX exporter javaagent jar and `cp`
   * (e.g. `FROM busybox` + `COPY jmx_prometheus_javaagent-1.0.1.jar /jmx_prometheus_javaagent.jar`).
   *
   * @default 'registry.example.com/platform/jmx-prometheus-javaagent:1.0.1'
   */
  readonly agentImage?: string;
  /**
   * Path of the agent jar inside `agentImage`.
   *
   * @default '/jmx_prometheus_javaagent.jar'
   */
  readonly agentJarPath?: string;
  /**
   * Port of the exporter's HTTP endpoint in the pod, named `metrics` on the
   * container and the Service.
   *
   * @default 9404
   */
  readonly port?: number;
  /**
   * The exporter configuration (jmx_exporter YAML).
   *
   * @default - rules for Tomcat's connectors, thread pools and sessions: `tomcat_requestcount_total`,
   * `tomcat_errorcount_total`, `tomcat_processingtime_total` (ms), `tomcat_threadpool_*`, `tomcat_session_*`
   */
  readonly exporterConfig?: string;
  /**
   * Scrape interval of the ServiceMonitor (a Prometheus duration).
   *
   * @default - the Prometheus' scrape interval
   */
  readonly scrapeInterval?: string;
  /**
   * Labels of the ServiceMonitor, e.g. the `release` label your Prometheus' serviceMonitorSelector matches.
   *
   * @default - none
   */
  readonly monitorLabels?: { [key: string]: string };
}

/**
 * Prometheus metrics for a `TomcatApp`, without rebuilding any image: an init
 * container copies the JMX exporter javaagent jar from its own image into an
 * emptyDir (as the WARs are composed), its configuration comes from a
 * ConfigMap, Tomcat loads it through `CATALINA_OPTS` (not `JAVA_OPTS`, which
 * `catalina.sh stop` also uses and would make it fail to bind the port), the
 * container and the Service get a port named `metrics`, and a ServiceMonitor
 * scrapes it. The pod stays Pod Security `restricted`.
 */
export class TomcatMetrics extends Construct {
  /** The app. */
  public readonly app: ITomcatWorkload;
  /** The ConfigMap with the exporter configuration (`config.yaml`). */
  public readonly configMap: kplus.ConfigMap;
  /** The init container that copies the agent jar. */
  public readonly initContainer: kplus.Container;
  /** The ServiceMonitor (monitoring.coreos.com/v1). */
  public readonly serviceMonitor: ApiObject;
  /** The metrics port. */
  public readonly port: number;
  /** The JVM option that loads the agent (added to `CATALINA_OPTS`). */
  public readonly javaagentOption: string;
  /**
   * PromQL label matchers selecting this app's series as the ServiceMonitor
   * labels them: `job` (the Service name) and `namespace` when the app sets one.
   */
  public readonly selector: string;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: TomcatMetricsProps) {
    super(checkScope(scope, id, 'TomcatMetrics'), id);
    checkProps(this, 'TomcatMetricsProps', props, {
      app: is.workload('ITomcatWorkload'),
      agentImage: is.string(),
      agentJarPath: is.string(),
      port: is.number({ integer: true }),
      exporterConfig: is.string(),
      scrapeInterval: is.string(),
      monitorLabels: is.labels(),
    }, ['app']);
    const app = props.app;
    this.app = app;
    this.port = checkPort(this, 'port', props.port ?? 9404);
    if (this.port === 8080) {
      throw ValidationError.of(this, 'port', this.port, 'is the port of Tomcat\'s HTTP connector: choose another for the exporter, e.g. 9404');
    }
    const image = checkImage(this, 'agentImage', props.agentImage ?? 'registry.example.com/platform/jmx-prometheus-javaagent:1.0.1');
    const jarPath = checkAbsolutePath(this, 'agentJarPath', props.agentJarPath ?? `/${AGENT_JAR}`);
    const metadata = { name: `${app.name}-jmx-exporter`, namespace: app.namespace, labels: app.labels };

    const config = checkExporterConfig(this, props.exporterConfig ?? TOMCAT_EXPORTER_CONFIG);
    this.configMap = new kplus.ConfigMap(this, 'Config', { metadata, data: { 'config.yaml': config } });
    // a changed configuration rolls the pods (the agent reads it at JVM start)
    app.deployment.podMetadata.addAnnotation('cdk8s-paas.io/jmx-exporter-config-hash',
      createHash('sha256').update(config).digest('hex').slice(0, 16));
    const agentVolume = kplus.Volume.fromEmptyDir(this, 'agent', 'jmx-exporter-agent');
    const configVolume = kplus.Volume.fromConfigMap(this, 'config', this.configMap, { name: 'jmx-exporter-config' });

    const sc = app.container.securityContext;
    this.initContainer = app.deployment.addInitContainer({
      name: 'copy-jmx-exporter-agent',
      image,
      command: ['cp', jarPath, `${AGENT_DIR}/${AGENT_JAR}`],
      securityContext: {
        ensureNonRoot: sc.ensureNonRoot,
        user: sc.user,
        group: sc.group,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL' as kplus.Capability] },
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
      },
    });
    this.initContainer.mount(AGENT_DIR, agentVolume);
    app.container.mount(AGENT_DIR, agentVolume, { readOnly: true });
    app.container.mount(CONFIG_DIR, configVolume, { readOnly: true });

    this.javaagentOption = `-javaagent:${AGENT_DIR}/${AGENT_JAR}=${this.port}:${CONFIG_DIR}/config.yaml`;
    app.addCatalinaOpts(this.javaagentOption);
    app.container.addPort({ number: this.port, name: 'metrics' });
    app.service.bind(this.port, { name: 'metrics', targetPort: this.port });

    this.serviceMonitor = scrapeMonitor(this, 'ServiceMonitor', {
      kind: 'ServiceMonitor',
      name: app.name,
      namespace: app.namespace,
      labels: props.monitorLabels,
      matchLabels: { 'app.kubernetes.io/name': app.name, 'app.kubernetes.io/component': app.labels['app.kubernetes.io/component'] },
      port: 'metrics',
      interval: props.scrapeInterval,
    });
    // prometheus-operator sets `job` to the Service name and `namespace` to its namespace
    this.selector = [`job=${promString(app.name)}`, ...(app.namespace ? [`namespace=${promString(app.namespace)}`] : [])].join(',');
  }
}

function checkExporterConfig(scope: Construct, config: string): string {
  let parsed: any;
  try {
    parsed = YAML.parse(config);
  } catch (e) {
    throw ValidationError.of(scope, 'exporterConfig', config, `is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw ValidationError.of(scope, 'exporterConfig', config, 'must be a jmx_exporter YAML mapping, e.g. "rules:\n  - pattern: \".*\""');
  }
  return config;
}
