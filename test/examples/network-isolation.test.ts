import { Testing } from 'cdk8s';
import { NetworkIsolationExample } from '../../examples/network-isolation/main';
import { PaasApp } from '../../src';
import { modelOf, pathsOf, verdictOf } from '../fixtures/reach';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

test('examples/network-isolation: two tenants\' namespaces, an isolated group, a global default deny', () => {
  const example = new NetworkIsolationExample(Testing.app());
  const platform = synthValid(example.platform);
  const shop = synthValid(example.shop);
  const billing = synthValid(example.billing);

  // a global default deny
  const deny = findObject(platform, 'GlobalNetworkPolicy', 'default-deny');
  expect(deny.spec.ingress).toEqual([{ action: 'Deny' }]);
  expect(deny.spec.egress[deny.spec.egress.length - 1]).toEqual({ action: 'Deny' });

  // two tenants' namespaces, each isolated
  for (const [manifests, ns] of [[shop, 'shop'], [billing, 'billing']] as const) {
    expect(findObject(manifests, 'Namespace', ns).metadata.labels['cdk8s-paas.io/tenant']).toBe(ns);
    const iso = findObject(manifests, 'NetworkPolicy', 'isolation');
    expect(iso.metadata.namespace).toBe(ns);
    expect(iso.spec.ingress).toEqual([{ action: 'Allow', source: { selector: 'all()' } }, { action: 'Deny' }]);
    expect(findObject(manifests, 'Deployment', 'web').metadata.namespace).toBe(ns);
  }
  // the ingress controller serves the shop only: the ledger is for the shop's web app alone
  expect(findObject(shop, 'NetworkPolicy', 'from-ingress').spec.order).toBe(500);
  expect(findObjects(billing, 'NetworkPolicy').map(p => p.metadata.name)).not.toContain('from-ingress');

  // the isolated group: the billing app is a member, only the shop's web pods reach it on 8080
  const group = findObject(billing, 'NetworkPolicy', 'ledger');
  expect(group.spec.order).toBeLessThan(findObject(billing, 'NetworkPolicy', 'isolation').spec.order);
  const shopWeb = example.shop.app.deployment.matchLabels['cdk8s.io/metadata.addr'];
  expect(group.spec.ingress[1]).toEqual({
    action: 'Allow',
    protocol: 'TCP',
    source: { selector: `cdk8s.io/metadata.addr == "${shopWeb}"`, namespaceSelector: 'kubernetes.io/metadata.name == "shop"' },
    destination: { ports: [8080] },
  });
  expect(group.spec.ingress[2]).toEqual({ action: 'Deny' });
  expect(findObject(billing, 'Deployment', 'web').spec.template.metadata.labels['cdk8s-paas.io/isolation-group']).toBe('ledger');
  // the shop may open the connection
  const egress = findObject(shop, 'NetworkPolicy', 'isolation').spec.egress;
  expect(egress[egress.length - 2].destination.namespaceSelector).toBe('kubernetes.io/metadata.name == "billing"');
  expect(findObjects([...platform, ...shop, ...billing], 'NetworkPolicy')).toHaveLength(4);
});

test('examples/network-isolation: the reachability model shows exactly the intended paths (PaasApp.synth)', () => {
  const model = modelOf((app: PaasApp) => new NetworkIsolationExample(app));
  const names = {
    'shop': 'shop/Deployment/web',
    'ledger': 'billing/Deployment/web',
    'shop-pod': 'namespace shop',
    'billing-pod': 'namespace billing',
    'nginx': 'pod ingress-nginx/app.kubernetes.io/name=ingress-nginx',
    'dns': 'pod kube-system/k8s-app=kube-dns',
    'internet': 'net 0.0.0.0/0',
  };
  const tenants = ['shop', 'ledger', 'shop-pod', 'billing-pod'];
  const paths = pathsOf(model, names, [[8080, 'TCP'], [443, 'TCP'], [22, 'TCP'], [53, 'UDP']])
    .filter(p => tenants.some(t => p.startsWith(`${t} -> `) || p.includes(` -> ${t}:`)));
  expect(paths).toEqual([
    // the ingress path (and only it): the controller reaches the shop's pods on 8080
    'nginx -> shop:8080', 'nginx -> shop-pod:8080',
    // the ledger: only the shop's web app, only on 8080
    'shop -> ledger:8080',
    // within the shop's namespace, anything
    ...['8080', '443', '22', '53/UDP'].flatMap(p => [`shop-pod -> shop:${p}`, `shop -> shop-pod:${p}`]),
    // the ledger's group isolates its ingress only: it may still open connections in its namespace
    ...['8080', '443', '22', '53/UDP'].map(p => `ledger -> billing-pod:${p}`),
    // every tenant pod resolves names
    ...['shop', 'ledger', 'shop-pod', 'billing-pod'].map(t => `${t} -> dns:53/UDP`),
  ].sort());
  expect(verdictOf(model, names.internet, names.nginx, 443)).toBe('allowed by profile');
  expect(verdictOf(model, names['billing-pod'], names.ledger, 8080)).toBe('denied by NetworkPolicy billing/ledger');
  expect(verdictOf(model, names.nginx, names.ledger, 8080)).toBe('denied by NetworkPolicy billing/ledger');
});
