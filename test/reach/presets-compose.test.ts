// The presets compose as docs/network.md shows, proven by the reachability
// model over the output of PaasApp.synth(). Every scenario here failed on
// main before the fixes (allowFrom ordered after the group's Deny; the
// ingress controller's namespace under the ClusterDefaultDeny).
import { NetworkIsolationExample } from '../../examples/network-isolation/main';
import {
  AllowFromIngressController, AppNetwork, ClusterDefaultDeny, DataService, IsolatedGroup, LegacyService, NamespaceIsolation, PaasApp, PaasChart,
  Peer, Port, Protocol, Selector, Tenant, TomcatApp,
} from '../../src';
import { ReachModel } from '../../src/reach';
import { modelOf, synthApp, verdictOf } from '../fixtures/reach';
import { errorOf, war } from '../tenancy/helpers';
import { allowed, Endpoint, workloadEndpoints } from '../tenancy/policy-evaluator';

const SHOP = 'shop/Deployment/web';
const LEDGER = 'billing/Deployment/ledger';
const CONTROLLER = 'pod ingress-nginx/app.kubernetes.io/name=ingress-nginx';
const DNS = 'pod kube-system/k8s-app=kube-dns';

/** docs/network.md's combination: default deny, two isolated tenants, the ledger as an isolated group, monitoring scrapes. */
function docsScenario(app: PaasApp, options: { allowFromOrder?: number; exemptNamespaces?: string[] } = {}) {
  const platform = new PaasChart(app, 'platform');
  new ClusterDefaultDeny(platform, 'default-deny', { exemptNamespaces: options.exemptNamespaces });
  const shopChart = new PaasChart(app, 'shop', { namespace: 'shop' });
  const shopIso = new NamespaceIsolation(shopChart, 'isolation');
  new AllowFromIngressController(shopChart, 'from-ingress', { ports: [Port.of(8080)] });
  const shopWeb = new TomcatApp(shopChart, 'web', { artifacts: [war] });
  AppNetwork.allowFrom(shopWeb, Peer.namespace('monitoring'), { ports: [Port.of(9404)] });
  const billingChart = new PaasChart(app, 'billing', { namespace: 'billing' });
  const billingIso = new NamespaceIsolation(billingChart, 'isolation');
  const ledgerApp = new TomcatApp(billingChart, 'ledger', { artifacts: [war] });
  const ledger = new IsolatedGroup(billingChart, 'ledger-group', { group: 'ledger', peers: [{ peer: Peer.app(shopWeb) }], ports: [Port.of(8080)] });
  AppNetwork.isolate(ledgerApp, ledger);
  AppNetwork.allowFrom(ledgerApp, Peer.namespace('monitoring'), { ports: [Port.of(9404)], order: options.allowFromOrder });
  shopIso.allowEgressTo(Peer.app(ledgerApp), [Port.of(8080)]);
  // monitoring's pods leave their (exempt) namespace; the tenants' isolation must let them in
  shopIso.allowIngressFrom(Peer.namespace('monitoring'), [Port.of(9404)]);
  billingIso.allowIngressFrom(Peer.namespace('monitoring'), [Port.of(9404)]);
  return { shopWeb, ledgerApp };
}

describe('allowFrom inside an isolated group', () => {
  const model = modelOf(app => docsScenario(app));

  test('the allowFrom peer reaches the group member on its port, before the group\'s Deny', () => {
    expect(verdictOf(model, 'namespace monitoring', LEDGER, 9404)).toBe('allowed by profile + NetworkPolicy billing/ledger-allow-0');
    expect(model.check('namespace monitoring', LEDGER, { port: 9404 }).steps.map(s => s.policy))
      .toEqual(['profile', 'NetworkPolicy billing/ledger-allow-0']);
  });

  test('and only on that port; the group\'s own peer on the group port; the rest of the namespace is shut out', () => {
    expect(verdictOf(model, 'namespace monitoring', LEDGER, 8080)).toBe('denied by NetworkPolicy billing/ledger-group');
    expect(verdictOf(model, SHOP, LEDGER, 8080)).toBe('allowed by NetworkPolicy shop/isolation + NetworkPolicy billing/ledger-group');
    expect(verdictOf(model, SHOP, LEDGER, 9404)).toBe('denied by NetworkPolicy shop/isolation');
    expect(verdictOf(model, 'namespace billing', LEDGER, 8080)).toBe('denied by NetworkPolicy billing/ledger-group');
  });

  test('an allowFrom ordered after the group cannot work: synth fails naming the group\'s policy', () => {
    const msg = errorOf(() => modelOf(app => docsScenario(app, { allowFromOrder: 500 })));
    expect(msg).toContain('billing/ledger/AllowFrom0/Intent0: expectReachable: "namespace monitoring -> app ledger on 9404/TCP" is not reachable');
    expect(msg).toContain('is denied by NetworkPolicy billing/ledger-group');
    expect(msg).toContain('ingress NetworkPolicy billing/ledger-group ingress[2]: Deny');
    expect(msg).toContain('lower its order');
  });
});

