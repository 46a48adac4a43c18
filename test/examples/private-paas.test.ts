import { Testing } from 'cdk8s';
import { PrivatePaasChart } from '../../examples/private-paas/main';
import { Warnings } from '../../src';
import { modelOf, pathsOf } from '../fixtures/reach';
import { findObject, findObjects, synthValid } from '../fixtures/validate';
import { allowedPaths, workloadEndpoints } from '../tenancy/policy-evaluator';

describe('examples/private-paas', () => {
  const app = Testing.app();
  const chart = new PrivatePaasChart(app, 'private-paas');
  const m = synthValid(chart);

  test('a tenant namespace labelled for Pod Security, with quota, limits, RBAC and its IP pool', () => {
    const ns = findObject(m, 'Namespace', 'shop');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.27',
    });
    expect(ns.metadata.annotations['cni.projectcalico.org/ipv4pools']).toBe('["shop-pool"]');
    expect(findObject(m, 'IPPool', 'shop-pool').spec.cidr).toBe('10.244.64.0/20');
    expect(findObject(m, 'ResourceQuota').spec.hard['requests.cpu']).toBe('4');
    expect(findObject(m, 'LimitRange').spec.limits[0].max).toEqual({ cpu: '2', memory: '2Gi' });
    expect(findObjects(m, 'RoleBinding').map(b => b.roleRef.name).sort()).toEqual(['admin', 'edit', 'view']);
    expect(findObject(m, 'ServiceAccount', 'default').imagePullSecrets).toEqual([{ name: 'registry-example-com' }]);
  });

  test('two Tomcat apps, a data tier and a legacy database, all in the tenant namespace', () => {
    expect(findObjects(m, 'Deployment').map(d => d.metadata.name).sort()).toEqual(['backoffice', 'storefront']);
    expect(findObject(m, 'StatefulSet', 'orders-db').spec.template.metadata.labels['cdk8s-paas.io/tier']).toBe('data');
    expect(findObject(m, 'EndpointSlice').endpoints.map((e: any) => e.addresses[0])).toEqual(['10.20.0.15', '10.20.0.16']);
    for (const o of m.filter(x => !['Namespace', 'IPPool'].includes(x.kind))) {
      expect(`${o.kind}/${o.metadata.name}: ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name}: shop`);
    }
  });

  test('the policies allow exactly the intended paths', () => {
    const endpoints = [
      ...workloadEndpoints(m),
      { name: 'nginx', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      { name: 'other-tenant', namespace: 'billing', labels: { 'app.kubernetes.io/name': 'x' } },
      { name: 'dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      { name: 'erp', ip: '10.20.0.16' },
      { name: 'internet', ip: '93.184.216.34' },
    ];
    const ours = new Set(['storefront', 'backoffice', 'orders-db']);
    const paths = allowedPaths(findObjects(m, 'NetworkPolicy'), endpoints, [{ port: 8080 }, { port: 5432 }, { port: 1521 }, { port: 53, protocol: 'UDP' }])
      .filter(p => [...ours].some(n => p.startsWith(`${n} -> `) || p.includes(` -> ${n}:`)));
    const all = ['8080', '5432', '1521', '53/UDP'];
    expect(paths).toEqual([
      ...all.flatMap(p => [`backoffice -> storefront:${p}`, `storefront -> backoffice:${p}`, `nginx -> storefront:${p}`, `nginx -> backoffice:${p}`]),
      'storefront -> orders-db:5432',
      'backoffice -> orders-db:5432',
      'backoffice -> erp:1521',
      ...['storefront', 'backoffice', 'orders-db'].map(n => `${n} -> dns:53/UDP`),
    ].sort());
  });

  test('quotas are consistent: the apps fit, with room for rolling updates (synth passes, no warning)', () => {
    expect(() => app.synth()).not.toThrow();
    expect(Warnings.collect(chart)).toEqual([]);
  });
});

test('examples/private-paas: the reachability model shows the same intended paths as the tenancy evaluator (PaasApp.synth)', () => {
  const model = modelOf(app => new PrivatePaasChart(app, 'private-paas'));
  const nginx = model.resolve({ selector: 'app.kubernetes.io/name == "ingress-nginx"', namespaceSelector: 'kubernetes.io/metadata.name == "ingress-nginx"' })[0].id;
  const other = model.resolve({ selector: 'app.kubernetes.io/name == "x"', namespace: 'billing' })[0].id;
  const names = {
    'storefront': 'shop/Deployment/storefront',
    'backoffice': 'shop/Deployment/backoffice',
    'orders-db': 'shop/StatefulSet/orders-db',
    nginx,
    'other-tenant': other,
    'dns': 'pod kube-system/k8s-app=kube-dns',
    'erp': 'net 10.20.0.16/32',
    'internet': model.resolve({ nets: ['93.184.216.34/32'] })[0].id,
  };
  const ours = ['storefront', 'backoffice', 'orders-db'];
  const paths = pathsOf(model, names, [[8080, 'TCP'], [5432, 'TCP'], [1521, 'TCP'], [53, 'UDP']])
    .filter(p => ours.some(n => p.startsWith(`${n} -> `) || p.includes(` -> ${n}:`)));
  const all = ['8080', '5432', '1521', '53/UDP'];
  expect(paths).toEqual([
    ...all.flatMap(p => [`backoffice -> storefront:${p}`, `storefront -> backoffice:${p}`, `nginx -> storefront:${p}`, `nginx -> backoffice:${p}`]),
    'storefront -> orders-db:5432',
    'backoffice -> orders-db:5432',
    'backoffice -> erp:1521',
    ...ours.map(n => `${n} -> dns:53/UDP`),
  ].sort());
});
