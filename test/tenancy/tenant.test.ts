import { ApiObject, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { errorOf, war } from './helpers';
import {
  AppConfig, AppSecret, AppServiceAccount, ConfigTarget, DataService, KubeVersion, PaasChart, PodSecurityLevel,
  RegistryCredentials, Tenant, TomcatApp, ValidationError, Warnings,
} from '../../src';
import { synthManifests, testChart } from '../fixtures/synth';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

describe('Tenant: namespace, Pod Security, quota, limits, RBAC', () => {
  test('namespace labelled for Pod Security enforce/warn/audit at the target version (default restricted)', () => {
    // GIVEN
    const chart = testChart();
    // WHEN
    new Tenant(chart, 'team-a');
    // THEN
    const ns = findObject(synthValid(chart), 'Namespace', 'team-a');
    expect(ns.metadata.labels).toEqual({
      'cdk8s-paas.io/tenant': 'team-a',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.27',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.27',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.27',
    });
    expect(ns.metadata.namespace).toBeUndefined();
  });

  test('level from props, version from the chart', () => {
    const app = Testing.app();
    const chart = new PaasChart(app, 'c', { kubeVersion: KubeVersion.V1_29 });
    new Tenant(chart, 'legacy', { podSecurity: PodSecurityLevel.BASELINE, labels: { 'cost-center': 'cc-42' } });
    const ns = findObject(synthValid(chart), 'Namespace');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/audit-version']).toBe('v1.29');
    expect(ns.metadata.labels['cost-center']).toBe('cc-42');
  });

  test('ResourceQuota (CPU, memory, storage, object counts) with defaults and overrides', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a', { quota: { requestsCpu: '6', pods: 12, loadBalancers: 1 } });
    const quota = findObject(synthValid(chart), 'ResourceQuota');
    expect(quota.metadata.namespace).toBe('team-a');
    expect(quota.spec.hard).toEqual({
      'requests.cpu': '6',
      'requests.memory': '8Gi',
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      'requests.storage': '50Gi',
      'pods': 12,
      'services': 20,
      'persistentvolumeclaims': 10,
      'configmaps': 50,
      'secrets': 50,
      'services.loadbalancers': 1,
      'services.nodeports': 0,
    });
  });

  test('LimitRange: container defaults and maxima', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a', { limits: { maxCpu: '2', defaultMemoryLimit: '1Gi' } });
    const lr = findObject(synthValid(chart), 'LimitRange');
    expect(lr.metadata.namespace).toBe('team-a');
    expect(lr.spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '128Mi' },
      default: { cpu: '1', memory: '1Gi' },
      max: { cpu: '2', memory: '8Gi' },
    }]);
  });

  test('RBAC: admin / developer / viewer groups bound to the built-in ClusterRoles admin / edit / view', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a', { adminGroups: ['team-a-leads'], developerGroups: ['team-a-dev', 'contractors'], viewerGroups: ['auditors'] });
    const bindings = findObjects(synthValid(chart), 'RoleBinding');
    const byRole = Object.fromEntries(bindings.map(b => [b.roleRef.name, b]));
    expect(Object.keys(byRole).sort()).toEqual(['admin', 'edit', 'view']);
    for (const b of bindings) {
      expect(b.metadata.namespace).toBe('team-a');
      expect(b.roleRef).toMatchObject({ kind: 'ClusterRole', apiGroup: 'rbac.authorization.k8s.io' });
    }
    expect(byRole.edit.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team-a-dev' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'contractors' },
    ]);
    expect(byRole.admin.subjects.map((s: any) => s.name)).toEqual(['team-a-leads']);
    expect(byRole.view.subjects.map((s: any) => s.name)).toEqual(['auditors']);
  });

  test('no groups, no RoleBindings; no pull secrets, no ServiceAccount', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a');
    const m = synthValid(chart);
    expect(findObjects(m, 'RoleBinding')).toEqual([]);
    expect(findObjects(m, 'ServiceAccount')).toEqual([]);
  });

  test('registry credentials: the namespace default ServiceAccount carries the pull secrets', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a', { imagePullSecrets: ['registry-example-com'] });
    const sa = findObject(synthValid(chart), 'ServiceAccount', 'default');
    expect(sa.metadata.namespace).toBe('team-a');
    expect(sa.imagePullSecrets).toEqual([{ name: 'registry-example-com' }]);
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('registry credentials from RegistryCredentials: the Secret lands in the tenant namespace, the default ServiceAccount pulls with it', () => {
    process.env.TENANCY_TEST_REGISTRY_TOKEN = 's3cret';
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const creds = RegistryCredentials.fromEnv(t, 'registry', { registry: 'registry.example.com', username: 'ci', name: 'registry-creds', passwordVariable: 'TENANCY_TEST_REGISTRY_TOKEN' });
    t.addRegistryCredentials(creds);
    t.addRegistryCredentials(creds);
    const m = synthValid(chart);
    expect(findObject(m, 'Secret', 'registry-creds').metadata.namespace).toBe('team-a');
    expect(findObject(m, 'ServiceAccount', 'default').imagePullSecrets).toEqual([{ name: 'registry-creds' }]);
    expect(t.serviceAccount?.imagePullSecretNames).toEqual(['registry-creds']);
  });

  test('config objects inside the tenant, given its namespace, serve its apps (TomcatApp imagePullSecrets)', () => {
    process.env.TENANCY_TEST_REGISTRY_TOKEN = 's3cret';
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const creds = RegistryCredentials.fromEnv(t, 'registry', {
      registry: 'registry.example.com', username: 'ci', name: 'shop-pull', namespace: t.namespace, passwordVariable: 'TENANCY_TEST_REGISTRY_TOKEN',
    });
    new TomcatApp(t, 'shop', { artifacts: [war], imagePullSecrets: [creds] });
    const m = synthValid(chart);
    expect(findObject(m, 'Deployment', 'shop').spec.template.spec.imagePullSecrets).toEqual([{ name: 'shop-pull' }]);
    expect(findObject(m, 'Secret', 'shop-pull').metadata.namespace).toBe('team-a');
  });

  test('config objects inside the tenant take its namespace by default', () => {
    process.env.TENANCY_TEST_REGISTRY_TOKEN = 's3cret';
    process.env.TENANCY_TEST_DB_PASSWORD = 'pw';
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const creds = RegistryCredentials.fromEnv(t, 'registry', { registry: 'registry.example.com', username: 'ci', name: 'pull', passwordVariable: 'TENANCY_TEST_REGISTRY_TOKEN' });
    const sa = new AppServiceAccount(t, 'sa', { name: 'shop', imagePullSecrets: [creds] });
    const app = new TomcatApp(t, 'shop', { artifacts: [war], imagePullSecrets: [creds], serviceAccount: sa });
    const settings = new AppConfig(t, 'settings', { name: 'settings', data: { mode: 'prod' } });
    settings.envVars(ConfigTarget.fromTomcatApp(app), { MODE: 'mode' });
    const db = AppSecret.fromEnv(t, 'db', { name: 'db', variables: { password: 'TENANCY_TEST_DB_PASSWORD' } });
    db.envVars(ConfigTarget.fromTomcatApp(app), { DB_PASSWORD: 'password' });
    const m = synthValid(chart);
    for (const [kind, name] of [['Secret', 'pull'], ['ServiceAccount', 'shop'], ['ConfigMap', 'settings'], ['Secret', 'db']]) {
      expect(findObject(m, kind, name).metadata.namespace).toBe('team-a');
    }
  });

  test('registry credentials of another namespace are rejected', () => {
    process.env.TENANCY_TEST_REGISTRY_TOKEN = 's3cret';
    const chart = testChart();
    const creds = RegistryCredentials.fromEnv(chart, 'registry', { registry: 'registry.example.com', username: 'ci', namespace: 'other', passwordVariable: 'TENANCY_TEST_REGISTRY_TOKEN' });
    expect(errorOf(() => new Tenant(chart, 'team-a', { registryCredentials: [creds] }))).toContain(
      'test/team-a: registryCredentials[0]: "test/registry" has its Secret in namespace "other": pods pull only with Secrets of their own namespace "team-a"');
  });

  test('Calico IP pool: created and annotated on the namespace', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { ipPool: { cidr: '10.244.64.0/20' } });
    const m = synthValid(chart);
    const pool = findObject(m, 'IPPool', 'team-a-pool');
    expect(pool.apiVersion).toBe('projectcalico.org/v3');
    expect(pool.spec).toEqual({ cidr: '10.244.64.0/20', blockSize: 26, natOutgoing: true, ipipMode: 'Never', vxlanMode: 'Never' });
    expect(findObject(m, 'Namespace').metadata.annotations).toEqual({ 'cni.projectcalico.org/ipv4pools': '["team-a-pool"]' });
    expect(t.ipPool).toBeDefined();
  });

  test('Calico IP pool: an existing pool is only referenced', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a', { ipPool: { name: 'dmz-pool' } });
    const m = synthValid(chart);
    expect(findObjects(m, 'IPPool')).toEqual([]);
    expect(findObject(m, 'Namespace').metadata.annotations['cni.projectcalico.org/ipv4pools']).toBe('["dmz-pool"]');
  });

  test('apps created inside the tenant land in its namespace; other objects without a namespace too', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const app = new TomcatApp(t, 'shop', { artifacts: [war] });
    new kplus.ConfigMap(t, 'settings', { metadata: { name: 'settings' }, data: { a: 'b' } });
    const outside = new TomcatApp(chart, 'elsewhere', { artifacts: [war], replicas: 1 });
    const m = synthValid(chart);
    expect(app.namespace).toBe('team-a');
    expect(outside.namespace).toBeUndefined();
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) {
      expect(findObject(m, kind, 'shop').metadata.namespace).toBe('team-a');
      expect(findObject(m, kind, 'elsewhere').metadata.namespace).toBeUndefined();
    }
    expect(findObject(m, 'ConfigMap', 'settings').metadata.namespace).toBe('team-a');
    expect(Tenant.of(app)).toBe(t);
    expect(Tenant.of(outside)).toBeUndefined();
  });

  test.each([
    [{ namespace: 'Team_A' }, 'namespace: "Team_A" is not a valid DNS-1123 label'],
    [{ adminGroups: ['team a'] }, 'adminGroups[0]: "team a" is not a group name'],
    [{ quota: { requestsCpu: 'lots' } }, 'quota.requestsCpu: "lots" is not a Kubernetes quantity'],
    [{ quota: { pods: -1 } }, 'quota.pods: -1 must be an integer from 0 to 1000000'],
    [{ limits: { maxMemory: '8 GB' } }, 'limits.maxMemory: "8 GB" is not a Kubernetes quantity'],
    [{ ipPool: { cidr: '10.0.0.0/33' } }, 'IPPool: cidr: "10.0.0.0/33" is not a valid subnet'],
    [{ ipPool: { cidr: '10.0.0.1/16' } }, 'IPPool: cidr: "10.0.0.1/16" is not strictly masked'],
    [{ ipPool: { cidr: '10.0.0.0/16', blockSize: 18 } }, 'IPPool: blockSize: 18 is out of range: IPv4 block size must be between 20 and 32'],
    [{ ipPool: { cidr: '10.0.0.0/24', blockSize: 22 } }, 'IPPool: cidr: "10.0.0.0/24" is smaller than one block of /22'],
    [{ ipPool: { name: 'Pool!' } }, 'ipPool.name: "Pool!" is not a valid DNS-1123 label'],
    [{ imagePullSecrets: ['Bad Secret'] }, 'imagePullSecrets[0]: "Bad Secret" is not a valid DNS-1123 label'],
    [{ allowIngressFromNamespaces: ['-x'] }, 'allowIngressFromNamespaces[0]: "-x" is not a valid DNS-1123 label'],
  ])('rejects %j', (props, message) => {
    const chart = testChart();
    expect(() => new Tenant(chart, 'team-a', props as any)).toThrow(ValidationError);
    expect(errorOf(() => new Tenant(testChart(), 'team-a', props as any))).toContain(`test/team-a${message.startsWith('IPPool') ? '/' : ': '}${message}`);
  });
});

