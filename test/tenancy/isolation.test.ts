import { war } from './helpers';
import { allowed, allowedPaths, Endpoint, workloadEndpoints } from './policy-evaluator';
import { ClusterDefaultDeny, DataService, LegacyService, NetworkFlavor, Tenant, TomcatApp } from '../../src';
import { synthManifests, testChart } from '../fixtures/synth';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

/**
 * Two tenants: team-a runs shop, billing and reports, a database only shop
 * may use and a mainframe only billing may reach; team-b runs one app.
 */
function scenario(flavor: NetworkFlavor, clusterDefaultDeny = false) {
  const chart = testChart();
  if (clusterDefaultDeny) {
    // the ingress controller is platform: exempt like the control plane (else it needs its own egress policy)
    const controlPlaneNamespaces = ['kube-system', 'kube-public', 'kube-node-lease', 'calico-system', 'calico-apiserver', 'tigera-operator', 'ingress-nginx'];
    new ClusterDefaultDeny(chart, 'cluster-deny', { controlPlaneNamespaces });
  }
  const a = new Tenant(chart, 'team-a', {
    flavor, allowIngressFromNamespaces: ['ingress-nginx'], quota: { requestsCpu: '8', limitsCpu: '16', limitsMemory: '16Gi' },
  });
  const shop = new TomcatApp(a, 'shop', { artifacts: [war] });
  const billing = new TomcatApp(a, 'billing', { artifacts: [war] });
  new TomcatApp(a, 'reports', { artifacts: [war] });
  new DataService(a, 'orders-db', { image: 'registry.example.com/postgres:15', port: 5432, clients: [shop] });
  new LegacyService(a, 'mainframe', { addresses: ['10.20.0.15'], port: 1521, clients: [billing] });
  const b = new Tenant(chart, 'team-b', { flavor });
  new TomcatApp(b, 'intruder', { artifacts: [war] });
  const manifests = synthValid(chart);
  const endpoints: Endpoint[] = [
    ...workloadEndpoints(manifests),
    { name: 'nginx', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
    { name: 'dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    { name: 'mainframe-host', ip: '10.20.0.15' },
    { name: 'other-host', ip: '10.20.0.16' },
    { name: 'internet', ip: '93.184.216.34' },
  ];
  const policies = manifests.filter(m => m.kind === 'NetworkPolicy' || m.kind === 'GlobalNetworkPolicy');
  return { manifests, policies, endpoints };
}

const PORTS = [{ port: 8080 }, { port: 5432 }, { port: 1521 }, { port: 53, protocol: 'UDP' }, { port: 22 }];
const ALL = ['8080', '5432', '1521', '53/UDP', '22'];
const APPS = ['shop', 'billing', 'reports'];

/** The intended paths that involve a tenant pod. */
function intended(): string[] {
  const expected: string[] = [];
  // within team-a's app tier: anything (a tenant's apps trust each other)
  for (const x of APPS) for (const y of APPS) if (x !== y) for (const p of ALL) expected.push(`${x} -> ${y}:${p}`);
  // the ingress controller's namespace reaches team-a's app tier (and only that), on any port
  for (const y of APPS) for (const p of ALL) expected.push(`nginx -> ${y}:${p}`);
  // the data tier: only shop, only on 5432
  expected.push('shop -> orders-db:5432');
  // the legacy system: only billing, only on 1521
  expected.push('billing -> mainframe-host:1521');
  // every tenant pod resolves names
  for (const x of [...APPS, 'orders-db', 'intruder']) expected.push(`${x} -> dns:53/UDP`);
  // and nothing else: no cross-tenant path, nothing from or to the internet, nothing out of the data tier
  return expected.sort();
}

describe.each([
  ['Calico', NetworkFlavor.CALICO, false],
  ['Calico under a ClusterDefaultDeny', NetworkFlavor.CALICO, true],
  ['Kubernetes NetworkPolicy', NetworkFlavor.KUBERNETES, false],
])('isolation (%s): the policies allow exactly the intended paths', (_name, flavor, clusterDeny) => {
  test('every allowed (from, to, port) that involves a tenant pod', () => {
    const { policies, endpoints } = scenario(flavor, clusterDeny);
    // paths between two endpoints outside both tenants are not the tenants' business
    const tenantPods = new Set(endpoints.filter(e => e.namespace === 'team-a' || e.namespace === 'team-b').map(e => e.name));
    expect(tenantPods).toEqual(new Set(['shop', 'billing', 'reports', 'orders-db', 'intruder']));
    const paths = allowedPaths(policies, endpoints, PORTS)
      .filter(p => [...tenantPods].some(n => p.startsWith(`${n} -> `) || p.includes(` -> ${n}:`)));
    expect(paths).toEqual(intended());
  });

  test('spot checks: cross-tenant, data tier egress, DNS over TCP', () => {
    const { policies, endpoints } = scenario(flavor, clusterDeny);
    const ep = (n: string) => endpoints.find(e => e.name === n)!;
    expect(allowed(policies, ep('intruder'), ep('shop'), 8080)).toBe(false);
    expect(allowed(policies, ep('shop'), ep('intruder'), 8080)).toBe(false);
    expect(allowed(policies, ep('orders-db'), ep('shop'), 8080)).toBe(false);
    expect(allowed(policies, ep('orders-db'), ep('internet'), 443)).toBe(false);
    expect(allowed(policies, ep('shop'), ep('orders-db'), 5432)).toBe(true);
    expect(allowed(policies, ep('shop'), ep('dns'), 53, 'TCP')).toBe(true);
    expect(allowed(policies, ep('billing'), ep('other-host'), 1521)).toBe(false);
  });
});

describe('isolation: the policies themselves', () => {
  test('Calico: the NamespaceIsolation preset over the app tier, a default deny, client policies at order 500', () => {
    const { manifests, policies } = scenario(NetworkFlavor.CALICO);
    const shopLabels = findObject(manifests, 'Deployment', 'shop').spec.selector.matchLabels;
    const shopSelector = `cdk8s.io/metadata.addr == "${shopLabels['cdk8s.io/metadata.addr']}"`;
    const byName = (ns: string, n: string) => policies.find(p => p.metadata.namespace === ns && p.metadata.name === n);
    for (const p of policies) expect(p.apiVersion).toBe('projectcalico.org/v3');
    const iso = byName('team-a', 'tenant-isolation').spec;
    expect(iso).toMatchObject({ order: 1000, selector: 'cdk8s-paas.io/tier != "data"', types: ['Ingress', 'Egress'] });
    expect(iso.ingress).toEqual([
      { action: 'Allow', source: { selector: 'all()' } },
      { action: 'Allow', source: { namespaceSelector: 'kubernetes.io/metadata.name == "ingress-nginx"' } },
      { action: 'Deny' },
    ]);
    expect(byName('team-a', 'default-deny').spec).toEqual({ order: 500, selector: 'all()', types: ['Ingress', 'Egress'] });
    expect(byName('team-a', 'orders-db-from-shop').spec).toEqual({
      order: 500,
      selector: '(app.kubernetes.io/name == "orders-db" && cdk8s-paas.io/tier == "data")',
      types: ['Ingress'],
      ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: shopSelector }, destination: { ports: [5432] } }],
    });
    expect(byName('team-a', 'shop-to-orders-db').spec.types).toEqual(['Egress']);
    expect(byName('team-a', 'billing-to-mainframe').spec.egress).toEqual([
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['10.20.0.15/32'], ports: [1521] } },
    ]);
    // team-b has its own isolation and nothing else
    expect(policies.filter(p => p.metadata.namespace === 'team-b').map(p => p.metadata.name).sort()).toEqual(['default-deny', 'tenant-isolation']);
  });

  test('Kubernetes flavor: networking.k8s.io/v1 with the same selectors', () => {
    const { manifests, policies } = scenario(NetworkFlavor.KUBERNETES);
    const shopLabels = findObject(manifests, 'Deployment', 'shop').spec.selector.matchLabels;
    const byName = (ns: string, n: string) => policies.find(p => p.metadata.namespace === ns && p.metadata.name === n);
    for (const p of policies) expect(p.apiVersion).toBe('networking.k8s.io/v1');
    expect(byName('team-a', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(byName('team-a', 'tenant-isolation').spec.podSelector).toEqual({ matchExpressions: [{ key: 'cdk8s-paas.io/tier', operator: 'NotIn', values: ['data'] }] });
    expect(byName('team-a', 'orders-db-from-shop').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-db', 'cdk8s-paas.io/tier': 'data' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: shopLabels } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
    expect(byName('team-a', 'billing-to-mainframe').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.20.0.15/32' } }], ports: [{ port: 1521, protocol: 'TCP' }] }]);
  });

  test('isolation: false leaves the namespace open (no policies)', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'open', { isolation: false });
    expect(findObjects(synthValid(chart), 'NetworkPolicy')).toEqual([]);
    expect(t.isolation).toBeUndefined();
  });
});