describe('default deny + ingress controller + DNS + monitoring scrapes', () => {
  const model = modelOf(app => docsScenario(app));

  test('the ingress path is open: outside -> controller -> app', () => {
    expect(verdictOf(model, 'net 0.0.0.0/0', CONTROLLER, 443)).toBe('allowed by profile');
    expect(verdictOf(model, CONTROLLER, SHOP, 8080)).toBe('allowed by profile + NetworkPolicy shop/from-ingress');
  });

  test('and only it: the controller reaches no other port, the outside no app, the group not even from the controller', () => {
    expect(verdictOf(model, CONTROLLER, SHOP, 22)).toBe('denied by NetworkPolicy shop/isolation');
    expect(verdictOf(model, 'net 0.0.0.0/0', SHOP, 8080)).toBe('denied by NetworkPolicy shop/isolation');
    expect(verdictOf(model, CONTROLLER, LEDGER, 8080)).toBe('denied by NetworkPolicy billing/ledger-group');
    expect(model.check(SHOP, 'net 0.0.0.0/0', { port: 443 }).allowed).toBe(false);
  });

  test('DNS from every tenant pod, monitoring scrapes on 9404 only', () => {
    for (const w of [SHOP, LEDGER]) expect(model.check(w, DNS, { port: 53, protocol: 'UDP' }).allowed).toBe(true);
    expect(verdictOf(model, 'namespace monitoring', SHOP, 9404)).toBe('allowed by profile + NetworkPolicy shop/web-allow-0');
    expect(verdictOf(model, 'namespace monitoring', SHOP, 8080)).toBe('denied by NetworkPolicy shop/isolation');
  });

  test('without the exemption it cannot work: synth fails naming the default deny', () => {
    const msg = errorOf(() => modelOf(app => docsScenario(app, { exemptNamespaces: [] })));
    expect(msg).toContain('shop/from-ingress/Intent0: expectReachable');
    expect(msg).toContain(`${CONTROLLER} -> ${SHOP} is denied by GlobalNetworkPolicy default-deny`);
    expect(msg).toContain('Path: egress GlobalNetworkPolicy default-deny egress[3]: Deny');
    expect(msg).toContain('exemptNamespaces');
  });
});

describe('tenants + legacy egress + data tier, under the default deny', () => {
  const model = modelOf(app => {
    const chart = new PaasChart(app, 'cluster');
    new ClusterDefaultDeny(chart, 'cluster-deny');
    const a = new Tenant(chart, 'team-a', { allowIngressFromNamespaces: ['ingress-nginx'], quota: { requestsCpu: '8', limitsCpu: '16', limitsMemory: '16Gi' } });
    const shop = new TomcatApp(a, 'shop', { artifacts: [war] });
    const billing = new TomcatApp(a, 'billing', { artifacts: [war] });
    new DataService(a, 'orders-db', { image: 'registry.example.com/postgres:15', port: 5432, clients: [shop] });
    new LegacyService(a, 'mainframe', { addresses: ['10.20.0.15'], port: 1521, clients: [billing] });
    const b = new Tenant(chart, 'team-b', {});
    new TomcatApp(b, 'intruder', { artifacts: [war] });
  });
  const id = (name: string) => model.endpoints.find(e => e.kind === 'workload' && e.name.startsWith(name))!.id;

  test('the data tier: only its client, only on its port; nothing leaves it', () => {
    expect(model.check(id('shop'), id('orders-db'), { port: 5432 }).allowed).toBe(true);
    expect(model.check(id('billing'), id('orders-db'), { port: 5432 }).allowed).toBe(false);
    expect(model.check(id('shop'), id('orders-db'), { port: 22 }).allowed).toBe(false);
    expect(model.check(id('orders-db'), id('shop'), { port: 8080 }).allowed).toBe(false);
    expect(model.check(id('orders-db'), 'net 0.0.0.0/0', { port: 443 }).allowed).toBe(false);
  });

  test('the legacy system: only its client, only its address and port', () => {
    expect(model.check(id('billing'), 'net 10.20.0.15/32', { port: 1521 }).allowed).toBe(true);
    expect(model.check(id('shop'), 'net 10.20.0.15/32', { port: 1521 }).allowed).toBe(false);
    expect(model.check(id('billing'), 'net 10.20.0.15/32', { port: 22 }).allowed).toBe(false);
    expect(model.check(id('billing'), 'net 0.0.0.0/0', { port: 1521 }).allowed).toBe(false);
  });

  test('tenants: apps reach each other, the ingress namespace reaches them, the other tenant does not', () => {
    expect(model.check(id('shop'), id('billing'), { port: 8080 }).allowed).toBe(true);
    expect(model.check('namespace ingress-nginx', id('shop'), { port: 8080 }).allowed).toBe(true);
    expect(model.check(id('intruder'), id('shop'), { port: 8080 }).allowed).toBe(false);
    expect(model.check(id('shop'), id('intruder'), { port: 8080 }).allowed).toBe(false);
    for (const w of ['shop', 'billing', 'orders-db', 'intruder']) expect(model.check(id(w), DNS, { port: 53, protocol: 'UDP' }).allowed).toBe(true);
  });
});

