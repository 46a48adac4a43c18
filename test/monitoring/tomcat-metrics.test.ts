import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { TomcatApp, TomcatMetrics, WarArtifact } from '../../src';
import { findObject, synthValid } from '../fixtures/validate';

const artifact = WarArtifact.fromImage('registry.example.com/shop/web:2.1.0', { path: '/app', wars: ['ROOT.war'] });

function shop(props: Partial<ConstructorParameters<typeof TomcatMetrics>[2]> = {}, namespace: string | null = 'shop') {
  const chart = Testing.chart();
  const app = new TomcatApp(chart, 'shop', { namespace: namespace ?? undefined, artifacts: [artifact], catalinaOpts: '-Xmx512m' });
  const metrics = new TomcatMetrics(chart, 'metrics', { app, ...props });
  return { chart, app, metrics };
}

describe('TomcatMetrics', () => {
  test('an init container copies the agent jar into an emptyDir; the pod stays restricted (strict-valid)', () => {
    const { chart } = shop();
    const m = synthValid(chart);
    const pod = findObject(m, 'Deployment', 'shop').spec.template.spec;
    const init = pod.initContainers.find((c: any) => c.name === 'copy-jmx-exporter-agent');
    expect(init.image).toBe('registry.example.com/platform/jmx-prometheus-javaagent:1.0.1');
    expect(init.command).toEqual(['cp', '/jmx_prometheus_javaagent.jar', '/cdk8s-paas/jmx-exporter/jmx_prometheus_javaagent.jar']);
    const agentMount = init.volumeMounts[0];
    expect(agentMount.mountPath).toBe('/cdk8s-paas/jmx-exporter');
    expect(pod.volumes.find((v: any) => v.name === agentMount.name)).toEqual({ name: agentMount.name, emptyDir: {} });
    const tomcat = pod.containers[0];
    expect(tomcat.volumeMounts).toContainEqual({ mountPath: '/cdk8s-paas/jmx-exporter', name: agentMount.name, readOnly: true });
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
  });

  test('the agent is loaded through CATALINA_OPTS (not JAVA_OPTS) with the config from a ConfigMap', () => {
    const { chart, metrics } = shop();
    const m = synthValid(chart);
    const tomcat = findObject(m, 'Deployment').spec.template.spec.containers[0];
    const env = Object.fromEntries(tomcat.env.map((e: any) => [e.name, e.value]));
    expect(env.CATALINA_OPTS).toBe('-Xmx512m -javaagent:/cdk8s-paas/jmx-exporter/jmx_prometheus_javaagent.jar=9404:/cdk8s-paas/jmx-exporter-config/config.yaml');
    expect(env.JAVA_OPTS).not.toContain('javaagent');
    expect(metrics.javaagentOption).toBe('-javaagent:/cdk8s-paas/jmx-exporter/jmx_prometheus_javaagent.jar=9404:/cdk8s-paas/jmx-exporter-config/config.yaml');
    const cm = findObject(m, 'ConfigMap', 'shop-jmx-exporter');
    expect(cm.metadata.namespace).toBe('shop');
    const config = YAML.parse(cm.data['config.yaml']);
    expect(config.rules.map((r: any) => r.name)).toEqual(['tomcat_$3_total', 'tomcat_threadpool_$3', 'tomcat_session_active', 'tomcat_session_$3_total']);
    // the GlobalRequestProcessor rule matches Tomcat's MBean for the HTTP connector
    const mbean = 'Catalina<type=GlobalRequestProcessor, name="http-nio-8080"><>requestCount:';
    expect(new RegExp(config.rules[0].pattern).exec(mbean)?.slice(1)).toEqual(['http-nio', '8080', 'requestCount']);
    const configMount = tomcat.volumeMounts.find((v: any) => v.mountPath === '/cdk8s-paas/jmx-exporter-config');
    expect(configMount.readOnly).toBe(true);
    const pod = findObject(m, 'Deployment').spec.template.spec;
    expect(pod.volumes.find((v: any) => v.name === configMount.name).configMap.name).toBe('shop-jmx-exporter');
  });

  test('a named metrics port on the container and the Service, scraped by a ServiceMonitor that selects the Service', () => {
    const { chart, metrics } = shop({ monitorLabels: { release: 'prometheus' }, scrapeInterval: '15s' });
    const m = synthValid(chart);
    const tomcat = findObject(m, 'Deployment').spec.template.spec.containers[0];
    expect(tomcat.ports).toContainEqual({ containerPort: 9404, name: 'metrics' });
    const svc = findObject(m, 'Service', 'shop');
    expect(svc.spec.ports).toContainEqual({ name: 'metrics', port: 9404, targetPort: 9404 });
    const sm = findObject(m, 'ServiceMonitor', 'shop');
    expect(sm.metadata).toEqual({ name: 'shop', namespace: 'shop', labels: { release: 'prometheus' } });
    expect(sm.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s' }]);
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    expect(metrics.selector).toBe('job="shop",namespace="shop"');
  });

  test('image, jar path, port and exporter config are settable; without a namespace the selector is the job only', () => {
    const { chart, metrics } = shop({ agentImage: 'registry.example.com/agents/jmx:0.20.0', agentJarPath: '/opt/jmx/agent.jar', port: 9500, exporterConfig: 'rules:\n  - pattern: ".*"\n' }, null);
    const m = synthValid(chart);
    const pod = findObject(m, 'Deployment').spec.template.spec;
    const init = pod.initContainers.find((c: any) => c.name === 'copy-jmx-exporter-agent');
    expect(init.image).toBe('registry.example.com/agents/jmx:0.20.0');
    expect(init.command[1]).toBe('/opt/jmx/agent.jar');
    expect(pod.containers[0].ports).toContainEqual({ containerPort: 9500, name: 'metrics' });
    expect(findObject(m, 'ConfigMap').data['config.yaml']).toBe('rules:\n  - pattern: ".*"\n');
    expect(metrics.selector).toBe('job="shop"');
  });

  test('a changed exporter config changes the pod template', () => {
    const hash = (exporterConfig?: string) => findObject(synthValid(shop({ exporterConfig }).chart), 'Deployment')
      .spec.template.metadata.annotations['cdk8s-paas.io/jmx-exporter-config-hash'];
    expect(hash('rules: []')).not.toBe(hash());
  });

  describe('errors', () => {
    test('the metrics port cannot be Tomcat\'s 8080 nor invalid', () => {
      expect(() => shop({ port: 8080 })).toThrow('test/metrics: port: 8080 is the port of Tomcat\'s HTTP connector: choose another');
      expect(() => shop({ port: 70000 })).toThrow('test/metrics: port: 70000 is not a valid port');
    });
    test('a bad agent image or jar path', () => {
      expect(() => shop({ agentImage: 'Registry/JMX' })).toThrow('test/metrics: agentImage: "Registry/JMX" is not a valid image reference');
      expect(() => shop({ agentJarPath: 'agent.jar' })).toThrow('test/metrics: agentJarPath: "agent.jar" is not a valid absolute path');
    });
    test('an exporter config that is not a YAML mapping', () => {
      expect(() => shop({ exporterConfig: 'rules: [' })).toThrow(/test\/metrics: exporterConfig: "rules: \[" is not valid YAML/);
      expect(() => shop({ exporterConfig: '- a' })).toThrow('test/metrics: exporterConfig: "- a" must be a jmx_exporter YAML mapping');
    });
  });
});
