import { Construct } from 'constructs';
import { AlertRule, AlertSeverity, ClusterAlertOptions, NodeAlertOptions, ServiceAlertOptions } from './alert-options';
import { checkNumber, checkPromDuration, promString } from './promql';
import type { TomcatMetrics } from './tomcat-metrics';
import { checkLabelValue } from '../validate/rules';

// Internal: the preset alerting rules of AlertRules. Expressions follow the
// node-exporter and kubernetes mixins, written without recording rules so
// they work on any Prometheus that scrapes node-exporter, kube-state-metrics
// and the apps.

/** Requests per second the kubelet's HTTP probes make on each Tomcat pod (readiness every 10s, liveness every 20s). */
const PROBE_REQUESTS_PER_POD = 1 / 10 + 1 / 20;

/** Reads `options[key]` or its default, checking it is a Prometheus duration (field `<prefix>.<key>`). */
function duration<T>(scope: Construct, prefix: string, options: T, key: keyof T & string, dflt: string): string {
  const v = (options as any)[key] ?? dflt;
  return checkPromDuration(scope, `${prefix}.${key}`, v);
}

/** Reads `options[key]` or its default, checking it is a number in (min, max]. */
function threshold<T>(scope: Construct, prefix: string, options: T, key: keyof T & string, dflt: number, max: number, inclusiveMin = false): number {
  return checkNumber(scope, `${prefix}.${key}`, (options as any)[key] ?? dflt, 0, max, inclusiveMin);
}

function jobMatcher(scope: Construct, field: string, job: string): string {
  return `job=${promString(checkLabelValue(scope, field, job))}`;
}

/** The node alerts. */
export function nodeAlerts(scope: Construct, o: NodeAlertOptions): AlertRule[] {
  const p = 'nodeAlerts';
  const job = jobMatcher(scope, `${p}.job`, o.job ?? 'node-exporter');
  const win = duration(scope, p, o, 'rateWindow', '5m');
  const fs = `${job},fstype!="",mountpoint!=""`;
  const availPercent = `node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}} * 100`;
  const writable = `node_filesystem_readonly{${fs}} == 0`;
  const cpu = threshold(scope, p, o, 'cpuUsagePercent', 90, 100);
  const mem = threshold(scope, p, o, 'memoryUsagePercent', 90, 100);
  const fsAvail = threshold(scope, p, o, 'filesystemAvailablePercent', 10, 100);
  const hours = threshold(scope, p, o, 'fillingUpWithinHours', 24, 24 * 365);
  const load = threshold(scope, p, o, 'loadPerCore', 2, 1000);
  return [{
    alert: 'NodeHighCpuUsage',
    expr: `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{${job},mode="idle"}[${win}]))) > ${cpu}`,
    forDuration: duration(scope, p, o, 'cpuFor', '15m'),
    severity: AlertSeverity.WARNING,
    summary: 'Node {{ $labels.instance }} CPU usage is high',
    description: `CPU usage of {{ $labels.instance }} is {{ printf "%.0f" $value }}%, above ${cpu}%.`,
  }, {
    alert: 'NodeHighMemoryUsage',
    expr: `100 * (1 - node_memory_MemAvailable_bytes{${job}} / node_memory_MemTotal_bytes{${job}}) > ${mem}`,
    forDuration: duration(scope, p, o, 'memoryFor', '15m'),
    severity: AlertSeverity.WARNING,
    summary: 'Node {{ $labels.instance }} memory usage is high',
    description: `Memory in use on {{ $labels.instance }} is {{ printf "%.0f" $value }}%, above ${mem}%.`,
  }, {
    alert: 'NodeFilesystemAlmostFull',
    expr: `(${availPercent} < ${fsAvail} and ${writable})`,
    forDuration: duration(scope, p, o, 'filesystemFor', '30m'),
    severity: AlertSeverity.CRITICAL,
    summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is almost full',
    description: `Only {{ printf "%.1f" $value }}% of {{ $labels.mountpoint }} on {{ $labels.instance }} is available (threshold ${fsAvail}%).`,
  }, {
    alert: 'NodeFilesystemFillingUp',
    expr: `(${availPercent} < 40 and predict_linear(node_filesystem_avail_bytes{${fs}}[${duration(scope, p, o, 'fillingUpWindow', '6h')}], ${hours} * 3600) < 0 and ${writable})`,
    forDuration: duration(scope, p, o, 'fillingUpFor', '1h'),
    severity: AlertSeverity.WARNING,
    summary: 'Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is filling up',
    description: `At the recent rate, {{ $labels.mountpoint }} on {{ $labels.instance }} is full within ${hours} hours.`,
  }, {
    alert: 'NodeHighLoad',
    expr: `node_load15{${job}} / on (instance) count by (instance) (node_cpu_seconds_total{${job},mode="idle"}) > ${load}`,
    forDuration: duration(scope, p, o, 'loadFor', '15m'),
    severity: AlertSeverity.WARNING,
    summary: 'Node {{ $labels.instance }} is overloaded',
    description: `The 15-minute load of {{ $labels.instance }} is {{ printf "%.1f" $value }} per core, above ${load}.`,
  }];
}