describe('intents: AppNetwork.expectReachable / expectIsolated', () => {
  function tenant(app: PaasApp) {
    const c = new PaasChart(app, 'shop', { namespace: 'shop' });
    new NamespaceIsolation(c, 'isolation');
    return new TomcatApp(c, 'web', { artifacts: [war] });
  }

  test('kept intents synthesize', () => {
    expect(() => modelOf(app => {
      const web = tenant(app);
      AppNetwork.expectReachable(Peer.namespace('shop'), web, { port: Port.of(8080) });
      AppNetwork.expectIsolated(Peer.namespace('other'), web);
      AppNetwork.expectIsolated(Peer.nets(['0.0.0.0/0']), web);
    })).not.toThrow();
  });

  test('a violated intent fails synth with the deciding policies', () => {
    const reach = errorOf(() => modelOf(app => AppNetwork.expectReachable(Peer.namespace('other'), tenant(app), { port: Port.of(8080), protocol: Protocol.TCP })));
    expect(reach).toContain('shop/web/Intent0: expectReachable: "namespace other -> app web on 8080/TCP" is not reachable');
    expect(reach).toContain('is denied by NetworkPolicy shop/isolation. Path: egress profile: Allow');
    const isolated = errorOf(() => modelOf(app => AppNetwork.expectIsolated(Peer.namespace('shop'), tenant(app))));
    expect(isolated).toContain('shop/web/Intent0: expectIsolated: "namespace shop -> app web/TCP" is not isolated: namespace shop -> shop/Deployment/web');
    expect(isolated).toContain('is allowed by NetworkPolicy shop/isolation');
  });
});

describe('intents of peers the model cannot stand for', () => {
  test('a preset\'s promise holds vacuously; an explicit intent fails and says why', () => {
    const build = (app: PaasApp) => {
      const c = new PaasChart(app, 'shop', { namespace: 'shop' });
      const web = new TomcatApp(c, 'web', { artifacts: [war] });
      AppNetwork.allowFrom(web, Peer.namespaces(Selector.has('tenant')));
      return web;
    };
    expect(() => modelOf(build)).not.toThrow();
    const msg = errorOf(() => modelOf(app => AppNetwork.expectReachable(Peer.namespaces(Selector.has('tenant')), build(app))));
    expect(msg).toContain('shop/web/Intent0: expectReachable: "namespaces has(tenant) -> app web/TCP" names no endpoint the model can stand for (source)');
  });
});

describe('a second evaluator agrees (test/tenancy/policy-evaluator, written separately)', () => {
  test.each([
    ['the docs combination', (app: PaasApp) => { docsScenario(app); }],
    ['examples/network-isolation', (app: PaasApp) => { new NetworkIsolationExample(app); }],
  ])('%s: every (from, to, port) among workloads, the controller, monitoring, DNS and the outside', (_name, build) => {
    const { manifests } = synthApp(build);
    const model = ReachModel.fromManifests(manifests);
    const policies = manifests.filter(m => m.kind === 'NetworkPolicy' || m.kind === 'GlobalNetworkPolicy');
    const endpoints: Array<[string, Endpoint]> = [
      ...workloadEndpoints(manifests).map(e => [`${e.namespace}/Deployment/${e.name}`, e] as [string, Endpoint]),
      [CONTROLLER, { name: 'nginx', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } }],
      ['namespace monitoring', { name: 'prometheus', namespace: 'monitoring', labels: {} }],
      [DNS, { name: 'dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }],
      ['net 0.0.0.0/0', { name: 'internet', ip: '93.184.216.34' }],
    ];
    model.resolve({ namespace: 'monitoring' });
    let allowedCount = 0;
    for (const [fromId, from] of endpoints) {
      for (const [toId, to] of endpoints) {
        if (fromId === toId || (from.ip && to.ip)) continue;
        for (const [port, protocol] of [[8080, 'TCP'], [9404, 'TCP'], [443, 'TCP'], [53, 'UDP']] as Array<[number, string]>) {
          const ours = model.check(fromId, toId, { port, protocol }).allowed;
          expect(`${fromId} -> ${toId} ${port}/${protocol}: ${ours}`).toBe(`${fromId} -> ${toId} ${port}/${protocol}: ${allowed(policies, from, to, port, protocol)}`);
          if (ours) allowedCount++;
        }
      }
    }
    expect(allowedCount).toBeGreaterThan(5);
  });
});
