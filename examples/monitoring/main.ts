// Monitoring the platform: the node problem detector on every node (with one
// custom rule for NFS), Prometheus metrics for a Tomcat app, and alerts for
// the node, cluster and service levels.
import { Construct } from 'constructs';
import {
  AlertRules, NodeProblemDetector, PaasApp, PaasChart, SystemLogMonitor, TomcatApp, TomcatMetrics, TomcatRuntime, WarArtifact,
} from '../../src';

/** The label the platform's Prometheus selects ServiceMonitors, PodMonitors and PrometheusRules by. */
const PROMETHEUS = { release: 'kube-prometheus-stack' };

/** Node problem detector with the kernel, read-only filesystem and containerd monitors, plus an NFS rule. */
export class NodeMonitoringChart extends PaasChart {
  public readonly npd: NodeProblemDetector;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const kernel = SystemLogMonitor.kernel().addConditionRule({
      condition: 'NFSServerUnreachable',
      reason: 'NFSServerNotResponding',
      pattern: 'nfs: server \\S+ not responding, timed out',
    });
    this.npd = new NodeProblemDetector(this, 'npd', {
      monitors: [kernel, SystemLogMonitor.readonlyFilesystem(), SystemLogMonitor.containerRuntime()],
      monitorLabels: PROMETHEUS,
    });
  }
}

/** A Tomcat app with JMX exporter metrics and its service alerts, and the node and cluster alerts. */
export class ShopChart extends PaasChart {
  public readonly shop: TomcatApp;
  public readonly metrics: TomcatMetrics;
  public readonly alerts: AlertRules;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.shop = new TomcatApp(this, 'shop', {
      namespace: 'shop',
      runtime: TomcatRuntime.of('9.0'),
      replicas: 3,
      artifacts: [WarArtifact.fromImage('registry.example.com/shop/shop-web:2.1.0', { path: '/app_dir', wars: ['ROOT.war'] })],
      catalinaOpts: '-Xms256m -Xmx768m',
    });
    this.metrics = new TomcatMetrics(this, 'shop-metrics', {
      app: this.shop,
      agentImage: 'registry.example.com/platform/jmx-prometheus-javaagent:1.0.1',
      monitorLabels: PROMETHEUS,
    });
    this.alerts = new AlertRules(this, 'platform-alerts', { namespace: 'monitoring', labels: PROMETHEUS });
    this.alerts.addNodeAlerts({ cpuUsagePercent: 85 });
    this.alerts.addClusterAlerts();
    this.alerts.addServiceAlerts(this.metrics, { maxRequestsPerSecond: 500, latencyMillis: 800 });
  }
}

if (require.main === module) {
  const app = new PaasApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist/monitoring' });
  new NodeMonitoringChart(app, 'node-monitoring');
  new ShopChart(app, 'shop');
  app.synth();
}
