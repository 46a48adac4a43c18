import { Chart, Testing } from 'cdk8s';
import {
  ClusterDefaultDeny, GlobalNetworkPolicy, GlobalNetworkSet, IsolatedGroup, NetworkDefaults, NetworkFlavor, NetworkPolicy, NetworkSet, Peer,
  PerformanceHint, PolicyRule, Port, Protocol, RuleAction, Selector,
} from '../../src/network';
import { findObject, synthValid } from '../fixtures/validate';

const K8S = NetworkFlavor.KUBERNETES;
const ALLOW = RuleAction.ALLOW;

function k8sPolicy(rule: PolicyRule, direction: 'ingress' | 'egress' = 'ingress', c: Chart = Testing.chart()): NetworkPolicy {
  return new NetworkPolicy(c, 'p', { flavor: K8S, [direction]: [rule] });
}

describe('Kubernetes flavor', () => {
  test('translates selectors, peers, ports and ranges into a strict-valid networking.k8s.io/v1 NetworkPolicy', () => {
    const c = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new NetworkPolicy(c, 'web', {
      flavor: K8S,
      selector: Selector.label('app').equalTo('web').and(Selector.label('tier').notIn(['batch']), Selector.has('team'), Selector.has('old').not()),
      ingress: [
        { action: ALLOW, protocol: Protocol.TCP, source: { selector: Selector.label('role').in(['front']) }, destination: { ports: [Port.of(8080), Port.range(9000, 9100)] } },
        { action: ALLOW, source: { namespaceSelector: Selector.label('kubernetes.io/metadata.name').equalTo('ingress-nginx') } },
        { action: ALLOW, protocol: Protocol.of(17), source: { nets: ['10.0.0.0/8'], notNets: ['10.1.0.0/16'] }, destination: { ports: [Port.named('dns')] } },
      ],
      egress: [
        { action: ALLOW, protocol: Protocol.SCTP, destination: { nets: ['192.0.2.1', '198.51.100.0/24'] } },
        { action: ALLOW, destination: { selector: Selector.label('a').notEqualTo('b').not(), namespaceSelector: Selector.all() } },
      ],
    });
    const p = findObject(synthValid(c), 'NetworkPolicy', 'web');
    expect(p.apiVersion).toBe('networking.k8s.io/v1');
    expect(p.metadata.namespace).toBe('shop');
    expect(p.spec.podSelector).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'NotIn', values: ['batch'] }, { key: 'team', operator: 'Exists' }, { key: 'old', operator: 'DoesNotExist' },
      ],
    });
    expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(p.spec.ingress).toEqual([
      {
        from: [{ podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['front'] }] } }],
        ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9000, endPort: 9100 }],
      },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] },
      { from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'UDP', port: 'dns' }] },
    ]);
    expect(p.spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '192.0.2.1/32' } }, { ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'SCTP' }] },
      { to: [{ podSelector: { matchLabels: { a: 'b' } }, namespaceSelector: {} }] },
    ]);
  });

  test('NetworkDefaults.setFlavor applies to policies and presets below the scope', () => {
    const c = Testing.chart();
    NetworkDefaults.setFlavor(c, K8S);
    expect(NetworkDefaults.flavorOf(c)).toBe(K8S);
    expect(NetworkDefaults.flavorOf(Testing.chart())).toBe(NetworkFlavor.CALICO);
    const p = new NetworkPolicy(c, 'p', { ingress: [{ action: ALLOW }] });
    expect(p.flavor).toBe(K8S);
    expect(p.ingressRules).toEqual([{ action: ALLOW }]);
    expect(p.egressRules).toEqual([]);
    expect(p.apiObject.kind).toBe('NetworkPolicy');
    expect(findObject(synthValid(c), 'NetworkPolicy').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] });
  });

  // a Calico-only feature under the Kubernetes flavor is an error naming the feature
  const global = Selector.global();
  test.each<[string, () => unknown, string]>([
    ['Deny', () => k8sPolicy({ action: RuleAction.DENY }), 'ingress[0].action: "Deny" uses the Deny action (Kubernetes policies only allow), a Calico-only feature'],
    ['Log', () => k8sPolicy({ action: RuleAction.LOG }), 'uses the Log action'],
    ['Pass', () => k8sPolicy({ action: RuleAction.PASS }), 'uses the Pass action'],
    ['order', () => new NetworkPolicy(Testing.chart(), 'p', { flavor: K8S, order: 10 }), 'order: 10 uses policy order, a Calico-only feature'],
    ['global policy', () => {
      const c = Testing.chart(); NetworkDefaults.setFlavor(c, K8S); return new GlobalNetworkPolicy(c, 'g');
    }, 'kind: "GlobalNetworkPolicy" uses a global (cluster-wide) policy, a Calico-only feature'],
    ['cluster default deny', () => {
      const c = Testing.chart(); NetworkDefaults.setFlavor(c, K8S); return new ClusterDefaultDeny(c, 'd');
    }, 'uses a global (cluster-wide) policy'],
    ['isolated group', () => new IsolatedGroup(Testing.chart(), 'g', { flavor: K8S }), 'flavor: "kubernetes" uses an isolated group'],
    ['nets by set (NetworkSet)', () => {
      const c = Testing.chart();
      const set = new NetworkSet(c, 'partners', { nets: ['198.51.100.0/24'] });
      return k8sPolicy({ action: ALLOW, source: Peer.networkSet(set).entity }, 'ingress', c);
    }, 'ingress[0].source.selector: "cdk8s-paas.io/network-set == "partners"" uses nets by set (NetworkSet "partners")'],
    ['nets by set (GlobalNetworkSet)', () => {
      const c = Testing.chart();
      const set = new GlobalNetworkSet(c, 'partners', { nets: ['198.51.100.0/24'] });
      return k8sPolicy({ action: ALLOW, source: Peer.globalNetworkSet(set).entity }, 'ingress', c);
    }, 'uses global() (GlobalNetworkSets and host endpoints)'],
    ['global() namespaceSelector', () => k8sPolicy({ action: ALLOW, source: { namespaceSelector: global } }), 'ingress[0].source.namespaceSelector: "global()" uses global()'],
    ['|| selector', () => k8sPolicy({ action: ALLOW, source: { selector: Selector.has('a').or(Selector.has('b')) } }),
      'ingress[0].source.selector: "(has(a) || has(b))" uses a selector a Kubernetes label selector cannot express'],
    ['contains selector', () => new NetworkPolicy(Testing.chart(), 'p', { flavor: K8S, selector: Selector.label('a').contains('x') }), 'selector: "a contains "x"" uses a selector'],
    ['serviceAccountSelector', () => new NetworkPolicy(Testing.chart(), 'p', { flavor: K8S, serviceAccountSelector: Selector.all() }), 'serviceAccountSelector: "all()" uses serviceAccountSelector'],
    ['performanceHints', () => new NetworkPolicy(Testing.chart(), 'p', { flavor: K8S, performanceHints: [PerformanceHint.ASSUME_NEEDED_ON_EVERY_NODE] }), 'uses performanceHints'],
    ['ipVersion', () => k8sPolicy({ action: ALLOW, ipVersion: 4 }), 'ingress[0].ipVersion: 4 uses ipVersion'],
    ['ICMP', () => k8sPolicy({ action: ALLOW, protocol: Protocol.ICMP, icmp: { type: 8 } }), 'uses ICMP matches'],
    ['protocol ICMP', () => k8sPolicy({ action: ALLOW, protocol: Protocol.ICMP }), 'ingress[0].protocol: "ICMP" uses protocol ICMP (Kubernetes supports TCP, UDP and SCTP)'],
    ['HTTP', () => k8sPolicy({ action: ALLOW, http: { methods: ['GET'] } }), 'uses HTTP matches'],
    ['notSelector', () => k8sPolicy({ action: ALLOW, source: { notSelector: Selector.has('x') } }), 'ingress[0].source.notSelector: "has(x)" uses notSelector'],
    ['serviceAccounts', () => k8sPolicy({ action: ALLOW, source: { serviceAccounts: { names: ['a'] } } }), 'uses serviceAccounts'],
    ['services', () => k8sPolicy({ action: ALLOW, destination: { services: { name: 'k', namespace: 'default' } } }, 'egress'), 'uses services'],
    ['source ports', () => k8sPolicy({ action: ALLOW, protocol: Protocol.TCP, source: { ports: [Port.of(1)] } }), 'ingress[0].source.ports: ["1"] uses source ports'],
    ['destination match in an ingress rule', () => k8sPolicy({ action: ALLOW, destination: { nets: ['10.0.0.0/8'] } }),
      'ingress[0].destination.nets: "10.0.0.0/8" uses a ingress rule destination nets match'],
    ['notNets without nets', () => k8sPolicy({ action: ALLOW, source: { notNets: ['10.0.0.0/8'] } }), 'uses notNets without nets'],
    ['a Calico label key Kubernetes rejects', () => k8sPolicy({ action: ALLOW, source: { selector: Selector.has('calico/k8s_ns/role') } }),
      'ingress[0].source.selector (label key): "calico/k8s_ns/role" is not a valid label key'],
    ['nets with a selector', () => k8sPolicy({ action: ALLOW, source: { nets: ['10.0.0.0/8'], selector: Selector.all() } }), 'uses nets combined with a selector in one rule'],
  ])('%s', (_name, fn, message) => {
    expect(fn).toThrow(message);
    if (!message.includes('is not a valid label')) expect(fn).toThrow('the Kubernetes flavor (networking.k8s.io/v1 NetworkPolicy) cannot express it');
  });
});
