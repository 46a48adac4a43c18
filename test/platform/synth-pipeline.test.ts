import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AlertRules, AppSecret, ConfigTarget, IsolatedGroup, NamespaceIsolation, NetworkFlavor, NetworkPolicy, PersistentStorage,
  SecretHashKey, Selector, Tenant, TomcatApp, TomcatRuntime, VolumeSource, WarArtifact, Warnings,
} from '../../src';
import { synthApp, synthError, synthManifests, testApp, testChart } from '../fixtures/synth';
import { expectValidManifests, findObject } from '../fixtures/validate';

const war = WarArtifact.fromImage('registry.example.com/shop/artifacts:1.0.0', { path: '/app_dir', wars: ['ROOT.war'] });
const KEY = '0123456789abcdef'.repeat(3);

function byPath(manifests: any[], kind: string, name: string): any {
  return findObject(manifests, kind, name);
}

describe('prepare: objects created inside a Tenant get its namespace', () => {
  test('plain cdk8s-plus objects, raw ApiObjects, storage, policies, isolation presets, alert rules, role bindings', () => {
    // GIVEN every kind of object created inside a Tenant without a namespace
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    new kplus.ConfigMap(t, 'plain', { metadata: { name: 'plain' }, data: { a: 'b' } });
    new ApiObject(t, 'raw', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw' } });
    new PersistentStorage(t, 'data', { source: VolumeSource.nfs({ server: 'nas.example.com', path: '/x' }), capacity: '1Gi', name: 'data' });
    new NetworkPolicy(t, 'calico', { name: 'calico-policy', selector: Selector.all() });
    new NetworkPolicy(t, 'k8s', { name: 'k8s-policy', flavor: NetworkFlavor.KUBERNETES, selector: Selector.all() });
    new NamespaceIsolation(t, 'iso', { name: 'extra-isolation' });
    new IsolatedGroup(t, 'billing', { name: 'billing' });
    const rules = new AlertRules(t, 'alerts', { name: 'alerts' });
    rules.addRule('app', { alert: 'AppDown', expr: 'up == 0' });
    const sa = new kplus.ServiceAccount(t, 'sa', { metadata: { name: 'robot' } });
    const role = new kplus.Role(t, 'role', { metadata: { name: 'reader' } });
    role.allowRead(kplus.ApiResource.CONFIG_MAPS);
    role.bind(sa);

    // WHEN synthesized on the users' path
    const m = synthManifests(chart);

    // THEN every namespaced object is in team-a, and what refers to it too
    expectValidManifests(m);
    for (const [kind, name] of [['ConfigMap', 'plain'], ['ConfigMap', 'raw'], ['PersistentVolumeClaim', 'data'], ['NetworkPolicy', 'calico-policy'],
      ['NetworkPolicy', 'k8s-policy'], ['NetworkPolicy', 'extra-isolation'], ['NetworkPolicy', 'billing'], ['PrometheusRule', 'alerts'],
      ['ServiceAccount', 'robot'], ['Role', 'reader']]) {
      expect([kind, name, byPath(m, kind, name).metadata.namespace]).toEqual([kind, name, 'team-a']);
    }
    const pv = findObject(m, 'PersistentVolume');
    expect(pv.metadata.namespace).toBeUndefined();
    expect(pv.spec.claimRef).toEqual({ name: 'data', namespace: 'team-a' });
    const binding = findObject(m, 'RoleBinding', m.find(x => x.kind === 'RoleBinding' && x.roleRef.name === 'reader').metadata.name);
    expect(binding.metadata.namespace).toBe('team-a');
    expect(binding.subjects).toEqual([expect.objectContaining({ kind: 'ServiceAccount', name: 'robot', namespace: 'team-a' })]);
    // cluster-scoped kinds untouched
    expect(findObject(m, 'Namespace', 'team-a').metadata.namespace).toBeUndefined();
  });

  test('the chart\'s namespace is a default the Tenant overrides; the Namespace comes first in the file', () => {
    const app = testApp();
    const chart = new Chart(app, 'test', { namespace: 'chart-default' });
    const t = new Tenant(chart, 'team-a');
    new ApiObject(t, 'raw', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw' } });
    const m = synthManifests(chart);
    expect(findObject(m, 'ConfigMap', 'raw').metadata.namespace).toBe('team-a');
    expect(m[0].kind).toBe('Namespace');
  });

  test('an explicit other namespace inside a Tenant is an error naming both namespaces', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    new ApiObject(t, 'raw', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw', namespace: 'team-b' } });
    expect(synthError(chart)).toContain('test/team-a/raw: metadata.namespace: "team-b" is not the namespace "team-a" of the Tenant it is created in (test/team-a)');
  });
});

describe('validate: object identity', () => {
  test('two objects with the same group, kind, namespace and name fail, naming both construct paths', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a');
    new TomcatApp(chart, 'shop', { artifacts: [war], namespace: 'team-a' });
    const other = new Chart(chart.node.root as any, 'other');
    new TomcatApp(other, 'shop', { artifacts: [war], namespace: 'team-a' });
    const msg = synthError(chart);
    expect(msg).toMatch(/other\/shop\/Deployment\/Resource: metadata.name: "shop" is also the name of the Deployment \(apps\) in namespace "team-a" at test\/shop\/Deployment\/Resource/);
  });

  test('the same name in two namespaces, or in two groups, is fine', () => {
    const chart = testChart();
    new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'one' } });
    new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'two' } });
    new NetworkPolicy(chart, 'c', { name: 'x', namespace: 'one', flavor: NetworkFlavor.KUBERNETES });
    new NetworkPolicy(chart, 'd', { name: 'x', namespace: 'one', flavor: NetworkFlavor.CALICO });
    expect(synthManifests(chart)).toHaveLength(4);
  });
});