describe('the evaluator', () => {
  const a = { name: 'a', namespace: 'x', labels: { app: 'a' } };
  const b = { name: 'b', namespace: 'x', labels: { app: 'b' } };

  test('Kubernetes: no policy allows, an empty rule list denies, ports and protocols must match', () => {
    expect(allowed([], a, b, 80)).toBe(true);
    const deny = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'x' }, spec: { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'], ingress: [] } };
    expect(allowed([deny], a, b, 80)).toBe(false);
    expect(allowed([deny], b, a, 80)).toBe(true);
    const allow80 = { ...deny, spec: { ...deny.spec, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 80, protocol: 'TCP' }] }] } };
    expect(allowed([deny, allow80], a, b, 80)).toBe(true);
    expect(allowed([deny, allow80], a, b, 80, 'UDP')).toBe(false);
    expect(allowed([deny, allow80], a, b, 81)).toBe(false);
    expect(allowed([deny, allow80], { ...a, namespace: 'y' }, b, 80)).toBe(false);
  });

  test('Calico: order decides, the first matching Allow/Deny wins, selected without a match is denied', () => {
    const policy = (name: string, order: number, ingress: any[]) => ({
      apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace: 'x' }, spec: { order, selector: 'app == "b"', types: ['Ingress'], ingress },
    });
    const allowA = policy('allow-a', 100, [{ action: 'Allow', protocol: 'TCP', source: { selector: 'app == "a"' }, destination: { ports: [80] } }]);
    const denyAll = policy('deny', 50, [{ action: 'Deny' }]);
    const nothing = policy('nothing', 10, []);
    expect(allowed([allowA], a, b, 80)).toBe(true);
    expect(allowed([allowA], a, b, 81)).toBe(false);
    expect(allowed([allowA, denyAll], a, b, 80)).toBe(false);
    expect(allowed([{ ...denyAll, spec: { ...denyAll.spec, order: 200 } }, allowA], a, b, 80)).toBe(true);
    expect(allowed([nothing], a, b, 80)).toBe(false);
    expect(allowed([allowA], { ...a, namespace: 'y' }, b, 80)).toBe(false);
    expect(allowed([allowA], b, a, 80)).toBe(true);
  });
});
