import { Chart, Testing } from 'cdk8s';
import { ValidationError } from '../../src/core/errors';
import {
  EncapsulationMode, GlobalNetworkPolicy, GlobalNetworkSet, IpPool, IpPoolUse, NetworkPolicy, NetworkSet, PerformanceHint,
  PolicyRule, PolicyType, Port, Protocol, RuleAction, Selector,
} from '../../src/network';
import { findObject, synthValid } from '../fixtures/validate';

// One test per validation rule of shared/reference/calico-v3-api.json (calicoctl's
// validator, libcalico-go v3.27.5): a failing input and its message, which names
// the field and the value.

const TCP = Protocol.TCP;
const ALLOW = RuleAction.ALLOW;

function chart(): Chart {
  return Testing.chart();
}

/** Builds a NetworkPolicy with one rule in the given direction. */
function np(rule: PolicyRule, direction: 'ingress' | 'egress' = 'ingress'): NetworkPolicy {
  return new NetworkPolicy(chart(), 'p', { [direction]: [rule] });
}

function gnp(rule: PolicyRule, direction: 'ingress' | 'egress' = 'ingress'): GlobalNetworkPolicy {
  return new GlobalNetworkPolicy(chart(), 'g', { [direction]: [rule] });
}

/** Runs `fn`, expects a ValidationError and returns its message. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).message;
  }
  throw new Error('expected a ValidationError');
}

type Case = [string, () => unknown, string[]];

function table(cases: Case[]): void {
  test.each(cases)('%s', (_name, fn, parts) => {
    const msg = errorOf(fn);
    for (const p of parts) expect(msg).toContain(p);
  });
}

describe('NetworkPolicy spec', () => {
  table([
    ['order must be a float64 (finite)', () => new NetworkPolicy(chart(), 'p', { order: Number.NaN }), ['test/p: order: "NaN" is not a valid order: expected a finite number']],
    ['order Infinity', () => new NetworkPolicy(chart(), 'p', { order: Infinity }), ['order: "Infinity" is not a valid order']],
    ['selector: a syntax error is rejected with its position', () => Selector.parse('app == web'), ['expression: "app == web" is not a valid Calico selector', 'at position 7']],
    ['selector: global() is rejected', () => new NetworkPolicy(chart(), 'p', { selector: Selector.global() }),
      ['test/p: selector: "global()" global() can only be used in an EntityRule namespaceSelector']],
    ['serviceAccountSelector: global() is rejected', () => new NetworkPolicy(chart(), 'p', { serviceAccountSelector: Selector.parse('  global()  ') }),
      ['serviceAccountSelector: "  global()  " global() can only be used in an EntityRule namespaceSelector']],
    ['types: duplicates are rejected', () => new NetworkPolicy(chart(), 'p', { types: [PolicyType.INGRESS, PolicyType.INGRESS] }),
      ['types[1]: "Ingress" is invalid: \'Ingress\' type specified more than once']],
    ['types: only Ingress or Egress', () => new NetworkPolicy(chart(), 'p', { types: ['ingress' as PolicyType] }),
      ['types[0]: "ingress" is not a valid policy type: expected Ingress or Egress']],
    ['performanceHints: only AssumeNeededOnEveryNode', () => new NetworkPolicy(chart(), 'p', { performanceHints: ['Fast' as PerformanceHint] }),
      ['performanceHints[0]: "Fast" is not a valid performance hint: expected AssumeNeededOnEveryNode']],
    ['performanceHints: unique', () => new NetworkPolicy(chart(), 'p', {
      performanceHints: [PerformanceHint.ASSUME_NEEDED_ON_EVERY_NODE, PerformanceHint.ASSUME_NEEDED_ON_EVERY_NODE],
    }), ['performanceHints[1]: "AssumeNeededOnEveryNode" is listed more than once']],
    ['not_present: namespaceSelector is GlobalNetworkPolicy only', () => new NetworkPolicy(chart(), 'p', { namespaceSelector: Selector.all() } as any),
      ['namespaceSelector: "all()" is only valid on a GlobalNetworkPolicy']],
    ['not_present: doNotTrack', () => new NetworkPolicy(chart(), 'p', { doNotTrack: true } as any), ['doNotTrack: "true" is only valid on a GlobalNetworkPolicy']],
    ['not_present: preDNAT', () => new NetworkPolicy(chart(), 'p', { preDNAT: true } as any), ['preDNAT: "true" is only valid on a GlobalNetworkPolicy']],
    ['not_present: applyOnForward', () => new NetworkPolicy(chart(), 'p', { applyOnForward: true } as any), ['applyOnForward: "true" is only valid on a GlobalNetworkPolicy']],
    ['name_rule: a DNS-1123 label', () => new NetworkPolicy(chart(), 'p', { name: 'My.Policy' }),
      ['name: "My.Policy" is not a valid NetworkPolicy name: lower-case alphanumerics or \'-\'']],
    ['name_rule: a dotted name needs the knp.default. prefix', () => new NetworkPolicy(chart(), 'p', { name: 'a.b' }), ['name: "a.b" is not a valid NetworkPolicy name']],
    ['name_rule: at most 253 characters', () => new NetworkPolicy(chart(), 'p', { name: `knp.default.${'a'.repeat(250)}` }), ['is too long by 9 bytes']],
  ]);

  test('name_rule: knp.default.<subdomain> and ossg.default.<subdomain> are accepted', () => {
    const c = chart();
    new NetworkPolicy(c, 'a', { name: 'knp.default.allow.web' });
    new NetworkPolicy(c, 'b', { name: 'ossg.default.x' });
    expect(synthValid(c).map(m => m.metadata.name)).toEqual(['knp.default.allow.web', 'ossg.default.x']);
  });

  test('types default as Calico defaults them', () => {
    const egress = { action: ALLOW };
    expect(new NetworkPolicy(chart(), 'p').types).toEqual(['Ingress']);
    expect(new NetworkPolicy(chart(), 'p', { ingress: [egress] }).types).toEqual(['Ingress']);
    expect(new NetworkPolicy(chart(), 'p', { egress: [egress] }).types).toEqual(['Egress']);
    expect(new NetworkPolicy(chart(), 'p', { ingress: [egress], egress: [egress] }).types).toEqual(['Ingress', 'Egress']);
  });
});

describe('GlobalNetworkPolicy spec', () => {
  table([
    ['doNotTrack and preDNAT cannot both be true', () => new GlobalNetworkPolicy(chart(), 'g', { doNotTrack: true, preDNAT: true, applyOnForward: true }),
      ['test/g: preDNAT: true cannot be combined with doNotTrack: PreDNAT and DoNotTrack cannot both be true']],
    ['preDNAT policy cannot have egress rules', () => new GlobalNetworkPolicy(chart(), 'g', { preDNAT: true, applyOnForward: true, egress: [{ action: ALLOW }] }),
      ['egress: "egress rules" are not allowed with preDNAT: PreDNAT PolicySpec cannot have any Egress rules']],
    ['preDNAT policy cannot get egress rules later', () => new GlobalNetworkPolicy(chart(), 'g', { preDNAT: true, applyOnForward: true }).addEgress({ action: ALLOW }),
      ['PreDNAT PolicySpec cannot have any Egress rules']],
    ['preDNAT policy cannot have an Egress type', () => new GlobalNetworkPolicy(chart(), 'g', { preDNAT: true, applyOnForward: true, types: [PolicyType.EGRESS] }),
      ['types: ["Egress"] cannot include Egress with preDNAT']],
    ['applyOnForward must be true if preDNAT', () => new GlobalNetworkPolicy(chart(), 'g', { preDNAT: true }),
      ['applyOnForward: false must be true when preDNAT is true: ApplyOnForward must be true if either PreDNAT or DoNotTrack is true']],
    ['applyOnForward must be true if doNotTrack', () => new GlobalNetworkPolicy(chart(), 'g', { doNotTrack: true, applyOnForward: false }),
      ['applyOnForward: false must be true when doNotTrack is true']],
    ['a Services match in a GNP egress rule must set services.namespace', () => gnp({ action: ALLOW, destination: { services: { name: 'api' } } }, 'egress'),
      ['egress[0].destination.services.namespace: "" must specify a namespace']],
    ['a Services match in a GNP ingress rule must set services.namespace', () => gnp({ action: ALLOW, source: { services: { name: 'api' } } }),
      ['ingress[0].source.services.namespace: "" must specify a namespace']],
    ['name_rule: a DNS-1123 label (no knp.default. prefix)', () => new GlobalNetworkPolicy(chart(), 'g', { name: 'knp.default.x' }),
      ['name: "knp.default.x" is not a valid GlobalNetworkPolicy name']],
    ['namespaceSelector: global() is rejected', () => new GlobalNetworkPolicy(chart(), 'g', { namespaceSelector: Selector.global() }),
      ['namespaceSelector: "global()" global() can only be used in an EntityRule namespaceSelector']],
    ['selector: global() is rejected', () => new GlobalNetworkPolicy(chart(), 'g', { selector: Selector.parse('global()') }),
      ['test/g: selector: "global()" global() can only be used']],
  ]);

  test('a valid preDNAT / doNotTrack policy synthesizes with the global-only fields', () => {
    const c = new Chart(Testing.app(), 'c', { namespace: 'ignored' });
    new GlobalNetworkPolicy(c, 'pre', {
      preDNAT: true,
      applyOnForward: true,
      order: 10.5,
      namespaceSelector: Selector.has('tenant'),
      ingress: [{ action: RuleAction.DENY, source: { nets: ['192.0.2.0/24'] } }],
    });
    new GlobalNetworkPolicy(c, 'untracked', { doNotTrack: true, applyOnForward: true, ingress: [{ action: ALLOW }] });
    const m = synthValid(c);
    const pre = findObject(m, 'GlobalNetworkPolicy', 'pre');
    expect(pre.metadata.namespace).toBeUndefined();
    expect(pre.spec).toMatchObject({ preDNAT: true, applyOnForward: true, order: 10.5, namespaceSelector: 'has(tenant)', types: ['Ingress'] });
    expect(findObject(m, 'GlobalNetworkPolicy', 'untracked').spec).toMatchObject({ doNotTrack: true, applyOnForward: true });
  });
});

describe('NetworkSet and GlobalNetworkSet', () => {
  table([
    ['NetworkSet nets: each a CIDR', () => new NetworkSet(chart(), 's', { nets: ['10.0.0.0/8', '10.0.0.300/32'] }),
      ['test/s: nets[1]: "10.0.0.300/32" is not a valid CIDR']],
    ['NetworkSet: the label projectcalico.org/namespace is not allowed', () => new NetworkSet(chart(), 's', { nets: [], labels: { 'projectcalico.org/namespace': 'x' } }),
      ['labels.projectcalico.org/namespace: "projectcalico.org/namespace" is not a valid label name']],
    ['GlobalNetworkSet nets: each a CIDR', () => new GlobalNetworkSet(chart(), 's', { nets: ['fd00::/129'] }), ['nets[0]: "fd00::/129" is not a valid CIDR']],
    ['GlobalNetworkSet: the label projectcalico.org/namespace is not allowed', () => new GlobalNetworkSet(chart(), 's', { nets: [], labels: { 'projectcalico.org/namespace': 'x' } }),
      ['is not a valid label name']],
  ]);

  test('nets need not be strictly masked and may be single addresses', () => {
    const c = chart();
    new NetworkSet(c, 's', { nets: ['10.1.2.3/8', '192.0.2.7', '2001:db8::1'] });
    const set = findObject(synthValid(c), 'NetworkSet');
    expect(set.spec.nets).toEqual(['10.1.2.3/8', '192.0.2.7', '2001:db8::1']);
    expect(set.metadata.labels).toEqual({ 'cdk8s-paas.io/network-set': 's' });
  });
});

describe('IPPool spec', () => {
  table([
    ['cidr is required', () => new IpPool(chart(), 'pool', { cidr: '' }), ['test/pool: cidr: "" must be specified']],
    ['cidr must be a valid subnet', () => new IpPool(chart(), 'pool', { cidr: '10.0.0/16' }), ['cidr: "10.0.0/16" is not a valid subnet']],
    ['cidr must be strictly masked', () => new IpPool(chart(), 'pool', { cidr: '10.244.1.0/16' }),
      ['cidr: "10.244.1.0/16" is not strictly masked: IP pool CIDR is not strictly masked', 'did you mean "10.244.0.0/16"']],
    ['cidr must not overlap 169.254.0.0/16', () => new IpPool(chart(), 'pool', { cidr: '169.254.0.0/20' }),
      ['cidr: "169.254.0.0/20" overlaps the IPv4 link-local range 169.254.0.0/16']],
    ['cidr must not overlap fe80::/10', () => new IpPool(chart(), 'pool', { cidr: 'fe80::/64' }), ['cidr: "fe80::/64" overlaps the IPv6 link-local range fe80::/10']],
    ['a pool containing the link-local range also overlaps', () => new IpPool(chart(), 'pool', { cidr: '128.0.0.0/1', blockSize: 26 }), ['overlaps the IPv4 link-local range']],
    ['ipipMode: Never, Always or CrossSubnet', () => new IpPool(chart(), 'pool', { cidr: '10.0.0.0/16', ipipMode: 'Sometimes' as EncapsulationMode }),
      ['ipipMode: "Sometimes" is not a valid mode: expected one of Never, Always, CrossSubnet']],
    ['ipipMode must be Never for IPv6', () => new IpPool(chart(), 'pool', { cidr: 'fd00::/64', ipipMode: EncapsulationMode.ALWAYS }),
      ['ipipMode: "Always" is not supported on an IPv6 pool: IPIPMode other than \'Never\' is not supported on an IPv6 IP pool']],
    ['vxlanMode: Never, Always or CrossSubnet', () => new IpPool(chart(), 'pool', { cidr: '10.0.0.0/16', vxlanMode: 'always' as EncapsulationMode }),
      ['vxlanMode: "always" is not a valid mode']],
    ['vxlanMode cannot be enabled together with ipipMode', () => new IpPool(chart(), 'pool', {
      cidr: '10.0.0.0/16', ipipMode: EncapsulationMode.CROSS_SUBNET, vxlanMode: EncapsulationMode.ALWAYS,
    }), ['vxlanMode: "Always" cannot be enabled with ipipMode "CrossSubnet": IPIPMode and VXLANMode cannot both be enabled on the same IP pool']],
    ['blockSize 20-32 for IPv4', () => new IpPool(chart(), 'pool', { cidr: '10.0.0.0/16', blockSize: 19 }),
      ['blockSize: 19 is out of range: IPv4 block size must be between 20 and 32']],
    ['blockSize 116-128 for IPv6', () => new IpPool(chart(), 'pool', { cidr: 'fd00::/64', blockSize: 112 }),
      ['blockSize: 112 is out of range: IPv6 block size must be between 116 and 128']],
    ['the pool prefix must be <= blockSize when enabled', () => new IpPool(chart(), 'pool', { cidr: '10.0.0.0/28' }),
      ['cidr: "10.0.0.0/28" is smaller than one block of /26: IP pool size is too small for use with Calico IPAM']],
    ['nodeSelector: a selector over node labels', () => new IpPool(chart(), 'pool', { cidr: '10.0.0.0/16', nodeSelector: Selector.parse('zone in "a"') }),
      ['expression: "zone in "a"" is not a valid Calico selector: expected a set literal', 'at position 8']],
    ['allowedUses: Workload or Tunnel', () => new IpPool(chart(), 'pool', { cidr: '10.0.0.0/16', allowedUses: ['Service' as IpPoolUse] }),
      ['allowedUses[0]: "Service" is not a valid use: unknown use']],
    ['deprecated APIv1 field ipip is rejected', () => new IpPool(chart(), 'pool', { cidr: '10.0.0.0/16', ipip: { enabled: true } } as any),
      ['ipip: "[object Object]" is a deprecated APIv1 field that Calico rejects: use ipipMode']],
    ['deprecated APIv1 field nat-outgoing is rejected', () => new IpPool(chart(), 'pool', { 'cidr': '10.0.0.0/16', 'nat-outgoing': true } as any),
      ['nat-outgoing: "true" is a deprecated APIv1 field that Calico rejects: use natOutgoing']],
  ]);

  test('a valid pool synthesizes with its defaults; a disabled small pool is accepted', () => {
    const c = chart();
    new IpPool(c, 'v4', {
      cidr: '10.244.0.0/16',
      natOutgoing: true,
      vxlanMode: EncapsulationMode.CROSS_SUBNET,
      disableBgpExport: true,
      nodeSelector: Selector.label('zone').equalTo('a'),
      allowedUses: [IpPoolUse.WORKLOAD],
    });
    const v6 = new IpPool(c, 'v6', { cidr: 'fd00:10:244::/64' });
    new IpPool(c, 'small', { cidr: '10.9.0.0/28', disabled: true });
    const m = synthValid(c);
    expect(findObject(m, 'IPPool', 'v4').spec).toEqual({
      cidr: '10.244.0.0/16',
      blockSize: 26,
      ipipMode: 'Never',
      vxlanMode: 'CrossSubnet',
      natOutgoing: true,
      disableBGPExport: true,
      nodeSelector: 'zone == "a"',
      allowedUses: ['Workload'],
    });
    expect(v6.blockSize).toBe(122);
    expect(findObject(m, 'IPPool', 'small').spec.disabled).toBe(true);
  });
});

describe('Rule', () => {
  table([
    ['action is required: Allow, Deny, Log or Pass', () => np({ action: 'Accept' as RuleAction }),
      ['ingress[0].action: "Accept" is not a valid action: expected one of Allow, Deny, Log, Pass']],
    ['ipVersion 4 or 6', () => np({ action: ALLOW, ipVersion: 5 }), ['ingress[0].ipVersion: 5 is not a valid IP version: expected 4 or 6']],
    ['protocol: a name (case-sensitive)', () => Protocol.named('tcp'), ['Protocol.named: protocol: "tcp" is not a valid protocol name: protocol name invalid']],
    ['protocol: 0 is rejected', () => Protocol.of(0), ['Protocol.of: protocol: 0 is not a valid protocol number: protocol number invalid']],
    ['protocol: at most 255', () => Protocol.of(256), ['protocol: 256 is not a valid protocol number']],
    ['protocol: must be a Protocol', () => np({ action: ALLOW, protocol: 'TCP' as any }), ['ingress[0].protocol: "TCP" is not a Protocol']],
    ['notProtocol: same shape as protocol', () => np({ action: ALLOW, notProtocol: 6 as any }), ['ingress[0].notProtocol: 6 is not a Protocol']],
    ['icmp type 0-254', () => np({ action: ALLOW, protocol: Protocol.ICMP, icmp: { type: 255 } }), ['ingress[0].icmp.type: 255 is not a valid ICMP type']],
    ['icmp code 0-255', () => np({ action: ALLOW, protocol: Protocol.ICMP, icmp: { type: 3, code: 256 } }), ['ingress[0].icmp.code: 256 is not a valid ICMP code']],
    ['icmp code needs type', () => np({ action: ALLOW, protocol: Protocol.ICMP, icmp: { code: 1 } }),
      ['ingress[0].icmp.code: 1 is invalid: ICMP code specified without an ICMP type']],
    ['notICMP code needs type', () => np({ action: ALLOW, protocol: Protocol.ICMP, notIcmp: { code: 1 } }), ['ingress[0].notIcmp.code: 1 is invalid']],
    ['icmp needs protocol ICMP or ICMPv6', () => np({ action: ALLOW, protocol: TCP, icmp: { type: 8 } }),
      ['ingress[0].protocol: "TCP" does not allow an icmp match: rules that specify ICMP fields must set protocol to ICMP']],
    ['icmp without protocol', () => np({ action: ALLOW, icmp: { type: 8 } }), ['ingress[0].protocol: "" does not allow an icmp match']],
    ['notICMP needs protocol ICMP or ICMPv6', () => np({ action: ALLOW, protocol: Protocol.UDP, notIcmp: { type: 8 } }),
      ['ingress[0].protocol: "UDP" does not allow a notIcmp match: rules that specify ICMP fields must set protocol to ICMP or ICMPv6']],
    ['notICMP without protocol', () => np({ action: ALLOW, notIcmp: { type: 0 } }), ['ingress[0].protocol: "" does not allow a notIcmp match']],
    ['protocol ICMP needs ipVersion 4', () => np({ action: ALLOW, protocol: Protocol.ICMP, ipVersion: 6 }), ['ingress[0].ipVersion: 6 must be 4 with protocol ICMP']],
    ['notProtocol ICMPv6 needs ipVersion 6', () => np({ action: ALLOW, notProtocol: Protocol.ICMPV6, ipVersion: 4 }), ['ingress[0].ipVersion: 4 must be 6 with protocol ICMPv6']],
    ['http: Allow rules only', () => np({ action: RuleAction.DENY, http: { methods: ['GET'] } }),
      ['ingress[0].http: {"methods":["GET"]} is only valid for Allow rules, not "Deny"']],
    ['http: protocol must be TCP or unset', () => np({ action: ALLOW, protocol: Protocol.UDP, http: { methods: ['GET'] } }),
      ['ingress[0].protocol: "UDP" rules that specify HTTP fields must set protocol to TCP or empty']],
    ['http: not allowed in egress rules', () => np({ action: ALLOW, http: { paths: [{ prefix: '/' }] } }, 'egress'),
      ['egress[0].http: {"paths":[{"prefix":"/"}]} is not allowed in egress rules']],
    ['http: methods are unique', () => np({ action: ALLOW, http: { methods: ['GET', 'GET'] } }), ['ingress[0].http.methods: "GET" is listed more than once']],
    ['http: a path is exact or prefix, not both', () => np({ action: ALLOW, http: { paths: [{ exact: '/a', prefix: '/b' }] } }),
      ['ingress[0].http.paths[0]: {"exact":"/a","prefix":"/b"} sets both "exact" and "prefix"']],
    ['http: a path is exact or prefix', () => np({ action: ALLOW, http: { paths: [{}] } }), ['ingress[0].http.paths[0]: {} sets neither']],
    ['http: a path starts with /', () => np({ action: ALLOW, http: { paths: [{ exact: 'api?x=1' }] } }),
      ['ingress[0].http.paths[0]: "api?x=1" is not a valid HTTP path']],
    ['metadata: annotation keys are qualified names', () => np({ action: ALLOW, annotations: { 'bad key': 'x' } }),
      ['ingress[0].annotations key: "bad key" is not a valid label key']],
  ]);

  test('a rule with every field synthesizes as Calico expects', () => {
    const c = chart();
    new NetworkPolicy(c, 'p', {
      ingress: [{
        action: ALLOW,
        ipVersion: 4,
        protocol: TCP,
        notProtocol: Protocol.of(17),
        source: {
          nets: ['10.0.0.0/8'],
          notNets: ['10.1.0.0/16'],
          selector: Selector.label('role').in(['db', 'cache']),
          notSelector: Selector.has('canary'),
          namespaceSelector: Selector.all(),
          serviceAccounts: { names: ['api'], selector: Selector.label('team').equalTo('a') },
        },
        destination: { ports: [Port.of(80), Port.range(8000, 8080), Port.named('http')], notPorts: [Port.of(81)] },
        http: { methods: ['GET'], paths: [{ exact: '/health' }, { prefix: '/api/' }] },
        annotations: { 'example.com/why': 'ticket 42' },
      }, {
        action: RuleAction.LOG, protocol: Protocol.ICMP, icmp: { type: 8, code: 0 }, notIcmp: { type: 0 },
      }, {
        action: RuleAction.PASS, protocol: Protocol.ICMPV6, ipVersion: 6, source: { nets: ['2001:db8::/32'] },
      }, {
        action: ALLOW, source: { namespaceSelector: Selector.global(), selector: Selector.has('external') },
      }, {
        action: ALLOW, source: { services: { name: 'frontend', namespace: 'web' } },
      }],
      egress: [{ action: ALLOW, destination: { services: { name: 'kubernetes', namespace: 'default' } } }],
    });
    const spec = findObject(synthValid(c), 'NetworkPolicy').spec;
    expect(spec.ingress[0]).toEqual({
      action: 'Allow',
      ipVersion: 4,
      protocol: 'TCP',
      notProtocol: 17,
      source: {
        nets: ['10.0.0.0/8'],
        notNets: ['10.1.0.0/16'],
        selector: 'role in {"cache", "db"}',
        notSelector: 'has(canary)',
        namespaceSelector: 'all()',
        serviceAccounts: { names: ['api'], selector: 'team == "a"' },
      },
      destination: { ports: [80, '8000:8080', 'http'], notPorts: [81] },
      http: { methods: ['GET'], paths: [{ exact: '/health' }, { prefix: '/api/' }] },
      metadata: { annotations: { 'example.com/why': 'ticket 42' } },
    });
    expect(spec.ingress[1]).toEqual({ action: 'Log', protocol: 'ICMP', icmp: { type: 8, code: 0 }, notICMP: { type: 0 } });
    expect(spec.ingress[3].source.namespaceSelector).toBe('global()');
    expect(spec.ingress[4].source.services).toEqual({ name: 'frontend', namespace: 'web' });
    expect(spec.egress[0].destination.services).toEqual({ name: 'kubernetes', namespace: 'default' });
    expect(spec.types).toEqual(['Ingress', 'Egress']);
  });
});

describe('EntityRule', () => {
  table([
    ['nets: each a CIDR', () => np({ action: ALLOW, source: { nets: ['10.0.0.0/33'] } }), ['ingress[0].source.nets[0]: "10.0.0.0/33" is not a valid CIDR']],
    ['nets: strictly masked', () => np({ action: ALLOW, destination: { nets: ['10.0.0.1/8'] } }),
      ['ingress[0].destination.nets[0]: "10.0.0.1/8" is not a strictly masked network']],
    ['notNets: each a CIDR', () => np({ action: ALLOW, source: { notNets: ['::g/64'] } }), ['ingress[0].source.notNets[0]: "::g/64" is not a valid CIDR']],
    ['IPv4 and IPv6 cannot be mixed in one field', () => np({ action: ALLOW, source: { nets: ['10.0.0.0/8', 'fd00::/8'] } }),
      ['ingress[0].source.nets: ["10.0.0.0/8","fd00::/8"] mixes IPv4 and IPv6']],
    ['IPv4 and IPv6 cannot be mixed in one rule', () => np({ action: ALLOW, source: { nets: ['10.0.0.0/8'] }, destination: { notNets: ['fd00::/8'] } }),
      ['ingress[0].destination.notNets: ["fd00::/8"] mixes IPv4 and IPv6: a rule cannot contain both IPv4 and IPv6 CIDRs']],
    ['nets must match ipVersion', () => np({ action: ALLOW, ipVersion: 6, source: { nets: ['10.0.0.0/8'] } }),
      ['ingress[0].source.nets: ["10.0.0.0/8"] does not match the rule\'s ipVersion 6']],
    ['selector: global() is not allowed', () => np({ action: ALLOW, source: { selector: Selector.global() } }),
      ['ingress[0].source.selector: "global()" global() can only be used in an EntityRule namespaceSelector']],
    ['notSelector: global() is not allowed', () => np({ action: ALLOW, source: { notSelector: Selector.global() } }),
      ['test/p: ingress[0].source.notSelector: "global()" global() can only be used in an EntityRule namespaceSelector']],
    ['notSelector: global() is not allowed inside an expression', () => np({ action: ALLOW, destination: { notSelector: Selector.has('a').and(Selector.global()) } }, 'egress'),
      ['egress[0].destination.notSelector: "(has(a) && global())" global() can only be used in an EntityRule namespaceSelector']],
    ['namespaceSelector: global() only on its own (&&)', () => np({ action: ALLOW, source: { namespaceSelector: Selector.parse(' global() && all()') } }),
      ['ingress[0].source.namespaceSelector: " global() && all()" global() cannot be combined with other selectors']],
    ['namespaceSelector: global() only on its own (||)', () => np({ action: ALLOW, destination: { namespaceSelector: Selector.global().or(Selector.has('a')) } }, 'egress'),
      ['egress[0].destination.namespaceSelector: "(global() || has(a))" global() cannot be combined with other selectors']],
    ['ports: 1-65535', () => Port.of(0), ['Port.of: port: 0 is not a valid port: port number must be between 1 and 65535']],
    ['ports: at most 65535', () => Port.range(1, 65536), ['Port.range: port: 65536 is not a valid port']],
    ['ports: a range is min:max with min <= max', () => Port.parse('90:80'), ['Port.range: port: "90:80" is not a valid port range']],
    ['ports: a named port matches ^[a-zA-Z0-9_.-]{1,128}$ (no "/")', () => Port.named('http/alt'),
      ['Port.named: port: "http/alt" is not a valid port name: 1 to 128 letters, digits, "_", "." or "-" (^[a-zA-Z0-9_.-]{1,128}$']],
    ['ports: a named port has at most 128 characters', () => Port.parse('p'.repeat(129)), [`Port.named: port: "${'p'.repeat(129)}" is not a valid port name: 1 to 128`]],
    ['ports: a named port has no space', () => Port.named('my port'), ['Port.named: port: "my port" is not a valid port name: 1 to 128 letters']],
    ['ports: a named port is not empty', () => Port.named(''), ['Port.named: port: "" is not a valid port name: 1 to 128 letters']],
    ['ports need protocol TCP, UDP or SCTP', () => np({ action: ALLOW, destination: { ports: [Port.of(80)] } }),
      ['ingress[0].destination.ports: ["80"] rules that specify ports must set protocol to TCP or UDP or SCTP']],
    ['notPorts need protocol TCP, UDP or SCTP', () => np({ action: ALLOW, protocol: Protocol.ICMP, source: { notPorts: [Port.of(80)] } }),
      ['ingress[0].source.notPorts: ["80"] rules that specify ports must set protocol']],
    ['serviceAccounts: names are non-empty', () => np({ action: ALLOW, source: { serviceAccounts: { names: [''] } } }),
      ['ingress[0].source.serviceAccounts.names[0]: "" is not a service account name']],
    ['services: a name is required', () => np({ action: ALLOW, source: { services: { name: '' } } }),
      ['ingress[0].source.services.name: "" must specify a service name']],
    ['services: not with selector', () => np({ action: ALLOW, source: { services: { name: 'a' }, selector: Selector.all() } }),
      ['ingress[0].source.services: "a" cannot be combined with Selector/NotSelector']],
    ['services: not with notSelector', () => np({ action: ALLOW, source: { services: { name: 'a' }, notSelector: Selector.has('x') } }),
      ['ingress[0].source.services: "a" cannot be combined with Selector/NotSelector']],
    ['services: not with namespaceSelector', () => np({ action: ALLOW, source: { services: { name: 'a' }, namespaceSelector: Selector.all() } }),
      ['cannot be combined with NamespaceSelector']],
    ['services: not with nets', () => np({ action: ALLOW, source: { services: { name: 'a' }, notNets: ['10.0.0.0/8'] } }), ['cannot be combined with Nets/NotNets']],
    ['services: not with serviceAccounts', () => np({ action: ALLOW, source: { services: { name: 'a' }, serviceAccounts: { names: ['x'] } } }),
      ['cannot be combined with ServiceAccounts']],
    ['destination services are allowed only in egress rules', () => np({ action: ALLOW, destination: { services: { name: 'a' } } }),
      ['ingress[0].destination.services: "a" is not allowed in ingress rule destination']],
    ['source services are allowed only in ingress rules', () => np({ action: ALLOW, source: { services: { name: 'a' } } }, 'egress'),
      ['egress[0].source.services: "a" is not allowed in egress rule source']],
    ['destination services cannot take ports', () => np({ action: ALLOW, protocol: TCP, destination: { services: { name: 'a' }, ports: [Port.of(443)] } }, 'egress'),
      ['egress[0].destination.ports: ["443"] cannot specify ports with a service selector']],
    ['destination services cannot take notPorts', () => np({ action: ALLOW, protocol: TCP, destination: { services: { name: 'a' }, notPorts: [Port.of(8)] } }, 'egress'),
      ['egress[0].destination.notPorts: ["8"] cannot specify notports with a service selector']],
  ]);

  test('namespaceSelector global() on its own is accepted, with a notSelector', () => {
    const c = chart();
    new NetworkPolicy(c, 'p', {
      ingress: [{ action: ALLOW, source: { namespaceSelector: Selector.parse('  global()  '), notSelector: Selector.has('blocked') } }],
    });
    expect(findObject(synthValid(c), 'NetworkPolicy').spec.ingress[0].source).toEqual({ namespaceSelector: '  global()  ', notSelector: 'has(blocked)' });
  });

  test('named ports: any 1-128 characters of [a-zA-Z0-9_.-] are accepted, as Calico accepts them', () => {
    const c = chart();
    const names = ['my_port', 'HTTP.alt', 'a-very-long-port-name', '9x', 'p'.repeat(128)];
    new NetworkPolicy(c, 'p', { ingress: [{ action: ALLOW, protocol: TCP, destination: { ports: names.map(n => Port.named(n)) } }] });
    expect(Port.parse('my_port').name).toBe('my_port');
    expect(findObject(synthValid(c), 'NetworkPolicy').spec.ingress[0].destination.ports).toEqual(names);
  });

  test('protocol numbers 6, 17 and 132 allow ports', () => {
    const c = chart();
    new NetworkPolicy(c, 'p', { ingress: [6, 17, 132].map(n => ({ action: ALLOW, protocol: Protocol.of(n), destination: { ports: [Port.of(1)] } })) });
    expect(findObject(synthValid(c), 'NetworkPolicy').spec.ingress.map((r: any) => r.protocol)).toEqual([6, 17, 132]);
  });
});