describe('validate: warnings', () => {
  const strictEnv = process.env.CDK8S_PAAS_STRICT;
  afterEach(() => {
    if (strictEnv === undefined) delete process.env.CDK8S_PAAS_STRICT;
    else process.env.CDK8S_PAAS_STRICT = strictEnv;
  });

  function eolApp(props = {}): Chart {
    const chart = testChart(props);
    new TomcatApp(chart, 'legacy', { artifacts: [war], runtime: TomcatRuntime.of('8.5') });
    return chart;
  }

  test('each warning is printed exactly once, with its id', () => {
    const out = synthApp(eolApp());
    const eol = out.stderr.filter(l => l.includes('end-of-life'));
    expect(eol).toHaveLength(1);
    expect(eol[0]).toMatch(/^\[cdk8s-paas\] warning: test\/legacy: runtime: .* \[ack: cdk8s-paas:tomcat-end-of-life\]$/);
  });

  test('a warning recorded while validations run is printed too', () => {
    // the tenant finds the surge problem in its validation
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { quota: { requestsCpu: '1' } });
    new TomcatApp(t, 'shop', { artifacts: [war] });
    const out = synthApp(chart);
    expect(out.stderr.filter(l => l.includes('[ack: cdk8s-paas:tenant-quota-surge]'))).toHaveLength(1);
  });

  test('an acknowledged warning is not printed, and does not fail strict mode', () => {
    const chart = eolApp({ strict: true });
    Warnings.acknowledge(chart, 'cdk8s-paas:tomcat-end-of-life', 'retired next quarter');
    const out = synthApp(chart);
    expect(out.stderr.filter(l => l.includes('end-of-life'))).toEqual([]);
    expect(Warnings.collectIds(chart)).toContain('cdk8s-paas:tomcat-end-of-life');
  });

  test('strict mode (prop or CDK8S_PAAS_STRICT=1) turns warnings into errors and writes nothing', () => {
    expect(synthError(eolApp({ strict: true }))).toContain('strict mode: warning cdk8s-paas:tomcat-end-of-life is an error: test/legacy: runtime:');
    process.env.CDK8S_PAAS_STRICT = '1';
    expect(synthError(eolApp())).toContain("acknowledge it with Warnings.acknowledge(scope, 'cdk8s-paas:tomcat-end-of-life')");
    expect(() => synthApp(eolApp({ strict: false }))).not.toThrow();
  });
});

describe('config: Secret rollout does not depend on call order', () => {
  test('SecretHashKey.use() after the Secret is attached still yields the secret-hash annotation', () => {
    process.env.TEST_LATE_KEY = KEY;
    try {
      const chart = testChart();
      const app = new TomcatApp(chart, 'shop', { artifacts: [war] });
      AppSecret.fromLiterals(chart, 'db', { name: 'db', data: { password: 'x' }, acknowledgePlaintext: true }).envFrom(ConfigTarget.fromTomcatApp(app));
      SecretHashKey.use(chart, SecretHashKey.fromEnv('TEST_LATE_KEY'));
      const out = synthApp(chart);
      const annotation = findObject(out.manifests, 'Deployment').spec.template.metadata.annotations['cdk8s-paas.io/secret-hash'];
      expect(annotation).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
      expect(out.stderr.filter(l => l.includes('no secret hash key'))).toEqual([]);
    } finally {
      delete process.env.TEST_LATE_KEY;
    }
  });

  test('without any key: no annotation, and the warning (once)', () => {
    const saved = process.env.CDK8S_PAAS_SECRET_HASH_KEY;
    delete process.env.CDK8S_PAAS_SECRET_HASH_KEY;
    try {
      const chart = testChart();
      const app = new TomcatApp(chart, 'shop', { artifacts: [war] });
      AppSecret.fromLiterals(chart, 'db', { name: 'db', data: { password: 'x' }, acknowledgePlaintext: true }).envFrom(ConfigTarget.fromTomcatApp(app));
      const out = synthApp(chart);
      expect(findObject(out.manifests, 'Deployment').spec.template.metadata.annotations?.['cdk8s-paas.io/secret-hash']).toBeUndefined();
      expect(out.stderr.filter(l => l.includes('[ack: cdk8s-paas:no-secret-hash-key]'))).toHaveLength(1);
    } finally {
      if (saved !== undefined) process.env.CDK8S_PAAS_SECRET_HASH_KEY = saved;
    }
  });
});

describe('validate: CRD schemas per app', () => {
  function crd(): any {
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
  }

  test('an app sees its own CRDs; a second app in the same process does not', () => {
    // GIVEN the first app declares the Widget CRD and uses it
    const first = testChart();
    new ApiObject(first, 'crd', crd());
    new ApiObject(first, 'w', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'x' }, spec: { size: 1 } });
    expect(synthManifests(first)).toHaveLength(2);
    // WHEN a second app uses a Widget without declaring the CRD
    const second = testChart();
    new ApiObject(second, 'w', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'x' }, spec: { size: 1 } });
    // THEN it is an unknown kind there
    expect(synthError(second)).toContain('apiVersion: "example.com/v1" with kind "Widget" is not a known API');
  });

  test('the app\'s CRD schema is strict for that app', () => {
    const chart = testChart();
    new ApiObject(chart, 'crd', crd());
    new ApiObject(chart, 'w', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'x' }, spec: { size: 'big' } });
    expect(synthError(chart)).toContain('spec.size: "big" has the wrong type: must be integer');
  });
});
