import { Testing } from 'cdk8s';
import { NodeMonitoringChart, ShopChart } from '../../examples/monitoring/main';
import { PodSecurityLevel } from '../../src';
import { modelOf } from '../fixtures/reach';
import { findObject, synthValid } from '../fixtures/validate';

test('examples/monitoring: the node problem detector with a custom rule, privileged and with its RBAC', () => {
  const chart = new NodeMonitoringChart(Testing.app(), 'node-monitoring');
  const m = synthValid(chart, { podSecurity: PodSecurityLevel.PRIVILEGED });
  const ds = findObject(m, 'DaemonSet', 'node-problem-detector');
  const pod = ds.spec.template.spec;
  expect(pod.containers[0].volumeMounts.map((v: any) => v.mountPath)).toEqual(['/var/log', '/dev/kmsg', '/etc/localtime', '/config']);
  expect(pod.volumes.filter((v: any) => v.hostPath).map((v: any) => v.hostPath.path)).toEqual(['/var/log/', '/dev/kmsg', '/etc/localtime']);
  expect(pod.serviceAccountName).toBe('node-problem-detector');
  expect(findObject(m, 'ClusterRoleBinding').roleRef.name).toBe(findObject(m, 'ClusterRole').metadata.name);
  expect(findObject(m, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  const kernel = JSON.parse(findObject(m, 'ConfigMap').data['kernel-monitor.json']);
  expect(kernel.rules).toContainEqual({ type: 'permanent', condition: 'NFSServerUnreachable', reason: 'NFSServerNotResponding', pattern: 'nfs: server \\S+ not responding, timed out' });
  expect(kernel.conditions.map((c: any) => c.type)).toEqual(['KernelDeadlock', 'NFSServerUnreachable']);
  expect(findObject(m, 'PodMonitor').metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
});

test('examples/monitoring: a Tomcat app with metrics (restricted) and node, cluster and service alerts', () => {
  const chart = new ShopChart(Testing.app(), 'shop');
  const m = synthValid(chart);
  const tomcat = findObject(m, 'Deployment', 'shop').spec.template.spec.containers[0];
  expect(tomcat.env.find((e: any) => e.name === 'CATALINA_OPTS').value).toContain('-javaagent:/cdk8s-paas/jmx-exporter/jmx_prometheus_javaagent.jar=9404:');
  expect(findObject(m, 'Service', 'shop').spec.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
  expect(findObject(m, 'ServiceMonitor', 'shop').spec.endpoints[0].port).toBe('metrics');
  const groups = findObject(m, 'PrometheusRule', 'platform-alerts').spec.groups;
  expect(groups.map((g: any) => g.name)).toEqual(['node', 'cluster', 'service-shop']);
  expect(groups[0].rules[0].expr).toMatch(/> 85$/);
  expect(groups[2].rules.map((r: any) => r.alert)).toEqual(['TomcatHighRequestRate', 'TomcatNoTraffic', 'TomcatHighErrorRatio', 'TomcatHighLatency']);
});

test('examples/monitoring: Prometheus (namespace monitoring) can scrape the shop\'s metrics port (reachability model)', () => {
  const model = modelOf(app => {
    new NodeMonitoringChart(app, 'node-monitoring');
    new ShopChart(app, 'shop');
  });
  expect(model.policies).toEqual([]);
  expect(model.endpoints.find(e => e.id === 'shop/Deployment/shop')!.ports).toEqual(['8080/TCP', '9404/TCP']);
  expect(model.check('namespace monitoring', 'shop/Deployment/shop', { port: 9404 }).allowed).toBe(true);
  expect(model.check('namespace monitoring', 'node-problem-detector/DaemonSet/node-problem-detector', { port: 20257 }).allowed).toBe(true);
});
