import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as YAML from 'yaml';
import * as calico from '../../src/imports/calico';
import { GlobalNetworkPolicy, NetworkPolicy, PerformanceHint } from '../../src/network/network-policy';
import { Port } from '../../src/network/port';
import { Protocol } from '../../src/network/protocol';
import { RuleAction } from '../../src/network/rule';
import { Selector } from '../../src/network/selector';
import { testApp } from '../fixtures/synth';
import { expectValidManifests } from '../fixtures/validate';

// Calico NetworkPolicy and GlobalNetworkPolicy are built through the generated
// L1 classes (src/imports/calico.ts), whose toJson maps typed fields back to
// the API's names (notIcmp -> notICMP, preDnat -> preDNAT) and unwraps the
// int-or-string ports and protocols. EXPECTED is what the library wrote before
// the change (raw ApiObject, synthesized from the parent commit): every rule
// field, byte for byte.
const EXPECTED = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  labels:
    team: a
  name: every-field
  namespace: shop
spec:
  egress:
    - action: Allow
      destination:
        services:
          name: kube-dns
          namespace: kube-system
  ingress:
    - action: Allow
      destination:
        notPorts:
          - 8081
        ports:
          - 8080
          - 9000:9010
          - http
      http:
        methods:
          - GET
        paths:
          - exact: /a
          - prefix: /b
      ipVersion: 4
      metadata:
        annotations:
          why: test
      protocol: TCP
      source:
        namespaceSelector: team == "a"
        nets:
          - 10.0.0.0/8
        notNets:
          - 10.1.0.0/16
        notPorts:
          - dbg
        notSelector: debug == "true"
        ports:
          - 1024
        selector: app == "api"
    - action: Allow
      icmp:
        code: 0
        type: 8
      notICMP:
        type: 3
      protocol: ICMP
    - action: Deny
      notProtocol: UDP
      protocol: 132
    - action: Allow
      source:
        serviceAccounts:
          names:
            - a
          selector: x == "y"
  order: 10
  performanceHints:
    - AssumeNeededOnEveryNode
  selector: app == "web"
  serviceAccountSelector: role == "api"
  types:
    - Ingress
    - Egress
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: global
spec:
  applyOnForward: true
  doNotTrack: true
  egress:
    - action: Log
      notICMP:
        code: 0
        type: 128
      protocol: ICMPv6
  ingress:
    - action: Allow
      destination:
        ports:
          - 22
      notProtocol: UDPLite
      protocol: 6
  namespaceSelector: env == "prod"
  order: 5
  selector: tier == "edge"
  types:
    - Ingress
    - Egress
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: pre-dnat
spec:
  applyOnForward: true
  ingress:
    - action: Deny
      source:
        nets:
          - 192.0.2.0/24
  preDNAT: true
  selector: all()
  types:
    - Ingress
`;

const L = (k: string, v: string) => Selector.label(k).equalTo(v);

test('Calico policies with every rule field synthesize through the L1 classes byte-identical to the raw objects', () => {
  // GIVEN
  const app = testApp();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  // WHEN
  const np = new NetworkPolicy(chart, 'every-field', {
    order: 10,
    selector: L('app', 'web'),
    serviceAccountSelector: L('role', 'api'),
    performanceHints: [PerformanceHint.ASSUME_NEEDED_ON_EVERY_NODE],
    labels: { team: 'a' },
    ingress: [
      {
        action: RuleAction.ALLOW,
        protocol: Protocol.TCP,
        ipVersion: 4,
        source: { nets: ['10.0.0.0/8'], notNets: ['10.1.0.0/16'], selector: L('app', 'api'), notSelector: L('debug', 'true'), namespaceSelector: L('team', 'a'), ports: [Port.of(1024)], notPorts: [Port.named('dbg')] },
        destination: { ports: [Port.of(8080), Port.range(9000, 9010), Port.named('http')], notPorts: [Port.of(8081)] },
        http: { methods: ['GET'], paths: [{ exact: '/a' }, { prefix: '/b' }] },
        annotations: { why: 'test' },
      },
      { action: RuleAction.ALLOW, protocol: Protocol.ICMP, icmp: { type: 8, code: 0 }, notIcmp: { type: 3 } },
      { action: RuleAction.DENY, protocol: Protocol.of(132), notProtocol: Protocol.UDP },
      { action: RuleAction.ALLOW, source: { serviceAccounts: { names: ['a'], selector: L('x', 'y') } } },
    ],
    egress: [{ action: RuleAction.ALLOW, destination: { services: { name: 'kube-dns', namespace: 'kube-system' } } }],
  });
  const gnp = new GlobalNetworkPolicy(chart, 'global', {
    order: 5,
    selector: L('tier', 'edge'),
    namespaceSelector: L('env', 'prod'),
    doNotTrack: true,
    applyOnForward: true,
    ingress: [{ action: RuleAction.ALLOW, protocol: Protocol.of(6), notProtocol: Protocol.named('UDPLite'), destination: { ports: [Port.parse('22')] } }],
    egress: [{ action: RuleAction.LOG, protocol: Protocol.ICMPV6, notIcmp: { type: 128, code: 0 } }],
  });
  new GlobalNetworkPolicy(chart, 'pre-dnat', {
    preDNAT: true,
    applyOnForward: true,
    ingress: [{ action: RuleAction.DENY, source: { nets: ['192.0.2.0/24'] } }],
  });
  app.synth();
  // THEN
  expect(np.apiObject).toBeInstanceOf(calico.NetworkPolicy);
  expect(gnp.apiObject).toBeInstanceOf(calico.GlobalNetworkPolicy);
  const files = fs.readdirSync(app.outdir).filter(f => f.endsWith(app.outputFileExtension));
  expect(files).toHaveLength(1);
  const text = fs.readFileSync(path.join(app.outdir, files[0]), 'utf-8');
  expect(text).toBe(EXPECTED);
  expectValidManifests(YAML.parseAllDocuments(text).map(d => d.toJSON()));
});
