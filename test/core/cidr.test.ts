import { formatNetwork, isStrictlyMasked, overlaps, parseCidr } from '../../src/core/cidr';
import { Port, Protocol } from '../../src/network';

describe('CIDR arithmetic', () => {
  test.each([
    ['10.0.0.0/8', 4, 8, true],
    ['10.0.0.1/8', 4, 8, false],
    ['192.0.2.7', 4, 32, true],
    ['fd00::/8', 6, 8, true],
    ['2001:db8::1/64', 6, 64, false],
    ['::ffff:10.0.0.0/120', 6, 120, true],
    ['::', 6, 128, true],
  ])('%s', (text, version, prefix, strict) => {
    const c = parseCidr(text)!;
    expect(c.version).toBe(version);
    expect(c.prefix).toBe(prefix);
    expect(isStrictlyMasked(c)).toBe(strict);
  });

  test.each(['10.0.0.256/8', '010.0.0.0/8', '10.0.0.0/', '10.0.0.0/08', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', 'x', '10.0.0.0/33', '::1/129'])('rejects %s', text => {
    expect(parseCidr(text)).toBeUndefined();
  });

  test('network formatting and overlap', () => {
    expect(formatNetwork(parseCidr('10.1.2.3/16')!)).toBe('10.1.0.0/16');
    expect(formatNetwork(parseCidr('2001:db8:0:0:1::5/64')!)).toBe('2001:db8::/64');
    expect(formatNetwork(parseCidr('fd00:1:0:0:0:0:0:1/128')!)).toBe('fd00:1::1/128');
    expect(overlaps(parseCidr('169.254.10.0/24')!, parseCidr('169.254.0.0/16')!)).toBe(true);
    expect(overlaps(parseCidr('10.0.0.0/8')!, parseCidr('169.254.0.0/16')!)).toBe(false);
    expect(overlaps(parseCidr('10.0.0.0/8')!, parseCidr('fd00::/8')!)).toBe(false);
  });
});

describe('Port and Protocol', () => {
  test('forms', () => {
    expect(Port.parse('80').toString()).toBe('80');
    expect(Port.parse('80:80').isRange).toBe(false);
    expect(Port.parse('8000:8080').toString()).toBe('8000:8080');
    expect(Port.parse('http').name).toBe('http');
    expect(() => Port.parse('1:2:3')).toThrow('Port.parse: port: "1:2:3" is not a valid port: expected N, MIN:MAX or a port name');
    expect(Protocol.named('UDPLite').toString()).toBe('UDPLite');
    expect(Protocol.UDPLITE.supportsPorts).toBe(false);
    expect(Protocol.of(132).supportsPorts).toBe(true);
    expect(Protocol.of(50).toString()).toBe('50');
  });
});
