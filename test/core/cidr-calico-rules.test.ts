import { formatNetwork, parseCidr } from '../../src/core/cidr';

// The rules cidr.ts keeps on top of ipaddr.js, where the library alone reads more than Calico (Go's net.ParseIP) does.
describe('CIDR parsing keeps Calico\'s rules over ipaddr.js', () => {
  test.each(['10.1', '10.0.0.010', '0x0a.0.0.1', '::ffff:010.0.0.1', 'fe80::1%eth0', '10.0.0.0/8 '])('refuses %s', text => {
    expect(parseCidr(text)).toBeUndefined();
  });

  test('an IPv4 tail is the last 32 bits of the address, not an IPv4-mapped address', () => {
    const c = parseCidr('::1.2.3.4')!;
    expect(c.version).toBe(6);
    expect(c.address).toBe(0x01020304n);
    expect(formatNetwork(c)).toBe('::102:304/128');
    expect(formatNetwork(parseCidr('::ffff:1.2.3.4/96')!)).toBe('::ffff:0:0/96');
  });

  test('IPv6 networks are formatted in RFC 5952 form (first longest zero run compressed, lower case)', () => {
    expect(formatNetwork(parseCidr('1:0:0:1:0:0:1:1')!)).toBe('1::1:0:0:1:1/128');
    expect(formatNetwork(parseCidr('2001:DB8:0:0:0:0:0:A/64')!)).toBe('2001:db8::/64');
  });
});