/** The cluster alerts. */
export function clusterAlerts(scope: Construct, o: ClusterAlertOptions): AlertRule[] {
  const p = 'clusterAlerts';
  const job = jobMatcher(scope, `${p}.job`, o.job ?? 'kube-state-metrics');
  const overcommitFor = duration(scope, p, o, 'overcommitFor', '10m');
  const quota = threshold(scope, p, o, 'quotaUsedPercent', 90, 100);
  const quotaFor = duration(scope, p, o, 'quotaFor', '15m');
  const mismatchFor = duration(scope, p, o, 'replicasMismatchFor', '15m');
  const overcommit = (resource: string, name: string): AlertRule => {
    const alloc = `kube_node_status_allocatable{${job},resource="${resource}"}`;
    const spare = `(sum(${alloc}) - max(${alloc}))`;
    return {
      alert: `Kube${name}Overcommit`,
      expr: `sum(kube_pod_container_resource_requests{${job},resource="${resource}"}) - ${spare} > 0 and ${spare} > 0`,
      forDuration: overcommitFor,
      severity: AlertSeverity.WARNING,
      summary: `The cluster has overcommitted ${resource} requests`,
      description: `The pods request more ${resource} than the cluster can allocate after losing its largest node.`,
    };
  };
  const usedRatio = `kube_resourcequota{${job},type="used"} / ignoring (instance, job, type) (kube_resourcequota{${job},type="hard"} > 0) * 100`;
  return [
    overcommit('cpu', 'Cpu'),
    overcommit('memory', 'Memory'),
    {
      alert: 'KubeQuotaAlmostFull',
      expr: `${usedRatio} > ${quota}`,
      forDuration: quotaFor,
      severity: AlertSeverity.WARNING,
      summary: 'Namespace {{ $labels.namespace }} is running out of {{ $labels.resource }} quota',
      description: `{{ $labels.namespace }} uses {{ printf "%.0f" $value }}% of its {{ $labels.resource }} quota, above ${quota}%.`,
    }, {
      alert: 'KubeQuotaExceeded',
      expr: `${usedRatio} > 100`,
      forDuration: quotaFor,
      severity: AlertSeverity.WARNING,
      summary: 'Namespace {{ $labels.namespace }} exceeds its {{ $labels.resource }} quota',
      description: '{{ $labels.namespace }} uses {{ printf "%.0f" $value }}% of its {{ $labels.resource }} quota: new pods are rejected.',
    }, {
      alert: 'KubePodCrashLooping',
      expr: `max_over_time(kube_pod_container_status_waiting_reason{${job},reason="CrashLoopBackOff"}[5m]) >= 1`,
      forDuration: duration(scope, p, o, 'crashLoopingFor', '15m'),
      severity: AlertSeverity.WARNING,
      summary: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping',
      description: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is restarting in CrashLoopBackOff.',
    }, {
      alert: 'KubeDeploymentReplicasMismatch',
      expr: `(kube_deployment_spec_replicas{${job}} > kube_deployment_status_replicas_available{${job}}) and (changes(kube_deployment_status_replicas_updated{${job}}[10m]) == 0)`,
      forDuration: mismatchFor,
      severity: AlertSeverity.WARNING,
      summary: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} is short of replicas',
      description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has fewer available replicas than desired and its rollout is not progressing.',
    }, {
      alert: 'KubeStatefulSetReplicasMismatch',
      expr: `(kube_statefulset_status_replicas_ready{${job}} != kube_statefulset_status_replicas{${job}}) and (changes(kube_statefulset_status_replicas_updated{${job}}[10m]) == 0)`,
      forDuration: mismatchFor,
      severity: AlertSeverity.WARNING,
      summary: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} is short of replicas',
      description: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has fewer ready replicas than desired and is not progressing.',
    },
  ];
}