describe('Tenant: consistency at synth', () => {
  test('LimitRange defaults above the maxima are a synth error naming the field and value', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a', { limits: { defaultCpuLimit: '2', maxCpu: '1', defaultMemoryRequest: '1Gi', defaultMemoryLimit: '512Mi' } });
    const msg = errorOf(() => synthManifests(chart));
    expect(msg).toContain('test/team-a: limits.defaultCpuLimit: "2" is above limits.maxCpu "1": the default cpu limit must be within the maximum');
    expect(msg).toContain('test/team-a: limits.defaultMemoryRequest: "1Gi" is above limits.defaultMemoryLimit "512Mi"');
  });

  test('the apps\' requests (replicas × pod requests) above the quota are a synth error listing each app', () => {
    // GIVEN two apps of 2 × 500m CPU requested each (2 CPU) and a quota of 1500m
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { quota: { requestsCpu: '1500m' } });
    new TomcatApp(t, 'shop', { artifacts: [war] });
    new TomcatApp(t, 'billing', { artifacts: [war] });
    // THEN
    const msg = errorOf(() => synthManifests(chart));
    expect(msg).toContain('test/team-a: quota.requestsCpu: "1500m" is less than the 2 requests.cpu of the tenant\'s objects (Deployment/shop: 2 × 500m, Deployment/billing: 2 × 500m); raise the quota or lower the replicas or requests');
  });

  test('within the quota: synth passes', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { quota: { requestsCpu: '2' } });
    new TomcatApp(t, 'shop', { artifacts: [war] });
    new TomcatApp(t, 'billing', { artifacts: [war] });
    expect(() => synthValid(chart)).not.toThrow();
  });

  test('init containers count by the effective-request rule: max(largest init container, sum of containers)', () => {
    // GIVEN a pod whose init container requests 2 CPU and whose two containers request 100m each, 2 replicas
    const build = (requestsCpu: string) => {
      const chart = testChart();
      const t = new Tenant(chart, 'team-a', { quota: { requestsCpu } });
      const d = new kplus.Deployment(t, 'migrate', { replicas: 2, securityContext: { ensureNonRoot: true, user: 1000 } });
      ApiObject.of(d).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
      const sc = { ensureNonRoot: true, user: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL' as kplus.Capability] } };
      const res = (cpu: number) => ({ cpu: { request: kplus.Cpu.millis(cpu), limit: kplus.Cpu.millis(cpu) } });
      d.addInitContainer({ name: 'migrate', image: 'registry.example.com/migrate:1', securityContext: sc, resources: res(2000) });
      d.addContainer({ name: 'a', image: 'registry.example.com/a:1', securityContext: sc, resources: res(100) });
      d.addContainer({ name: 'b', image: 'registry.example.com/b:1', securityContext: sc, resources: res(100) });
      return chart;
    };
    // THEN 2 × max(2, 0.2) = 4 CPU fits 4 (a plain sum, 4.4, would not) …
    expect(() => synthValid(build('4'))).not.toThrow();
    // … and not 3.9
    expect(errorOf(() => synthManifests(build('3900m')))).toContain('quota.requestsCpu: "3900m" is less than the 4 requests.cpu of the tenant\'s objects (Deployment/');
  });

  test('containers without requests are counted at the LimitRange defaults', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { quota: { requestsMemory: '256Mi' }, limits: { defaultMemoryRequest: '100Mi' } });
    const d = new kplus.Deployment(t, 'plain', { replicas: 3, securityContext: { ensureNonRoot: true, user: 1000 } });
    d.addContainer({ name: 'c', image: 'registry.example.com/c:1', resources: {} });
    expect(errorOf(() => synthManifests(chart))).toContain('quota.requestsMemory: "256Mi" is less than the 300Mi requests.memory of the tenant\'s objects (Deployment/');
  });

  test('a container request above the LimitRange default limit, with no limit of its own, is a synth error', () => {
    // GIVEN a container requesting 1500m CPU and 1Gi memory without limits, in a tenant whose default limits are 1 CPU / 512Mi
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const d = new kplus.Deployment(t, 'big', { replicas: 1, securityContext: { ensureNonRoot: true, user: 1000 } });
    d.addContainer({
      name: 'c',
      image: 'registry.example.com/c:1',
      resources: { cpu: { request: kplus.Cpu.millis(1500) }, memory: { request: Size.gibibytes(1) } },
    });
    // THEN the LimitRanger would set limits below the requests: the API server would reject the pod
    const msg = errorOf(() => synthManifests(chart));
    expect(msg).toMatch(/test\/team-a: limits\.defaultCpuLimit: "1" is below the 1500m cpu request of container "c" in Deployment\/[a-z0-9-]+, which sets no cpu limit/);
    expect(msg).toMatch(/test\/team-a: limits\.defaultMemoryLimit: "512Mi" is below the 1Gi memory request of container "c" in Deployment\/[a-z0-9-]+, which sets no memory limit/);
  });

  test('a container request above its own limit is a synth error naming the container', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const d = new kplus.Deployment(t, 'odd', { replicas: 1, securityContext: { ensureNonRoot: true, user: 1000 } });
    d.addContainer({ name: 'c', image: 'registry.example.com/c:1', resources: { cpu: { request: kplus.Cpu.millis(800), limit: kplus.Cpu.millis(500) } } });
    expect(errorOf(() => synthManifests(chart))).toMatch(
      /test\/team-a: containers\.c\.resources\.requests\.cpu: "800m" is above the container's cpu limit "500m" in Deployment\/[a-z0-9-]+: the API server rejects a request above the limit/);
  });

  test('a request within the default limit, or with its own higher limit, passes', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    new TomcatApp(t, 'shop', { artifacts: [war] }); // requests 500m, own limit 2
    expect(() => synthValid(chart)).not.toThrow();
  });

  test('LimitRange defaults above the quota are a synth error naming the field and value', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a', { quota: { limitsCpu: '1', requestsMemory: '64Mi' }, limits: { defaultCpuLimit: '2' } });
    const msg = errorOf(() => synthManifests(chart));
    expect(msg).toContain('test/team-a: limits.defaultCpuLimit: "2" is above quota.limitsCpu "1": no pod with a container that sets no cpu limit would fit the quota');
    expect(msg).toContain('test/team-a: limits.defaultMemoryRequest: "128Mi" is above quota.requestsMemory "64Mi"');
  });

  test.each([
    [{ quota: { requestsCpu: '-1' } }, 'quota.requestsCpu: "-1" is not a non-negative Kubernetes quantity'],
    [{ quota: { limitsMemory: '-512Mi' } }, 'quota.limitsMemory: "-512Mi" is not a non-negative Kubernetes quantity'],
    [{ quota: { requestsStorage: 'lots' } }, 'quota.requestsStorage: "lots" is not a Kubernetes quantity'],
    [{ quota: { pods: -1 } }, 'quota.pods: -1 must be an integer from 0'],
    [{ limits: { maxCpu: '-2' } }, 'limits.maxCpu: "-2" is not a non-negative Kubernetes quantity'],
    [{ limits: { defaultMemoryLimit: '1e2.5' } }, 'limits.defaultMemoryLimit: "1e2.5" is not a Kubernetes quantity'],
  ])('rejects %j in the constructor', (props, message) => {
    expect(() => new Tenant(testChart(), 'team-a', props as any)).toThrow(ValidationError);
    expect(errorOf(() => new Tenant(testChart(), 'team-a', props as any))).toContain(`test/team-a: ${message}`);
  });

  test('a container limit above the LimitRange maximum is a synth error', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { limits: { maxCpu: '1' } });
    new TomcatApp(t, 'shop', { artifacts: [war] }); // Tomcat's limit is 2 CPU
    expect(errorOf(() => synthManifests(chart))).toContain('test/team-a: limits.maxCpu: "1" is below the 2 cpu limit of container "tomcat" in Deployment/shop; the LimitRange would reject its pods');
  });

  test('object counts, storage and limits are checked too', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { quota: { services: 1, requestsStorage: '20Gi', persistentVolumeClaims: 2, limitsMemory: '2Gi' } });
    new TomcatApp(t, 'shop', { artifacts: [war], replicas: 1 });
    new DataService(t, 'db', { image: 'registry.example.com/postgres:15', port: 5432, replicas: 3, storageSize: '10Gi' });
    const msg = errorOf(() => synthManifests(chart));
    expect(msg).toContain('quota.services: 1 is less than the 2 services of the tenant\'s objects (Service/shop: 1, Service/db: 1)');
    expect(msg).toContain('quota.requestsStorage: "20Gi" is less than the 30Gi requests.storage of the tenant\'s objects (StatefulSet/db: 3 × 10Gi)');
    expect(msg).toContain('quota.persistentVolumeClaims: 2 is less than the 3 persistentvolumeclaims');
    expect(msg).toContain('quota.limitsMemory: "2Gi" is less than the 4Gi limits.memory of the tenant\'s objects (Deployment/shop: 1 × 1Gi, StatefulSet/db: 3 × 1Gi)');
  });

  test('a workload that does not meet the tenant\'s Pod Security level is a synth error', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const d = new kplus.Deployment(t, 'root', { securityContext: { ensureNonRoot: false } });
    d.addContainer({ name: 'c', image: 'registry.example.com/c:1', securityContext: { ensureNonRoot: false, allowPrivilegeEscalation: true } });
    const msg = errorOf(() => synthManifests(chart));
    // the namespace's level (the tenant's label), reported once, by the one owner of Pod Security
    expect(msg).toContain('pod security "restricted": namespace "team-a" is labelled pod-security.kubernetes.io/enforce=restricted');
    expect(msg.match(/allowPrivilegeEscalation/g)).toHaveLength(2); // the field and the check name, in one line
    expect(msg.match(/check allowPrivilegeEscalation/g)).toHaveLength(1);
    expect(msg).not.toContain('podSecurity: "restricted" is not met');
  });

  test('objects of the namespace created outside the tenant count as well', () => {
    const chart = testChart();
    new Tenant(chart, 'team-a', { quota: { requestsCpu: '500m' } });
    new TomcatApp(chart, 'shop', { artifacts: [war], namespace: 'team-a' });
    expect(errorOf(() => synthManifests(chart))).toContain('quota.requestsCpu: "500m" is less than the 1 requests.cpu of the tenant\'s objects (Deployment/shop: 2 × 500m)');
  });
});

