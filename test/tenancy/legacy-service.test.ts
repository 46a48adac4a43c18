import * as kplus from 'cdk8s-plus-27';
import { errorOf, war } from './helpers';
import { LegacyService, NetworkFlavor, Protocol, Tenant, TomcatApp, ValidationError, Warnings } from '../../src';
import { synthManifests, testChart } from '../fixtures/synth';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

describe('LegacyService', () => {
  test('by IP addresses: a selector-less Service and an EndpointSlice (discovery.k8s.io/v1)', () => {
    // GIVEN
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const billing = new TomcatApp(t, 'billing', { artifacts: [war] });
    // WHEN
    const legacy = new LegacyService(t, 'mainframe', { addresses: ['10.20.0.15', '10.20.0.16'], port: 1521, clients: [billing] });
    // THEN
    const m = synthValid(chart);
    const svc = findObject(m, 'Service', 'mainframe');
    expect(svc.metadata.namespace).toBe('team-a');
    expect(svc.spec.selector).toBeUndefined();
    expect(svc.spec.ports).toEqual([{ name: 'legacy', port: 1521, protocol: 'TCP', targetPort: 1521 }]);
    const slice = findObject(m, 'EndpointSlice');
    expect(slice.apiVersion).toBe('discovery.k8s.io/v1');
    expect(slice.metadata.namespace).toBe('team-a');
    expect(slice.metadata.labels['kubernetes.io/service-name']).toBe('mainframe');
    expect(slice.metadata.labels['endpointslice.kubernetes.io/managed-by']).toBe('cdk8s-paas');
    expect(slice.addressType).toBe('IPv4');
    expect(slice.endpoints).toEqual([
      { addresses: ['10.20.0.15'], conditions: { ready: true } },
      { addresses: ['10.20.0.16'], conditions: { ready: true } },
    ]);
    expect(slice.ports).toEqual([{ name: 'legacy', port: 1521, protocol: 'TCP' }]);
    // only billing's pods get egress to the addresses
    const policy = findObject(m, 'NetworkPolicy', 'billing-to-mainframe');
    expect(policy.metadata.namespace).toBe('team-a');
    expect(policy.apiVersion).toBe('projectcalico.org/v3');
    expect(policy.spec).toEqual({
      order: 500,
      selector: `cdk8s.io/metadata.addr == "${billing.deployment.matchLabels['cdk8s.io/metadata.addr']}"`,
      types: ['Egress'],
      egress: [{ action: 'Allow', protocol: 'TCP', destination: { nets: ['10.20.0.15/32', '10.20.0.16/32'], ports: [1521] } }],
    });
    expect(legacy.egressPolicies).toHaveLength(1);
    expect(Warnings.collect(chart)).toEqual([]);
  });

  test('by DNS name: an ExternalName Service; the egress policy opens the given CIDRs', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const shop = new TomcatApp(t, 'shop', { artifacts: [war] });
    const mq = new LegacyService(t, 'mq', { hostname: 'mq.corp.example.com', port: 5672, egressCidrs: ['10.30.0.0/28'] });
    mq.allowFrom(shop);
    mq.allowFrom(shop); // idempotent
    const m = synthValid(chart);
    const svc = findObject(m, 'Service', 'mq');
    expect(svc.spec).toEqual({ type: 'ExternalName', externalName: 'mq.corp.example.com', ports: [{ name: 'legacy', port: 5672, protocol: 'TCP' }] });
    expect(findObjects(m, 'EndpointSlice')).toEqual([]);
    expect(findObjects(m, 'NetworkPolicy').filter(p => p.metadata.name === 'shop-to-mq')).toHaveLength(1);
    expect(findObject(m, 'NetworkPolicy', 'shop-to-mq').spec.egress[0].destination.nets).toEqual(['10.30.0.0/28']);
  });

  test('IPv6 addresses and UDP', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const shop = new TomcatApp(t, 'shop', { artifacts: [war] });
    new LegacyService(t, 'syslog', { addresses: ['fd00::15'], port: 514, protocol: Protocol.UDP, clients: [shop] });
    const m = synthValid(chart);
    expect(findObject(m, 'EndpointSlice').addressType).toBe('IPv6');
    expect(findObject(m, 'NetworkPolicy', 'shop-to-syslog').spec.egress).toEqual([{ action: 'Allow', protocol: 'UDP', destination: { nets: ['fd00::15/128'], ports: [514] } }]);
  });

  test('Kubernetes flavor: the egress policy is a networking.k8s.io/v1 NetworkPolicy with ipBlocks', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a', { flavor: NetworkFlavor.KUBERNETES });
    const shop = new TomcatApp(t, 'shop', { artifacts: [war] });
    new LegacyService(t, 'erp', { addresses: ['10.20.0.15', '10.20.0.16'], port: 1521, clients: [shop] });
    const policy = findObject(synthValid(chart), 'NetworkPolicy', 'shop-to-erp');
    expect(policy.apiVersion).toBe('networking.k8s.io/v1');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: shop.deployment.matchLabels },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.20.0.15/32' } }, { ipBlock: { cidr: '10.20.0.16/32' } }], ports: [{ port: 1521, protocol: 'TCP' }] }],
    });
  });

  test('a DNS name with clients but no egressCidrs is a synth error', () => {
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    const shop = new TomcatApp(t, 'shop', { artifacts: [war] });
    new LegacyService(t, 'mq', { hostname: 'mq.corp.example.com', port: 5672, clients: [shop] });
    expect(errorOf(() => synthManifests(chart))).toContain(
      'test/team-a/mq: egressCidrs: [] must list the addresses "mq.corp.example.com" resolves to: NetworkPolicy matches IP blocks, not DNS names');
  });

  test('outside an isolated tenant it warns that anything can reach the system', () => {
    const chart = testChart();
    new LegacyService(chart, 'mq', { addresses: ['10.0.0.1'], port: 5672 });
    expect(Warnings.collect(chart)).toEqual([expect.stringContaining('test/mq: is not inside an isolated Tenant')]);
  });

  test.each([
    [{ port: 1 }, 'hostname: "" and addresses are both set or both missing'],
    [{ port: 1, hostname: 'a.example.com', addresses: ['10.0.0.1'] }, 'hostname: "a.example.com" and addresses are both set or both missing'],
    [{ port: 1, addresses: [] }, 'addresses: [] must list at least one IP address'],
    [{ port: 1, addresses: ['10.0.0.256'] }, 'addresses[0]: "10.0.0.256" is not an IP address'],
    [{ port: 1, addresses: ['10.0.0.1', 'fd00::1'] }, 'addresses: ["10.0.0.1","fd00::1"] mixes IPv4 and IPv6'],
    [{ port: 1, hostname: 'Bad_Host' }, 'hostname: "Bad_Host" is not a valid DNS-1123 subdomain'],
    [{ port: 70000, hostname: 'a.example.com' }, 'port: 70000 is not a valid port'],
    [{ port: 1, hostname: 'a.example.com', egressCidrs: ['10.0.0.0'] }, 'egressCidrs[0]: "10.0.0.0" is not a CIDR'],
    [{ port: 1, addresses: ['10.0.0.1'], egressCidrs: ['10.0.0.0/40'] }, 'egressCidrs[0]: "10.0.0.0/40" is not a CIDR'],
    [{ port: 1, addresses: ['10.0.0.1'], protocol: Protocol.ICMP }, 'protocol: "ICMP" is not a Service protocol'],
    [{ port: 1, addresses: ['1:2'] }, 'addresses[0]: "1:2" is not an IP address'],
    [{ port: 1, addresses: ['fffff::1'] }, 'addresses[0]: "fffff::1" is not an IP address'],
    [{ port: 1, addresses: ['fd00::1%eth0'] }, 'addresses[0]: "fd00::1%eth0" is not an IP address'],
    [{ port: 1, addresses: ['10.0.0.0/24'] }, 'addresses[0]: "10.0.0.0/24" is not an IP address'],
    [{ port: 1, addresses: ['127.0.0.1'] }, 'addresses[0]: "127.0.0.1" is a loopback address (127.0.0.0/8), which an EndpointSlice may not hold'],
    [{ port: 1, addresses: ['10.0.0.1', '127.8.0.1'] }, 'addresses[1]: "127.8.0.1" is a loopback address'],
    [{ port: 1, addresses: ['::1'] }, 'addresses[0]: "::1" is the loopback address, which an EndpointSlice may not hold'],
    [{ port: 1, addresses: ['0.0.0.0'] }, 'addresses[0]: "0.0.0.0" is the unspecified address'],
    [{ port: 1, addresses: ['::'] }, 'addresses[0]: "::" is the unspecified address'],
    [{ port: 1, addresses: ['169.254.169.254'] }, 'addresses[0]: "169.254.169.254" is a link-local address (169.254.0.0/16)'],
    [{ port: 1, addresses: ['fe80::1'] }, 'addresses[0]: "fe80::1" is a link-local address (fe80::/10)'],
    [{ port: 1, addresses: ['febf::1'] }, 'addresses[0]: "febf::1" is a link-local address (fe80::/10)'],
    [{ port: 1, addresses: ['224.0.0.251'] }, 'addresses[0]: "224.0.0.251" is a link-local multicast address'],
    [{ port: 1, addresses: ['ff02::1'] }, 'addresses[0]: "ff02::1" is a link-local multicast address'],
    [{ port: 1, hostname: '10.20.0.15' }, 'hostname: "10.20.0.15" is an IP address: an ExternalName Service needs a DNS name; give IP addresses as `addresses`'],
    [{ port: 1, hostname: 'fd00::15' }, 'hostname: "fd00::15" is an IP address'],
    [{ port: 1, hostname: 'db..example.com.' }, 'hostname: "db..example.com." is not a valid DNS-1123 subdomain'],
    [{ port: 1, hostname: '.' }, 'hostname: "." is not a valid DNS-1123 subdomain'],
    [{ port: 1, addresses: ['10.20.0.15'], egressCidrs: ['10.0.0.1/8'] }, 'egressCidrs[0]: "10.0.0.1/8" has host bits set beyond its /8 prefix: write the network address, "10.0.0.0/8"'],
    [{ port: 1, hostname: 'a.example.com', egressCidrs: ['10.30.0.0/28', 'fd00::1/64'] }, 'egressCidrs[1]: "fd00::1/64" has host bits set beyond its /64 prefix: write the network address, "fd00::/64"'],
  ])('rejects %j', (props, message) => {
    expect(() => new LegacyService(testChart(), 'legacy', props as any)).toThrow(ValidationError);
    expect(errorOf(() => new LegacyService(testChart(), 'legacy', props as any))).toContain(`test/legacy: ${message}`);
  });

  test('accepted addresses: IPv4, compressed and IPv4-mapped IPv6; a fully qualified hostname with a trailing dot', () => {
    const chart = testChart();
    new LegacyService(chart, 'v4', { addresses: ['10.20.0.15', '192.168.1.1'], port: 1 });
    new LegacyService(chart, 'v6', { addresses: ['fd00::15', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1'], port: 1 });
    new LegacyService(chart, 'db', { hostname: 'db.example.com.', port: 5432, egressCidrs: ['10.40.0.0/24'] });
    const m = synthValid(chart);
    expect(findObject(m, 'EndpointSlice', 'v6-legacy').addressType).toBe('IPv6');
    expect(findObject(m, 'Service', 'db').spec.externalName).toBe('db.example.com.');
  });

  test('an egress CIDR of /8 or broader warns that it may cover the pod and service networks', () => {
    const chart = testChart();
    new LegacyService(chart, 'db', { hostname: 'db.example.com', port: 5432, egressCidrs: ['10.0.0.0/8', '10.40.0.0/16', 'fd00::/16'] });
    const warnings = Warnings.collect(chart).filter(w => !w.includes('isolated Tenant'));
    expect(warnings).toEqual([
      expect.stringContaining('test/db: egressCidrs[0]: "10.0.0.0/8" is a /8 or broader network: if it overlaps the cluster\'s pod or service CIDRs'),
      expect.stringContaining('test/db: egressCidrs[2]: "fd00::/16" is a /16 or broader network'),
    ]);
  });

  test('a client that is not a workload is rejected', () => {
    const chart = testChart();
    const legacy = new LegacyService(chart, 'legacy', { addresses: ['10.0.0.1'], port: 1 });
    const cm = new kplus.ConfigMap(chart, 'cm');
    expect(errorOf(() => legacy.allowFrom(cm))).toContain('test/legacy: allowFrom: "test/cm" is not a workload');
  });
});