/** The service alerts of one Tomcat app. */
export function serviceAlerts(scope: Construct, metrics: TomcatMetrics, o: ServiceAlertOptions): AlertRule[] {
  const p = 'serviceAlerts';
  const app = metrics.app;
  const sel = metrics.selector;
  const win = duration(scope, p, o, 'rateWindow', '5m');
  const requests = `sum(rate(tomcat_requestcount_total{${sel}}[${win}]))`;
  const maxRps = threshold(scope, p, o, 'maxRequestsPerSecond', 100 * Math.max(app.replicas, 1), 1e9);
  const minRps = threshold(scope, p, o, 'minRequestsPerSecond', 0, 1e9, true);
  const errors = threshold(scope, p, o, 'errorRatioPercent', 5, 100);
  const latency = threshold(scope, p, o, 'latencyMillis', 1000, 3.6e6);
  const labels = { service: app.name, ...(app.namespace ? { namespace: app.namespace } : {}) };
  const who = app.namespace ? `${app.namespace}/${app.name}` : app.name;
  const probes = Math.round(PROBE_REQUESTS_PER_POD * 1.1 * 1000) / 1000;
  return [{
    alert: 'TomcatHighRequestRate',
    expr: `${requests} > ${maxRps}`,
    forDuration: duration(scope, p, o, 'highRequestRateFor', '10m'),
    labels,
    summary: `${who} receives too many requests`,
    description: `${who} serves {{ printf "%.0f" $value }} requests/s, above ${maxRps}.`,
  }, {
    alert: 'TomcatNoTraffic',
    // the kubelet's probes are requests too: "no traffic" is no more than the probes make
    expr: `(${requests} or vector(0)) <= (count(up{${sel}} == 1) or vector(0)) * ${probes}${minRps > 0 ? ` + ${minRps}` : ''}`,
    forDuration: duration(scope, p, o, 'noTrafficFor', '15m'),
    labels,
    summary: `${who} receives no requests`,
    description: `Requests to ${who} dropped to {{ printf "%.2f" $value }}/s, no more than the health probes make.`,
  }, {
    alert: 'TomcatHighErrorRatio',
    expr: `sum(rate(tomcat_errorcount_total{${sel}}[${win}])) / ${requests} * 100 > ${errors}`,
    forDuration: duration(scope, p, o, 'errorRatioFor', '10m'),
    labels,
    summary: `${who} answers many requests with errors`,
    description: `{{ printf "%.1f" $value }}% of the responses of ${who} have status 400 or above, more than ${errors}%.`,
  }, {
    alert: 'TomcatHighLatency',
    expr: `sum(rate(tomcat_processingtime_total{${sel}}[${win}])) / ${requests} > ${latency}`,
    forDuration: duration(scope, p, o, 'latencyFor', '10m'),
    labels,
    summary: `${who} responds slowly`,
    description: `Requests to ${who} take {{ printf "%.0f" $value }} ms on average, more than ${latency} ms.`,
  }];
}