describe('Tenant: rolling-update room', () => {
  test('a quota that fits the apps but not a rollout\'s surge pod warns (once)', () => {
    // GIVEN 2 × 500m requested, a quota of exactly 1 CPU: the surge pod of a rolling update would not fit
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { quota: { requestsCpu: '1' } });
    new TomcatApp(t, 'shop', { artifacts: [war] });
    // WHEN
    synthValid(chart);
    synthManifests(chart);
    // THEN
    expect(Warnings.collect(chart)).toEqual([
      'test/team-a: quota.requestsCpu: "1" leaves 0 requests.cpu free, less than the 500m the 1 surge pod(s) of Deployment/shop take during a rolling update, '
      + 'which would stall; raise the quota, or let the rollout replace pods in place (maxSurge 0, maxUnavailable 1)',
    ]);
  });

  test('no warning when the surge fits or the app does not surge', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { quota: { requestsCpu: '1' } });
    new TomcatApp(t, 'shop', { artifacts: [war], maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.absolute(1) });
    synthValid(chart);
    expect(Warnings.collect(chart)).toEqual([]);
  });
});

test('the Namespace comes before every object of the namespace in the manifest', () => {
  const chart = testChart();
  new TomcatApp(chart, 'early', { artifacts: [war], namespace: 'team-a', replicas: 1 });
  new Tenant(chart, 'team-a');
  const m = synthValid(chart);
  const nsIndex = m.findIndex(o => o.kind === 'Namespace');
  expect(m.findIndex(o => o.kind === 'Deployment')).toBeGreaterThan(nsIndex);
  expect(m.filter(o => o.metadata.namespace === 'team-a').length).toBeGreaterThan(5);
  m.forEach((o, i) => { if (o.metadata.namespace === 'team-a') expect(i).toBeGreaterThan(nsIndex); });
});

test('two tenants of one namespace are a synth error', () => {
  const chart = testChart();
  new Tenant(chart, 'a', { namespace: 'shared' });
  new Tenant(chart, 'b', { namespace: 'shared' });
  expect(errorOf(() => synthManifests(chart))).toContain('test/b: namespace: "shared" is also the namespace of the tenant test/a: one Tenant per namespace');
});

test('each synth sees the tree as it is then (objects added after a synth are counted)', () => {
  const chart = testChart();
  const t = new Tenant(chart, 'team-a', { quota: { requestsCpu: '1200m' } });
  new TomcatApp(t, 'shop', { artifacts: [war], replicas: 1 });
  synthValid(chart);
  new TomcatApp(t, 'billing', { artifacts: [war], replicas: 2 });
  expect(errorOf(() => synthManifests(chart))).toContain('quota.requestsCpu: "1200m" is less than the 1500m requests.cpu');
});
