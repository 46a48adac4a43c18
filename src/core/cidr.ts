/* eslint-disable no-bitwise */
// IP network arithmetic for the Calico validators (internal). Parsing and
// formatting are ipaddr.js's; on top of it stay Calico's own rules (what Go's
// net.ParseIP / net.ParseCIDR accept): IPv4 only as four decimal parts without
// leading zeros (ipaddr.js alone also reads "010.0.0.1" and "10.1"), no IPv6
// zone ("fe80::1%eth0"), and a decimal prefix without leading zeros. Addresses
// are bigints, so masking and comparing networks is bit arithmetic by nature.
import * as net from 'net';
import * as ipaddr from 'ipaddr.js';

/** A parsed `address[/prefix]`. */
export interface Cidr {
  readonly version: 4 | 6;
  /** The address as written. */
  readonly address: bigint;
  /** Prefix length (32/128 when no mask was written). */
  readonly prefix: number;
  /** True when the text had a `/prefix`. */
  readonly hasMask: boolean;
}

/**
 * An IPv6 text with its embedded IPv4 tail (`::1.2.3.4`) written as two hex
 * groups: Go reads the tail as the last 32 bits, where ipaddr.js would turn
 * `::a.b.c.d` into the mapped `::ffff:a.b.c.d`.
 */
function withHexTail(text: string): string {
  const m = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!m || !ipaddr.IPv4.isValidFourPartDecimal(m.slice(1).join('.'))) return text;
  const [a, b, c, d] = m.slice(1).map(Number);
  return `${text.slice(0, -m[0].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** The address of an IP as a bigint, or undefined when Calico would refuse it. */
function parseIp(text: string): { version: 4 | 6; address: bigint } | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) {
    parsed = ipaddr.IPv4.parse(text);
  } else if (!text.includes('%') && net.isIPv6(text) && ipaddr.IPv6.isValid(withHexTail(text))) {
    parsed = ipaddr.IPv6.parse(withHexTail(text));
  } else {
    return undefined;
  }
  const address = parsed.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
  return { version: parsed.kind() === 'ipv4' ? 4 : 6, address };
}

/** Parses a CIDR (`10.0.0.0/8`, `fd00::/64`) or a bare IP address; undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (ip === undefined) return undefined;
  const bits = ip.version === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > bits) return undefined;
    prefix = Number(p);
  }
  return { version: ip.version, address: ip.address, prefix, hasMask: slash >= 0 };
}

function bitsOf(c: Cidr): number {
  return c.version === 4 ? 32 : 128;
}

/** The network address (host bits cleared). */
export function networkOf(c: Cidr): bigint {
  const host = bitsOf(c) - c.prefix;
  return (c.address >> BigInt(host)) << BigInt(host);
}

/** True when no host bit is set (`10.0.0.0/8`, not `10.0.0.1/8`). */
export function isStrictlyMasked(c: Cidr): boolean {
  return networkOf(c) === c.address;
}

/** True when the two networks share an address (same IP version). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.version !== b.version) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  const host = BigInt(bitsOf(a) - prefix);
  return (a.address >> host) === (b.address >> host);
}

/** Formats the network address of a CIDR (`10.0.0.1/8` gives `10.0.0.0/8`; IPv6 in RFC 5952 form). */
export function formatNetwork(c: Cidr): string {
  const n = networkOf(c);
  const bytes: number[] = [];
  for (let i = bitsOf(c) / 8 - 1; i >= 0; i--) bytes.push(Number((n >> BigInt(i * 8)) & 255n));
  const address = ipaddr.fromByteArray(bytes);
  return `${address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString()}/${c.prefix}`;
}
