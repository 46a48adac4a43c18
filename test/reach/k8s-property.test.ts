// Two implementations, one truth: for random Kubernetes NetworkPolicy sets
// built with the library (NetworkPolicy under NetworkFlavor.KUBERNETES,
// synthesized through PaasApp.synth()), the reachability model agrees with
// the simple evaluator written from the Kubernetes spec's wording.
import * as fc from 'fast-check';
import { SpecEndpoint, specAllows } from './k8s-spec-evaluator';
import { EntityRule, NetworkFlavor, NetworkPolicy, PaasChart, PolicyRule, PolicyType, Port, Protocol, RuleAction, Selector } from '../../src';
import { ReachModel } from '../../src/reach';
import { synthApp } from '../fixtures/reach';

const NAMESPACES: { [ns: string]: { [k: string]: string } } = {
  a: { 'kubernetes.io/metadata.name': 'a', 'team': 'x' },
  b: { 'kubernetes.io/metadata.name': 'b', 'team': 'y' },
};
const PODS: SpecEndpoint[] = [
  { name: 'p1', namespace: 'a', labels: { app: 'web' } },
  { name: 'p2', namespace: 'a', labels: { app: 'db', tier: 'data' } },
  { name: 'p3', namespace: 'b', labels: { app: 'web' } },
  { name: 'p4', namespace: 'b', labels: { role: 'batch' } },
];
const HOSTS: SpecEndpoint[] = [{ name: 'h1', ip: '10.0.0.5' }, { name: 'h2', ip: '10.1.0.5' }, { name: 'h3', ip: '10.0.1.9' }];
const PROBES: Array<[number, string]> = [[80, 'TCP'], [443, 'TCP'], [8080, 'TCP'], [53, 'UDP']];

const podManifests = [
  ...Object.entries(NAMESPACES).map(([name, labels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })),
  ...PODS.map(p => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.namespace, labels: p.labels }, spec: { containers: [{ name: 'c', image: 'x' }] } })),
];

const podSelector = fc.constantFrom(
  Selector.all(),
  Selector.label('app').equalTo('web'),
  Selector.label('app').equalTo('db'),
  Selector.label('app').in(['web', 'db']),
  Selector.has('tier'),
  Selector.label('app').notEqualTo('web'),
  Selector.matchLabels({ app: 'web', tier: 'data' }),
);
const namespaceSelector = fc.constantFrom(Selector.label('team').equalTo('x'), Selector.label('kubernetes.io/metadata.name').equalTo('b'), Selector.all());
const peer = fc.oneof(
  fc.constant(undefined),
  fc.record({ selector: podSelector }),
  fc.record({ namespaceSelector }),
  fc.record({ selector: podSelector, namespaceSelector }),
  fc.record({ nets: fc.constantFrom(['10.0.0.0/8'], ['10.0.0.0/16'], ['10.1.0.0/16']), notNets: fc.constantFrom(undefined, ['10.0.0.0/24']) })
    .map(e => ({ nets: [...e.nets], notNets: e.nets[0] === '10.1.0.0/16' || !e.notNets ? undefined : [...e.notNets] })),
);
const ports = fc.oneof(
  fc.constant({ protocol: undefined, ports: undefined }),
  fc.constant({ protocol: Protocol.TCP, ports: [Port.of(80)] }),
  fc.constant({ protocol: Protocol.TCP, ports: [Port.of(443), Port.of(8080)] }),
  fc.constant({ protocol: Protocol.TCP, ports: [Port.range(80, 443)] }),
  fc.constant({ protocol: Protocol.UDP, ports: [Port.of(53)] }),
  fc.constant({ protocol: Protocol.TCP, ports: undefined }),
);
const rule = (direction: 'ingress' | 'egress') => fc.record({ peer, ports }).map(({ peer: x, ports: p }): PolicyRule => {
  const e = x as EntityRule | undefined;
  const portSide: EntityRule | undefined = p.ports ? { ports: [...p.ports] } : undefined;
  return direction === 'ingress'
    ? { action: RuleAction.ALLOW, protocol: p.protocol, source: e, destination: portSide }
    : { action: RuleAction.ALLOW, protocol: p.protocol, destination: e || portSide ? { ...e, ...portSide } : undefined };
});
const policy = fc.record({
  namespace: fc.constantFrom('a', 'b'),
  selector: podSelector,
  types: fc.constantFrom(undefined, [PolicyType.INGRESS], [PolicyType.EGRESS], [PolicyType.INGRESS, PolicyType.EGRESS]),
  ingress: fc.array(rule('ingress'), { maxLength: 2 }),
  egress: fc.array(rule('egress'), { maxLength: 2 }),
});

test('property: the model agrees with the spec evaluator on every (pod|host, pod|host, port)', () => {
  let compared = 0;
  let allowedSeen = 0;
  let deniedSeen = 0;
  fc.assert(fc.property(fc.array(policy, { maxLength: 4 }), specs => {
    const { manifests } = synthApp(app => {
      const chart = new PaasChart(app, 'policies');
      specs.forEach((s, i) => new NetworkPolicy(chart, `p${i}`, { flavor: NetworkFlavor.KUBERNETES, ...s, types: s.types ? [...s.types] : undefined }));
    });
    const all = [...manifests, ...podManifests];
    const model = ReachModel.fromManifests(all);
    const idOf = (e: SpecEndpoint) => (e.ip ? model.resolve({ nets: [`${e.ip}/32`] })[0].id : `${e.namespace}/Pod/${e.name}`);
    for (const from of [...PODS, ...HOSTS]) {
      for (const to of [...PODS, ...HOSTS]) {
        if (from === to || (from.ip && to.ip)) continue;
        for (const [port, protocol] of PROBES) {
          const expected = specAllows(all, NAMESPACES, from, to, port, protocol);
          const v = model.check(idOf(from), idOf(to), { port, protocol });
          if (v.allowed !== expected) {
            throw new Error(`${from.name} -> ${to.name} ${port}/${protocol}: model ${v.allowed}, spec ${expected}; `
              + `steps ${JSON.stringify(v.steps)}; policies ${JSON.stringify(manifests.filter(m => m.kind === 'NetworkPolicy').map(m => m.spec))}`);
          }
          compared++;
          if (expected) allowedSeen++;
          else deniedSeen++;
        }
      }
    }
  }), { seed: 15, numRuns: 60 });
  // the generator reaches both outcomes often
  expect(compared).toBeGreaterThan(5000);
  expect(allowedSeen).toBeGreaterThan(1000);
  expect(deniedSeen).toBeGreaterThan(1000);
}, 120_000);
