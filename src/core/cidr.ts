/* eslint-disable no-bitwise */
// IP network arithmetic for the Calico validators (internal): addresses are
// bigints, so masking and comparing networks is bit arithmetic by nature.
import * as net from 'net';

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

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parseV4(text: string): bigint | undefined {
  if (!V4.test(text)) return undefined;
  return text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

function parseV6(text: string): bigint | undefined {
  if (text.includes('%') || !net.isIPv6(text)) return undefined;
  let groups: string[];
  let tail = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let v4Value: bigint | undefined;
  if (v4) {
    v4Value = parseV4(v4[1]);
    if (v4Value === undefined) return undefined;
    tail = text.slice(0, -v4[1].length) + '0:0';
  }
  const halves = tail.split('::');
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - left.length - right.length;
  groups = [...left, ...Array(halves.length > 1 ? fill : 0).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (v4Value !== undefined) value = (value & ~0xffffffffn) | v4Value;
  return value;
}

/** Parses a CIDR (`10.0.0.0/8`, `fd00::/64`) or a bare IP address; undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  const ip = slash < 0 ? text : text.slice(0, slash);
  const v4 = parseV4(ip);
  const v6 = v4 === undefined ? parseV6(ip) : undefined;
  if (v4 === undefined && v6 === undefined) return undefined;
  const version = v4 !== undefined ? 4 : 6;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > bits) return undefined;
    prefix = Number(p);
  }
  return { version, address: (v4 ?? v6)!, prefix, hasMask: slash >= 0 };
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

/** Formats the network address of a CIDR (`10.0.0.1/8` gives `10.0.0.0/8`). */
export function formatNetwork(c: Cidr): string {
  const n = networkOf(c);
  if (c.version === 4) {
    return `${[24n, 16n, 8n, 0n].map(s => Number((n >> s) & 255n)).join('.')}/${c.prefix}`;
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  // compress the longest run of zero groups
  const s = groups.join(':');
  let best = '';
  for (const m of s.matchAll(/(?:^|:)(0(?::0)+)(?=:|$)/g)) {
    if (m[1].length > best.length) best = m[1];
  }
  const compact = best ? s.replace(new RegExp(`(^|:)${best}(:|$)`), '::') : s;
  return `${compact}/${c.prefix}`;
}
