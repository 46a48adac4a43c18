import { Testing } from 'cdk8s';
import { fieldsNewerThanV067 } from './operator-v067';
import { AlertRules, AlertSeverity, NodeProblemDetector, PodSecurityLevel, TomcatApp, TomcatMetrics, ValidationError, WarArtifact } from '../../src';
import { findPromQLError } from '../../src/monitoring/promql';
import { expectValidManifests, findObject, synthValid } from '../fixtures/validate';

function setup() {
  const chart = Testing.chart();
  const app = new TomcatApp(chart, 'shop', {
    namespace: 'shop', replicas: 3, artifacts: [WarArtifact.fromImage('registry.example.com/shop/web:2.1.0', { path: '/app', wars: ['ROOT.war'] })],
  });
  const metrics = new TomcatMetrics(chart, 'metrics', { app });
  const rules = new AlertRules(chart, 'alerts', { namespace: 'monitoring', labels: { release: 'prometheus' } });
  return { chart, app, metrics, rules };
}

const ruleOf = (m: any[], group: string, alert: string) =>
  findObject(m, 'PrometheusRule').spec.groups.find((g: any) => g.name === group).rules.find((r: any) => r.alert === alert);

describe('AlertRules', () => {
  test('presets for nodes, the cluster and a service: strict-valid against the CRD, every expression PromQL', () => {
    const { chart, metrics, rules } = setup();
    rules.addNodeAlerts();
    rules.addClusterAlerts();
    rules.addServiceAlerts(metrics);
    const m = synthValid(chart);
    const pr = findObject(m, 'PrometheusRule', 'alerts');
    expect(pr.metadata).toEqual({ name: 'alerts', namespace: 'monitoring', labels: { release: 'prometheus' } });
    expect(pr.spec.groups.map((g: any) => g.name)).toEqual(['node', 'cluster', 'service-shop']);
    expect(rules.alertNames('node')).toEqual(['NodeHighCpuUsage', 'NodeHighMemoryUsage', 'NodeFilesystemAlmostFull', 'NodeFilesystemFillingUp', 'NodeHighLoad']);
    expect(rules.alertNames('cluster')).toEqual(['KubeCpuOvercommit', 'KubeMemoryOvercommit', 'KubeQuotaAlmostFull', 'KubeQuotaExceeded',
      'KubePodCrashLooping', 'KubeDeploymentReplicasMismatch', 'KubeStatefulSetReplicasMismatch']);
    expect(rules.alertNames('service-shop')).toEqual(['TomcatHighRequestRate', 'TomcatNoTraffic', 'TomcatHighErrorRatio', 'TomcatHighLatency']);
    for (const g of pr.spec.groups) {
      for (const r of g.rules) {
        expect(findPromQLError(r.expr)).toBeUndefined();
        expect(r.labels.severity).toMatch(/^(critical|warning|info)$/);
        expect(r.annotations.summary).toBeDefined();
      }
    }
    expect(fieldsNewerThanV067(pr)).toEqual([]);
    // the CRD schema is really applied: an unknown field or a bad duration in the output would fail
    const broken = { ...pr, spec: { groups: [{ ...pr.spec.groups[0], rules: [{ ...pr.spec.groups[0].rules[0], for: '15 m', severity: 'x' }] }] } };
    expect(() => expectValidManifests([broken])).toThrow(/PrometheusRule\/alerts: schema: .*(for|severity)/);
  });

  test('node presets: CPU, memory, filesystem filling up with predict_linear, load', () => {
    const { chart, rules } = setup();
    rules.addNodeAlerts();
    const m = synthValid(chart);
    expect(ruleOf(m, 'node', 'NodeHighCpuUsage')).toMatchObject({
      expr: '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{job="node-exporter",mode="idle"}[5m]))) > 90',
      for: '15m',
      labels: { severity: 'warning' },
    });
    expect(ruleOf(m, 'node', 'NodeHighMemoryUsage').expr).toBe('100 * (1 - node_memory_MemAvailable_bytes{job="node-exporter"} / node_memory_MemTotal_bytes{job="node-exporter"}) > 90');
    const filling = ruleOf(m, 'node', 'NodeFilesystemFillingUp');
    expect(filling.expr).toContain('predict_linear(node_filesystem_avail_bytes{job="node-exporter",fstype!="",mountpoint!=""}[6h], 24 * 3600) < 0');
    expect(filling.expr).toContain('node_filesystem_readonly{job="node-exporter",fstype!="",mountpoint!=""} == 0');
    expect(filling.for).toBe('1h');
    expect(ruleOf(m, 'node', 'NodeFilesystemAlmostFull')).toMatchObject({ for: '30m', labels: { severity: 'critical' } });
    expect(ruleOf(m, 'node', 'NodeHighLoad').expr).toBe('node_load15{job="node-exporter"} / on (instance) count by (instance) (node_cpu_seconds_total{job="node-exporter",mode="idle"}) > 2');
  });

  test('node thresholds, windows and for durations are settable', () => {
    const { chart, rules } = setup();
    rules.addNodeAlerts({
      job: 'node',
      rateWindow: '2m',
      cpuUsagePercent: 80,
      cpuFor: '5m',
      memoryUsagePercent: 95,
      memoryFor: '1h',
      filesystemAvailablePercent: 5,
      filesystemFor: '10m',
      fillingUpWithinHours: 4,
      fillingUpWindow: '1h',
      fillingUpFor: '30m',
      loadPerCore: 1.5,
      loadFor: '30m',
    });
    const m = synthValid(chart);
    expect(ruleOf(m, 'node', 'NodeHighCpuUsage')).toMatchObject({ expr: '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{job="node",mode="idle"}[2m]))) > 80', for: '5m' });
    expect(ruleOf(m, 'node', 'NodeHighMemoryUsage')).toMatchObject({ for: '1h' });
    expect(ruleOf(m, 'node', 'NodeHighMemoryUsage').expr).toMatch(/> 95$/);
    expect(ruleOf(m, 'node', 'NodeFilesystemAlmostFull').expr).toContain('* 100 < 5 and');
    expect(ruleOf(m, 'node', 'NodeFilesystemFillingUp').expr).toContain('[1h], 4 * 3600) < 0');
    expect(ruleOf(m, 'node', 'NodeFilesystemFillingUp').for).toBe('30m');
    expect(ruleOf(m, 'node', 'NodeHighLoad')).toMatchObject({ for: '30m' });
    expect(ruleOf(m, 'node', 'NodeHighLoad').expr).toMatch(/> 1.5$/);
  });

  test('cluster presets: overcommit, quota, crash looping, replicas mismatch; settable', () => {
    const { chart, rules } = setup();
    rules.addClusterAlerts({ job: 'ksm', quotaUsedPercent: 80, quotaFor: '5m', crashLoopingFor: '10m', replicasMismatchFor: '20m', overcommitFor: '1h' });
    const m = synthValid(chart);
    expect(ruleOf(m, 'cluster', 'KubeCpuOvercommit')).toMatchObject({
      expr: 'sum(kube_pod_container_resource_requests{job="ksm",resource="cpu"}) - (sum(kube_node_status_allocatable{job="ksm",resource="cpu"}) - max(kube_node_status_allocatable{job="ksm",resource="cpu"})) > 0'
        + ' and (sum(kube_node_status_allocatable{job="ksm",resource="cpu"}) - max(kube_node_status_allocatable{job="ksm",resource="cpu"})) > 0',
      for: '1h',
    });
    expect(ruleOf(m, 'cluster', 'KubeMemoryOvercommit').expr).toContain('resource="memory"');
    expect(ruleOf(m, 'cluster', 'KubeQuotaAlmostFull')).toMatchObject({
      expr: 'kube_resourcequota{job="ksm",type="used"} / ignoring (instance, job, type) (kube_resourcequota{job="ksm",type="hard"} > 0) * 100 > 80', for: '5m',
    });
    expect(ruleOf(m, 'cluster', 'KubeQuotaExceeded').expr).toMatch(/\* 100 > 100$/);
    expect(ruleOf(m, 'cluster', 'KubePodCrashLooping')).toMatchObject({
      expr: 'max_over_time(kube_pod_container_status_waiting_reason{job="ksm",reason="CrashLoopBackOff"}[5m]) >= 1', for: '10m',
    });
    expect(ruleOf(m, 'cluster', 'KubeDeploymentReplicasMismatch')).toMatchObject({
      expr: '(kube_deployment_spec_replicas{job="ksm"} > kube_deployment_status_replicas_available{job="ksm"}) and (changes(kube_deployment_status_replicas_updated{job="ksm"}[10m]) == 0)',
      for: '20m',
    });
    expect(ruleOf(m, 'cluster', 'KubeStatefulSetReplicasMismatch').for).toBe('20m');
  });

  test('service presets from the Tomcat metrics: QPS too high / dropped to zero, error ratio, latency', () => {
    const { chart, metrics, rules } = setup();
    rules.addServiceAlerts(metrics);
    const m = synthValid(chart);
    const sel = 'job="shop",namespace="shop"';
    const requests = `sum(rate(tomcat_requestcount_total{${sel}}[5m]))`;
    expect(ruleOf(m, 'service-shop', 'TomcatHighRequestRate')).toMatchObject({
      expr: `${requests} > 300`, for: '10m', labels: { severity: 'warning', service: 'shop', namespace: 'shop' },
    });
    // the kubelet's probes count as requests: "zero" is no more than the probes make per running pod
    expect(ruleOf(m, 'service-shop', 'TomcatNoTraffic')).toMatchObject({
      expr: `(${requests} or vector(0)) <= (count(up{${sel}} == 1) or vector(0)) * 0.165`, for: '15m',
    });
    expect(ruleOf(m, 'service-shop', 'TomcatHighErrorRatio').expr).toBe(`sum(rate(tomcat_errorcount_total{${sel}}[5m])) / ${requests} * 100 > 5`);
    expect(ruleOf(m, 'service-shop', 'TomcatHighLatency').expr).toBe(`sum(rate(tomcat_processingtime_total{${sel}}[5m])) / ${requests} > 1000`);
    // the metric names exist in the exporter configuration the app ships
    const config = findObject(m, 'ConfigMap', 'shop-jmx-exporter').data['config.yaml'];
    expect(config).toContain('name: tomcat_$3_total');
    expect(config).toContain('requestCount|errorCount|processingTime');
  });

  test('service thresholds are settable', () => {
    const { chart, metrics, rules } = setup();
    rules.addServiceAlerts(metrics, {
      rateWindow: '1m',
      maxRequestsPerSecond: 50,
      highRequestRateFor: '2m',
      minRequestsPerSecond: 0.5,
      noTrafficFor: '30m',
      errorRatioPercent: 1,
      errorRatioFor: '5m',
      latencyMillis: 250,
      latencyFor: '3m',
    });
    const m = synthValid(chart);
    expect(ruleOf(m, 'service-shop', 'TomcatHighRequestRate')).toMatchObject({ for: '2m' });
    expect(ruleOf(m, 'service-shop', 'TomcatHighRequestRate').expr).toMatch(/\[1m\]\)\) > 50$/);
    expect(ruleOf(m, 'service-shop', 'TomcatNoTraffic')).toMatchObject({ for: '30m' });
    expect(ruleOf(m, 'service-shop', 'TomcatNoTraffic').expr).toMatch(/\* 0.165 \+ 0.5$/);
    expect(ruleOf(m, 'service-shop', 'TomcatHighErrorRatio')).toMatchObject({ for: '5m' });
    expect(ruleOf(m, 'service-shop', 'TomcatHighErrorRatio').expr).toMatch(/\* 100 > 1$/);
    expect(ruleOf(m, 'service-shop', 'TomcatHighLatency')).toMatchObject({ for: '3m' });
    expect(ruleOf(m, 'service-shop', 'TomcatHighLatency').expr).toMatch(/> 250$/);
  });

  test('custom rules are addable, in their own group', () => {
    const { chart, rules } = setup();
    rules.addRule('shop', {
      alert: 'ShopCheckoutFailing',
      expr: 'sum(rate(checkout_failures_total[5m])) > 0',
      forDuration: '5m',
      severity: AlertSeverity.CRITICAL,
      summary: 'Checkout fails',
      labels: { team: 'shop' },
      annotations: { runbook_url: 'https://runbooks.example.com/shop/checkout' },
    });
    rules.addRule('shop', { alert: 'ShopDown', expr: 'up{job="shop"} == 0' });
    const m = synthValid(chart);
    const g = findObject(m, 'PrometheusRule').spec.groups;
    expect(g).toEqual([{
      name: 'shop',
      rules: [{
        alert: 'ShopCheckoutFailing',
        expr: 'sum(rate(checkout_failures_total[5m])) > 0',
        for: '5m',
        labels: { severity: 'critical', team: 'shop' },
        annotations: { summary: 'Checkout fails', runbook_url: 'https://runbooks.example.com/shop/checkout' },
      }, {
        alert: 'ShopDown', expr: 'up{job="shop"} == 0', labels: { severity: 'warning' },
      }],
    }]);
    expect(fieldsNewerThanV067(findObject(m, 'PrometheusRule'))).toEqual([]);
  });

  test('an evaluation interval applies to every group', () => {
    const chart = Testing.chart();
    const rules = new AlertRules(chart, 'Alerts', { evaluationInterval: '30s' });
    rules.addRule('a', { alert: 'A', expr: 'vector(1)' });
    rules.addRule('b', { alert: 'B', expr: 'vector(1)' });
    const pr = findObject(synthValid(chart), 'PrometheusRule', 'alerts');
    expect(pr.spec.groups.map((g: any) => g.interval)).toEqual(['30s', '30s']);
    expect(pr.metadata.namespace).toBeUndefined();
  });

  test('the ServiceMonitor and PodMonitor also stay within v0.67 fields', () => {
    const { chart, rules } = setup();
    rules.addRule('a', { alert: 'A', expr: 'vector(1)' });
    new NodeProblemDetector(chart, 'npd', { scrapeInterval: '30s' });
    const m = synthValid(chart, { podSecurity: PodSecurityLevel.PRIVILEGED });
    const monitoring = m.filter(x => x.apiVersion === 'monitoring.coreos.com/v1');
    expect(monitoring.map(o => o.kind).sort()).toEqual(['PodMonitor', 'PrometheusRule', 'ServiceMonitor']);
    for (const o of monitoring) expect(fieldsNewerThanV067(o)).toEqual([]);
    // the check itself catches newer fields
    expect(fieldsNewerThanV067({ kind: 'PrometheusRule', spec: { groups: [{ name: 'a', rules: [{ alert: 'A', expr: '1', keep_firing_for: '5m' }] }] } }))
      .toEqual(['spec.groups[].rules[].keep_firing_for']);
  });

  describe('errors', () => {
    test('a malformed PromQL expression shows the expression and the position', () => {
      const { rules } = setup();
      expect(() => rules.addRule('shop', { alert: 'Broken', expr: 'sum(rate(http_requests_total[5m]) by (code)' }))
        .toThrow('test/alerts: groups[shop].rules[Broken].expr: "sum(rate(http_requests_total[5m]) by (code)" is not valid PromQL: syntax error at column 35 (offset 34) near "by (code)"');
      expect(() => rules.addRule('shop', { alert: 'Typo', expr: 'rat(x[5m]) > 1' })).toThrow(/groups\[shop\].rules\[Typo\].expr: "rat\(x\[5m\]\) > 1" is not valid PromQL/);
    });

    test('a bad for duration names the rule and the value', () => {
      const { rules } = setup();
      expect(() => rules.addRule('shop', { alert: 'A', expr: 'up == 0', forDuration: '5 minutes' }))
        .toThrow('test/alerts: groups[shop].rules[A].forDuration: "5 minutes" is not a Prometheus duration');
    });

    test('bad preset options name the option and the value', () => {
      const { rules, metrics } = setup();
      expect(() => rules.addNodeAlerts({ cpuFor: '1.5h' })).toThrow('test/alerts: nodeAlerts.cpuFor: "1.5h" is not a Prometheus duration');
      expect(() => rules.addNodeAlerts({ fillingUpWindow: '6hours' })).toThrow('nodeAlerts.fillingUpWindow: "6hours" is not a Prometheus duration');
      expect(() => rules.addNodeAlerts({ cpuUsagePercent: 120 })).toThrow('test/alerts: nodeAlerts.cpuUsagePercent: 120 must be a number greater than 0 and at most 100');
      expect(() => rules.addClusterAlerts({ quotaUsedPercent: 0 })).toThrow('clusterAlerts.quotaUsedPercent: 0 must be a number greater than 0');
      expect(() => rules.addClusterAlerts({ job: 'kube state' })).toThrow('clusterAlerts.job: "kube state" is not a valid label value');
      expect(() => rules.addServiceAlerts(metrics, { latencyMillis: NaN })).toThrow('serviceAlerts.latencyMillis: NaN must be a number');
      expect(() => rules.addServiceAlerts(metrics, { minRequestsPerSecond: -1 })).toThrow('serviceAlerts.minRequestsPerSecond: -1 must be a number from 0 to');
      expect(() => rules.addServiceAlerts(metrics, { noTrafficFor: '' })).toThrow('serviceAlerts.noTrafficFor: "" is not a Prometheus duration');
    });

    test('a bad alert name, label name, group name, interval or object label', () => {
      const { rules } = setup();
      expect(() => rules.addRule('shop', { alert: 'shop-down', expr: 'up == 0' })).toThrow('groups[shop].rules[0].alert: "shop-down" is not a valid alert name');
      expect(() => rules.addRule('shop', { alert: 'A', expr: 'up == 0', labels: { 'team-name': 'x' } })).toThrow('groups[shop].rules[A].labels.team-name: "team-name" is not a valid Prometheus label name');
      expect(() => rules.addRule('Shop Rules', { alert: 'A', expr: 'up == 0' })).toThrow('test/alerts: groupName: "Shop Rules" is not a valid DNS-1123 subdomain');
      expect(() => new AlertRules(Testing.chart(), 'r', { evaluationInterval: '1m30' })).toThrow('test/r: evaluationInterval: "1m30" is not a Prometheus duration');
      expect(() => new AlertRules(Testing.chart(), 'r', { labels: { release: 'kube prometheus' } })).toThrow('test/r: labels.release: "kube prometheus" is not a valid label value');
    });

    test('an AlertRules without rules fails synth', () => {
      const chart = Testing.chart();
      new AlertRules(chart, 'empty');
      expect(() => Testing.synth(chart)).toThrow(/test\/empty: groups: \[\] must hold at least one rule/);
    });

    test('errors are ValidationErrors with the field', () => {
      const { rules } = setup();
      try {
        rules.addRule('g', { alert: 'A', expr: '1 +' });
        fail('expected an error');
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        expect((e as ValidationError).field).toBe('groups[g].rules[A].expr');
      }
    });
  });
});
