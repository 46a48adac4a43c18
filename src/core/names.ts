import { createHash } from 'crypto';
import { Names } from 'cdk8s';
import { IConstruct } from 'constructs';

// The API server's name grammars as pure predicates (k8s.io/apimachinery
// pkg/util/validation). Internal: the throwing checks are in
// src/validate/rules.ts; shapes for the door checks in ./checks.ts.

/** The API server's rules in words, shared by rules.ts and the shapes here. */
export const DNS_LABEL_RULE = 'is not a valid DNS-1123 label: lower-case alphanumerics and "-", starting and ending with an alphanumeric, at most 63 characters (e.g. "my-app")';
export const DNS_SUBDOMAIN_RULE = 'is not a valid DNS-1123 subdomain: lower-case alphanumerics, "-" and ".", starting and ending with an alphanumeric, at most 253 characters (e.g. "my-app.v1")';
export const LABEL_KEY_RULE = 'is not a valid label key: an optional DNS subdomain prefix and "/", then up to 63 alphanumerics, "-", "_" or "." starting and ending with an alphanumeric';
export const LABEL_VALUE_RULE = 'is not a valid label value: up to 63 alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric, or empty';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** RFC 1123 label (IsDNS1123Label): namespaces, most object names. */
export function isDnsLabel(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 63 && DNS_LABEL.test(v);
}

/** RFC 1123 subdomain (IsDNS1123Subdomain): ConfigMap, Secret, ServiceAccount names. */
export function isDnsSubdomain(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 253 && DNS_SUBDOMAIN.test(v);
}

/** A label or annotation key `[prefix/]name` (IsQualifiedName). */
export function isLabelKey(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const parts = v.split('/');
  if (parts.length > 2) return false;
  if (parts.length === 2 && !isDnsSubdomain(parts[0])) return false;
  const name = parts[parts.length - 1];
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** A label value (IsValidLabelValue): empty, or up to 63 characters. */
export function isLabelValue(v: unknown): boolean {
  return typeof v === 'string' && v.length <= 63 && LABEL_VALUE.test(v);
}

/**
 * The DNS-label form of a construct id such as `db_config`: lower-cased, each
 * run of characters other than `a-z`, `0-9` and "-" replaced by one "-",
 * leading and trailing "-" trimmed; cut to `maxLength` characters (with no
 * "-" left at the end) when given. May be empty or over 63 characters without
 * `maxLength`: callers check the result (or fall back) themselves.
 *
 * The one home of this derivation: volume, policy, rule and service names.
 */
export function dnsLabelFromId(id: string, maxLength?: number): string {
  const s = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return maxLength === undefined ? s : cutLabel(s, maxLength);
}

/**
 * A unique DNS label from the construct path (cdk8s `Names.toDnsLabel`, which
 * adds a hash of the path), at most `maxLength` characters: the base of
 * generated object names.
 */
export function dnsLabelFromPath(scope: IConstruct, maxLength: number): string {
  return Names.toDnsLabel(scope, { maxLen: maxLength }).toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** `name` cut to `maxLength` characters, with no "-" left at the end. */
export function cutLabel(name: string, maxLength: number): string {
  return name.slice(0, maxLength).replace(/-+$/, '');
}

/**
 * A DNS label derived from a construct id or path such as `db_config`
 * (`dnsLabelFromId`), or undefined when nothing valid is left. Never
 * truncates: a result over 63 characters is undefined too, so the caller
 * refuses it (or hashes) rather than cutting it.
 */
export function toDnsLabel(id: string): string | undefined {
  const s = dnsLabelFromId(id);
  return isDnsLabel(s) && s.length > 0 ? s : undefined;
}

const HOST_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f]*:[0-9A-Fa-f:.]*$/;

/** What a host address is, in words, for messages. */
export const HOST_ADDRESS_RULE = 'is not a host address: a DNS name, an IPv4 address or an [IPv6] address, with an optional :port, and no spaces, newlines or shell characters (e.g. "nfs.example.com" or "10.0.0.1:6789")';

/** A host address `host[:port]` (DNS name, IPv4, `[IPv6]`, or a bare IPv6 without port). */
export function isHostAddress(v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 261) return false;
  if (IPV6.test(v) && (v.match(/:/g) ?? []).length >= 2) return true;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:]+)(?::([0-9]{1,5}))?$/.exec(v);
  if (!m || (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535))) return false;
  return m[1].startsWith('[') ? IPV6.test(m[1].slice(1, -1)) : m[1].length <= 253 && HOST_NAME.test(m[1]);
}

/**
 * `value` as a label value: unchanged when it is one; otherwise its valid
 * characters, cut to leave room for "-" and 10 hex characters of its SHA-256,
 * so two different long values never collapse into one label.
 */
export function labelValueOf(value: string): string {
  if (isLabelValue(value)) return value;
  const hash = createHash('sha256').update(value).digest('hex').slice(0, 10);
  const head = value.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 52).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return head ? `${head}-${hash}` : hash;
}
