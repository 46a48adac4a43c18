import { Testing } from 'cdk8s';
import { war } from './helpers';
import { allowed, allowedPaths, Endpoint, workloadEndpoints } from './policy-evaluator';
import { DataService, LegacyService, Tenant, TomcatApp } from '../../src';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

/**
 * Two tenants: team-a runs shop, billing and reports, a database only shop
 * may use and a mainframe only billing may reach; team-b runs one app.
 */
function scenario() {
  const chart = Testing.chart();
  const a = new Tenant(chart, 'team-a', { allowIngressFromNamespaces: ['ingress-nginx'], quota: { requestsCpu: '8', limitsCpu: '16', limitsMemory: '16Gi' } });
  const shop = new TomcatApp(a, 'shop', { artifacts: [war] });
  const billing = new TomcatApp(a, 'billing', { artifacts: [war] });
  new TomcatApp(a, 'reports', { artifacts: [war] });
  new DataService(a, 'orders-db', { image: 'registry.example.com/postgres:15', port: 5432, clients: [shop] });
  new LegacyService(a, 'mainframe', { addresses: ['10.20.0.15'], port: 1521, clients: [billing] });
  const b = new Tenant(chart, 'team-b');
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
  return { manifests, policies: findObjects(manifests, 'NetworkPolicy'), endpoints };
}

describe('isolation: the policies allow exactly the intended paths', () => {
  test('every allowed (from, to, port) among all pods, the legacy host and the internet', () => {
    const { policies, endpoints } = scenario();
    // paths between two endpoints outside both tenants are not the tenants' business
    const tenantPods = new Set(endpoints.filter(e => e.namespace === 'team-a' || e.namespace === 'team-b').map(e => e.name));
    const paths = allowedPaths(policies, endpoints, [{ port: 8080 }, { port: 5432 }, { port: 1521 }, { port: 53, protocol: 'UDP' }, { port: 22 }])
      .filter(p => [...tenantPods].some(n => p.startsWith(`${n} -> `) || p.includes(` -> ${n}:`)));
    expect(tenantPods).toEqual(new Set(['shop', 'billing', 'reports', 'orders-db', 'intruder']));
    const tenantApps = ['shop', 'billing', 'reports'];
    const expected: string[] = [];
    // within team-a's app tier: anything (tenants are trusted internally)
    for (const x of tenantApps) for (const y of tenantApps) if (x !== y) for (const p of ['8080', '5432', '1521', '53/UDP', '22']) expected.push(`${x} -> ${y}:${p}`);
    // the ingress controller reaches team-a's app tier (and only that), on any port
    for (const y of tenantApps) for (const p of ['8080', '5432', '1521', '53/UDP', '22']) expected.push(`nginx -> ${y}:${p}`);
    // the data tier: only shop, only on 5432
    expected.push('shop -> orders-db:5432');
    // the legacy system: only billing, only on 1521
    expected.push('billing -> mainframe-host:1521');
    // every tenant pod resolves names
    for (const x of [...tenantApps, 'orders-db', 'intruder']) expected.push(`${x} -> dns:53/UDP`);
    // and nothing else: no cross-tenant path, nothing from or to the internet, nothing out of the data tier
    expect(paths).toEqual(expected.sort());
  });

  test('spot checks: cross-tenant, data tier egress, DNS over TCP', () => {
    const { policies, endpoints } = scenario();
    const ep = (n: string) => endpoints.find(e => e.name === n)!;
    expect(allowed(policies, ep('intruder'), ep('shop'), 8080)).toBe(false);
    expect(allowed(policies, ep('shop'), ep('intruder'), 8080)).toBe(false);
    expect(allowed(policies, ep('orders-db'), ep('shop'), 8080)).toBe(false);
    expect(allowed(policies, ep('orders-db'), ep('internet'), 443)).toBe(false);
    expect(allowed(policies, ep('shop'), ep('orders-db'), 5432)).toBe(true);
    expect(allowed(policies, ep('shop'), ep('dns'), 53, 'TCP')).toBe(true);
    expect(allowed(policies, ep('billing'), ep('other-host'), 1521)).toBe(false);
  });

  test('the policies themselves: default deny, DNS, within-tenant by tier, data and legacy by the client\'s selector', () => {
    const { manifests, policies } = scenario();
    const shopLabels = findObject(manifests, 'Deployment', 'shop').spec.selector.matchLabels;
    const byName = (ns: string, n: string) => policies.find(p => p.metadata.namespace === ns && p.metadata.name === n);
    expect(byName('team-a', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
    expect(byName('team-a', 'allow-dns').spec.egress[0].to).toEqual([{
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    }]);
    expect(byName('team-a', 'allow-within-tenant').spec.podSelector).toEqual({ matchExpressions: [{ key: 'cdk8s-paas.io/tier', operator: 'NotIn', values: ['data'] }] });
    expect(byName('team-a', 'orders-db-from-shop').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-db', 'cdk8s-paas.io/tier': 'data' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: shopLabels } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
    expect(byName('team-a', 'shop-to-orders-db').spec.policyTypes).toEqual(['Egress']);
    expect(byName('team-a', 'billing-to-mainframe').spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.20.0.15/32' } }], ports: [{ port: 1521, protocol: 'TCP' }] }]);
    // team-b has its own isolation and nothing else
    expect(policies.filter(p => p.metadata.namespace === 'team-b').map(p => p.metadata.name).sort()).toEqual(['allow-dns', 'allow-within-tenant', 'default-deny']);
  });

  test('isolation: false leaves the namespace open (no policies)', () => {
    const chart = Testing.chart();
    new Tenant(chart, 'open', { isolation: false });
    expect(findObjects(synthValid(chart), 'NetworkPolicy')).toEqual([]);
  });

  test('the evaluator: no policy allows, an empty rule list denies, ports and protocols must match', () => {
    const a = { name: 'a', namespace: 'x', labels: { app: 'a' } };
    const b = { name: 'b', namespace: 'x', labels: { app: 'b' } };
    expect(allowed([], a, b, 80)).toBe(true);
    const deny = { kind: 'NetworkPolicy', metadata: { namespace: 'x' }, spec: { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'], ingress: [] } };
    expect(allowed([deny], a, b, 80)).toBe(false);
    expect(allowed([deny], b, a, 80)).toBe(true);
    const allow80 = { ...deny, spec: { ...deny.spec, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 80, protocol: 'TCP' }] }] } };
    expect(allowed([deny, allow80], a, b, 80)).toBe(true);
    expect(allowed([deny, allow80], a, b, 80, 'UDP')).toBe(false);
    expect(allowed([deny, allow80], a, b, 81)).toBe(false);
    expect(allowed([deny, allow80], { ...a, namespace: 'y' }, b, 80)).toBe(false);
  });
});
