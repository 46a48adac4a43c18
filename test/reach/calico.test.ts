// Calico v3 semantics of the reachability model, on hand-written manifests
// (each case names the documented behaviour it checks).
import { ReachModel } from '../../src/reach';

const ns = (name: string, labels: { [k: string]: string } = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const pod = (namespace: string, name: string, labels: { [k: string]: string }, extra: any = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace, name, labels },
  spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }], ...extra },
});
const np = (namespace: string, name: string, spec: any) => ({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { namespace, name }, spec });
const gnp = (name: string, spec: any) => ({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name }, spec });
const knp = (namespace: string, name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec });

const base = [ns('a', { team: 'x' }), ns('b', { team: 'y' }), pod('a', 'web', { app: 'web' }), pod('a', 'db', { app: 'db' }), pod('b', 'client', { app: 'client' })];
const WEB = 'a/Pod/web';
const DB = 'a/Pod/db';
const CLIENT = 'b/Pod/client';

function verdict(manifests: any[], from: string, to: string, port = 8080, protocol = 'TCP') {
  const v = ReachModel.fromManifests(manifests).check(from, to, { port, protocol });
  return { allowed: v.allowed, by: v.decidedBy, steps: v.steps.map(s => `${s.direction} ${s.policy}${s.rule ? ` ${s.rule}` : ''} ${s.action}`) };
}

describe('Calico ordering, actions and tiers', () => {
  test('no policy: allowed by the profile', () => {
    expect(verdict(base, CLIENT, WEB)).toEqual({ allowed: true, by: ['profile'], steps: ['egress profile Allow', 'ingress profile Allow'] });
  });

  test('a policy selecting the endpoint with no matching rule: end-of-tier deny', () => {
    const m = [...base, np('a', 'only-db', { order: 10, selector: 'app == "web"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: 'app == "db"' } }] })];
    expect(verdict(m, DB, WEB).allowed).toBe(true);
    expect(verdict(m, CLIENT, WEB)).toMatchObject({ allowed: false, by: ['tier default'] });
    // the policy only governs ingress: egress of web is unaffected
    expect(verdict(m, WEB, CLIENT).allowed).toBe(true);
  });

  test('lower order first; a missing order last; same order by name', () => {
    const deny = (name: string, order?: number) => np('a', name, { order, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny' }] });
    const allow = (name: string, order?: number) => np('a', name, { order, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Allow' }] });
    expect(verdict([...base, deny('d', 200), allow('a', 100)], CLIENT, WEB).by).toEqual(['profile', 'NetworkPolicy a/a']);
    expect(verdict([...base, deny('d', 100), allow('a', 200)], CLIENT, WEB).by).toEqual(['NetworkPolicy a/d']);
    expect(verdict([...base, deny('d'), allow('a', 5000)], CLIENT, WEB).allowed).toBe(true);
    expect(verdict([...base, deny('b', 100), allow('c', 100)], CLIENT, WEB).allowed).toBe(false);
    expect(verdict([...base, deny('z', 100), allow('c', 100)], CLIENT, WEB).allowed).toBe(true);
  });

  test('Log continues; Pass skips the rest of the tier and goes to the next one', () => {
    const tier = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100 } };
    const m = [...base, tier,
      gnp('security.log-pass', { tier: 'security', order: 1, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Log' }, { action: 'Pass', source: { namespaceSelector: 'team == "y"' } }] }),
      gnp('security.deny', { tier: 'security', order: 2, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny' }] }),
      np('a', 'allow-client', { selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: 'app == "client"', namespaceSelector: 'all()' } }] })];
    expect(verdict(m, CLIENT, WEB).steps).toEqual([
      'egress profile Allow',
      'ingress GlobalNetworkPolicy security.log-pass ingress[0] Log',
      'ingress GlobalNetworkPolicy security.log-pass ingress[1] Pass',
      'ingress NetworkPolicy a/allow-client ingress[0] Allow',
    ]);
    // db (team x) is not passed: the security tier denies it
    expect(verdict(m, DB, WEB).by).toEqual(['GlobalNetworkPolicy security.deny']);
  });

  test('a Pass out of the last tier goes to the profile; a tier with defaultAction Pass passes', () => {
    const m = [...base, np('a', 'pass', { selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Pass' }] })];
    expect(verdict(m, CLIENT, WEB)).toMatchObject({ allowed: true, by: ['profile'] });
    const tier = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'soft' }, spec: { order: 10, defaultAction: 'Pass' } };
    const m2 = [...base, tier, gnp('soft.nothing', { tier: 'soft', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny', source: { nets: ['10.0.0.0/8'] } }] })];
    expect(verdict(m2, CLIENT, WEB).steps).toContain('ingress tier soft Pass');
    expect(verdict(m2, CLIENT, WEB).allowed).toBe(true);
  });
});

describe('Calico selectors and entity rules', () => {
  test('GlobalNetworkPolicy namespaceSelector picks the endpoints; rule selectors span namespaces', () => {
    const m = [...base, gnp('team-x', { namespaceSelector: 'team == "x"', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: 'app == "client"' } }] })];
    expect(verdict(m, CLIENT, WEB).allowed).toBe(true);
    expect(verdict(m, DB, WEB).allowed).toBe(false);
    // b is not selected by the policy
    expect(verdict(m, WEB, CLIENT).allowed).toBe(true);
  });

  test('a namespaced rule selector stays in its namespace unless namespaceSelector is set', () => {
    const m = [...base, np('a', 'p', { selector: 'app == "web"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: 'app == "client"' } }] })];
    expect(verdict(m, CLIENT, WEB).allowed).toBe(false);
    const m2 = [...base, np('a', 'p', { selector: 'app == "web"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: 'app == "client"', namespaceSelector: 'team == "y"' } }] })];
    expect(verdict(m2, CLIENT, WEB).allowed).toBe(true);
  });

  test('notSelector, ports, named ports, notPorts, protocols', () => {
    const m = [...base, np('a', 'p', {
      selector: 'app == "web"',
      types: ['Ingress'],
      ingress: [
        { action: 'Allow', protocol: 'TCP', source: { notSelector: 'app == "db"' }, destination: { ports: ['http'] } },
        { action: 'Allow', protocol: 'UDP', destination: { notPorts: ['1:1000'] } },
      ],
    })];
    expect(verdict(m, DB, WEB).allowed).toBe(false);
    expect(verdict(m, 'namespace a', WEB).allowed).toBe(true);
    expect(verdict(m, 'namespace a', WEB, 8081).allowed).toBe(false);
    expect(verdict(m, DB, WEB, 5000, 'UDP').allowed).toBe(true);
    expect(verdict(m, DB, WEB, 53, 'UDP').allowed).toBe(false);
  });

  test('nets / notNets and NetworkSets / GlobalNetworkSets by their labels', () => {
    const m = [...base,
      { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkSet', metadata: { name: 'office', labels: { zone: 'office' } }, spec: { nets: ['198.51.100.0/24'] } },
      { apiVersion: 'projectcalico.org/v3', kind: 'NetworkSet', metadata: { name: 'partners', namespace: 'a', labels: { partner: 'yes' } }, spec: { nets: ['203.0.113.0/24'] } },
      np('a', 'p', {
        selector: 'app == "web"',
        types: ['Ingress', 'Egress'],
        ingress: [
          { action: 'Allow', source: { selector: 'zone == "office"', namespaceSelector: 'global()' } },
          { action: 'Allow', source: { selector: 'partner == "yes"' } },
          { action: 'Allow', source: { nets: ['10.0.0.0/8'], notNets: ['10.1.0.0/16'] } },
        ],
        egress: [{ action: 'Allow', destination: { nets: ['192.0.2.0/24'] } }],
      })];
    const model = ReachModel.fromManifests(m);
    const at = (cidr: string) => model.resolve({ nets: [cidr] })[0].id;
    expect(model.check(at('198.51.100.0/24'), WEB, { port: 8080 }).allowed).toBe(true);
    expect(model.check(at('203.0.113.0/24'), WEB, { port: 8080 }).allowed).toBe(true);
    expect(model.check(at('10.0.0.0/8'), WEB, { port: 8080 }).allowed).toBe(true);
    expect(model.check(at('10.1.0.0/16'), WEB, { port: 8080 }).allowed).toBe(false);
    expect(model.check(at('0.0.0.0/0'), WEB, { port: 8080 }).allowed).toBe(false);
    expect(model.check(WEB, at('192.0.2.0/24'), { port: 443 }).allowed).toBe(true);
    expect(model.check(WEB, at('0.0.0.0/0'), { port: 443 }).allowed).toBe(false);
    expect(model.endpoints.find(e => e.name === '198.51.100.0/24')!.networkSets).toEqual(['office']);
  });

  test('serviceAccountSelector of the policy and serviceAccounts of a rule', () => {
    const m = [
      ...base.filter(o => o.kind !== 'Pod'),
      pod('a', 'web', { app: 'web' }, { serviceAccountName: 'web-sa' }),
      pod('a', 'db', { app: 'db' }, { serviceAccountName: 'db-sa' }),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace: 'a', name: 'web-sa', labels: { role: 'frontend' } } },
      np('a', 'p', { serviceAccountSelector: 'role == "frontend"', types: ['Ingress'], ingress: [{ action: 'Allow', source: { serviceAccounts: { names: ['db-sa'] } } }] }),
    ];
    expect(verdict(m, DB, WEB).allowed).toBe(true);
    expect(verdict(m, 'namespace a', WEB).allowed).toBe(false);
    // db's service account is not selected: no policy applies to it
    expect(verdict(m, 'namespace a', DB).allowed).toBe(true);
  });
});

describe('mixed clusters: Kubernetes NetworkPolicies are Calico policies of order 1000 in the default tier', () => {
  const allowClient = knp('a', 'allow-client', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] }] });

  test('a Calico Deny of a lower order wins; of a higher order loses', () => {
    const deny = (order: number) => np('a', 'deny', { order, selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Deny' }] });
    expect(verdict([...base, allowClient, deny(999)], CLIENT, WEB).by).toEqual(['NetworkPolicy a/deny']);
    expect(verdict([...base, allowClient, deny(1001)], CLIENT, WEB).by).toEqual(['profile', 'Kubernetes NetworkPolicy a/allow-client']);
  });

  test('a Calico Pass in an earlier tier hands over to the Kubernetes policy', () => {
    const tier = { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'platform' }, spec: { order: 50 } };
    const m = [...base, tier, allowClient, gnp('platform.pass', { tier: 'platform', selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Pass' }] })];
    expect(verdict(m, CLIENT, WEB).steps).toEqual(['egress profile Allow', 'ingress GlobalNetworkPolicy platform.pass ingress[0] Pass',
      'ingress Kubernetes NetworkPolicy a/allow-client ingress[0].from[0] Allow']);
    expect(verdict(m, DB, WEB).by).toEqual(['tier default']);
  });
});
