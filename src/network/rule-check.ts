import { IConstruct } from 'constructs';
import { Port } from './port';
import { Protocol } from './protocol';
import { EntityRule, IcmpMatch, PolicyRule, RuleAction } from './rule';
import { Selector } from './selector';
import { Cidr, isStrictlyMasked, parseCidr } from '../core/cidr';
import { ValidationError } from '../core/errors';
import { printSelector } from '../core/selector-parser';
import { checkLabelKey } from '../validate/rules';

// Calico's rule validation (libcalico-go/lib/validator/v3/validator.go
// validateRule, validateEntityRule, validateICMPFields, validateHTTPRule):
// internal, used by the policy constructs.

/** Where a rule sits: used by the checks that depend on it. */
export interface RuleContext {
  readonly direction: 'ingress' | 'egress';
  readonly global: boolean;
}

const ACTIONS = Object.values(RuleAction) as string[];
const GLOBAL_COMBINED = /(&&|\|\|) global\(\)|global\(\) (&&|\|\|)/;
const ANNOTATION_LIMIT = 256 * 1024;

/** validator.go messages (calico-v3-api.json validator_messages). */
export const CALICO_MESSAGES = {
  protocolPorts: 'rules that specify ports must set protocol to TCP or UDP or SCTP',
  protocolIcmp: 'rules that specify ICMP fields must set protocol to ICMP',
  protocolAndHttp: 'rules that specify HTTP fields must set protocol to TCP or empty',
  globalSelectorEntRule: 'global() can only be used in an EntityRule namespaceSelector',
  globalSelectorOnly: 'global() cannot be combined with other selectors',
};

/** 'a' or 'an' before a word, for messages built from words. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** A checker bound to a construct: `fail(field, value, reason)` throws a ValidationError. */
export class Checker {
  public constructor(public readonly scope: IConstruct) {}

  public fail(field: string, value: any, reason: string): never {
    throw ValidationError.of(this.scope, field, value, reason);
  }

  public selector(field: string, sel: Selector | undefined, allowGlobal = false): string | undefined {
    if (sel === undefined) return undefined;
    if (!(sel instanceof Selector)) this.fail(field, sel, 'is not a Selector: build one with Selector.label(...) or Selector.parse(...)');
    // validator.go checks the text as written
    if (!allowGlobal && sel.expression.includes('global()')) this.fail(field, sel.expression, CALICO_MESSAGES.globalSelectorEntRule);
    return sel.expression;
  }

  public protocol(field: string, p: Protocol | undefined): any {
    if (p === undefined) return undefined;
    if (!(p instanceof Protocol)) this.fail(field, p, 'is not a Protocol: use Protocol.TCP, Protocol.named(...) or Protocol.of(1-255)');
    return p._json();
  }

  public ports(field: string, ports: Port[] | undefined): any[] | undefined {
    if (ports === undefined) return undefined;
    return ports.map((p, i) => {
      if (!(p instanceof Port)) this.fail(`${field}[${i}]`, p, 'is not a Port: use Port.of(80), Port.range(8000, 8080) or Port.named("http")');
      return p._json();
    });
  }

  public nets(field: string, nets: string[] | undefined, strict: boolean): Cidr[] {
    return (nets ?? []).map((n, i) => {
      const c = parseCidr(n);
      if (!c) this.fail(`${field}[${i}]`, n, 'is not a valid CIDR: expected an IPv4 or IPv6 network such as "10.0.0.0/8" or "fd00::/64"');
      if (strict && !isStrictlyMasked(c)) {
        this.fail(`${field}[${i}]`, n, 'is not a strictly masked network: host bits are set (e.g. "10.0.0.0/24", not "10.0.0.1/24")');
      }
      return c;
    });
  }

  public annotations(field: string, annotations: { [key: string]: string } | undefined): void {
    let size = 0;
    for (const [k, v] of Object.entries(annotations ?? {})) {
      checkLabelKey(this.scope, `${field} key`, k.toLowerCase());
      size += k.length + String(v).length;
    }
    if (size > ANNOTATION_LIMIT) this.fail(field, `${size} bytes`, `is too large: the total size of annotations must be at most ${ANNOTATION_LIMIT} bytes`);
  }
}

function checkIcmp(c: Checker, field: string, icmp: IcmpMatch): any {
  if (icmp.type !== undefined && (!Number.isInteger(icmp.type) || icmp.type < 0 || icmp.type > 254)) {
    c.fail(`${field}.type`, icmp.type, 'is not a valid ICMP type: an integer from 0 to 254');
  }
  if (icmp.code !== undefined && (!Number.isInteger(icmp.code) || icmp.code < 0 || icmp.code > 255)) {
    c.fail(`${field}.code`, icmp.code, 'is not a valid ICMP code: an integer from 0 to 255');
  }
  if (icmp.code !== undefined && icmp.type === undefined) {
    c.fail(`${field}.code`, icmp.code, 'is invalid: ICMP code specified without an ICMP type');
  }
  return { type: icmp.type, code: icmp.code };
}

function checkHttp(c: Checker, field: string, rule: PolicyRule, ctx: RuleContext): any {
  const http = rule.http!;
  if (ctx.direction === 'egress') c.fail(`${field}.http`, http, 'is not allowed in egress rules: HTTP matches apply to ingress rules only');
  if (rule.action !== RuleAction.ALLOW) c.fail(`${field}.http`, http, `is only valid for Allow rules, not "${rule.action}"`);
  if (rule.protocol !== undefined && rule.protocol.name !== 'TCP') {
    c.fail(`${field}.protocol`, rule.protocol.toString(), CALICO_MESSAGES.protocolAndHttp);
  }
  const methods = http.methods ?? [];
  const dup = methods.find((m, i) => methods.indexOf(m) !== i);
  if (dup !== undefined) c.fail(`${field}.http.methods`, dup, 'is listed more than once: each HTTP method may appear once');
  const paths = (http.paths ?? []).map((p, i) => {
    const f = `${field}.http.paths[${i}]`;
    if (p.exact !== undefined && p.prefix !== undefined) c.fail(f, p, 'sets both "exact" and "prefix": set exactly one');
    const v = p.exact ?? p.prefix;
    if (!v) c.fail(f, p, 'sets neither "exact" nor "prefix": set exactly one');
    if (!v.startsWith('/') || /[? #]/.test(v)) c.fail(f, v, 'is not a valid HTTP path: it must start with "/" and not contain "?", "#" or a space');
    return p.exact !== undefined ? { exact: p.exact } : { prefix: p.prefix };
  });
  return { methods: http.methods, paths: http.paths ? paths : undefined };
}

function checkEntity(c: Checker, field: string, e: EntityRule, rule: PolicyRule, ctx: RuleContext, side: 'source' | 'destination'): any {
  const portsOk = rule.protocol !== undefined && rule.protocol.supportsPorts;
  for (const key of ['ports', 'notPorts'] as const) {
    if ((e[key]?.length ?? 0) > 0 && !portsOk) c.fail(`${field}.${key}`, e[key]!.map(String), CALICO_MESSAGES.protocolPorts);
  }
  const nsText = c.selector(`${field}.namespaceSelector`, e.namespaceSelector, true);
  if (e.namespaceSelector && GLOBAL_COMBINED.test(printSelector(e.namespaceSelector._node))) {
    c.fail(`${field}.namespaceSelector`, nsText, CALICO_MESSAGES.globalSelectorOnly);
  }
  const out: any = {
    nets: e.nets,
    notNets: e.notNets,
    selector: c.selector(`${field}.selector`, e.selector),
    // calico-v3-api.json EntityRule: "selector / notSelector: ... global() is not allowed here"
    notSelector: c.selector(`${field}.notSelector`, e.notSelector),
    namespaceSelector: nsText,
    ports: c.ports(`${field}.ports`, e.ports),
    notPorts: c.ports(`${field}.notPorts`, e.notPorts),
  };
  if (e.serviceAccounts) {
    (e.serviceAccounts.names ?? []).forEach((n, i) => {
      if (typeof n !== 'string' || n === '') c.fail(`${field}.serviceAccounts.names[${i}]`, n, 'is not a service account name: expected a non-empty string');
    });
    out.serviceAccounts = {
      names: e.serviceAccounts.names,
      // validator.go only checks EntityRule.selector for global(), not this one
      selector: c.selector(`${field}.serviceAccounts.selector`, e.serviceAccounts.selector, true),
    };
  }
  if (e.services) out.services = checkServices(c, `${field}.services`, e, ctx, side);
  return out;
}

function checkServices(c: Checker, field: string, e: EntityRule, ctx: RuleContext, side: 'source' | 'destination'): any {
  const s = e.services!;
  if (!s.name) c.fail(`${field}.name`, s.name ?? '', 'must specify a service name');
  const conflicts: Array<[boolean, string]> = [
    [e.namespaceSelector !== undefined, 'NamespaceSelector'],
    [e.selector !== undefined || e.notSelector !== undefined, 'Selector/NotSelector'],
    [e.serviceAccounts !== undefined, 'ServiceAccounts'],
    [(e.nets?.length ?? 0) > 0 || (e.notNets?.length ?? 0) > 0, 'Nets/NotNets'],
  ];
  for (const [present, what] of conflicts) {
    if (present) c.fail(field, s.name, `cannot be combined with ${what}: cannot specify ${what} and Services on the same rule`);
  }
  if (side === 'source' && ctx.direction === 'egress') c.fail(field, s.name, 'is not allowed in egress rule source: services are destinations of egress rules');
  if (side === 'destination' && ctx.direction === 'ingress') c.fail(field, s.name, 'is not allowed in ingress rule destination: services are sources of ingress rules');
  if (side === 'destination' && (e.ports?.length ?? 0) > 0) c.fail(`${field.replace(/\.services$/, '')}.ports`, e.ports!.map(String), 'cannot specify ports with a service selector: the service\'s own ports apply');
  if (side === 'destination' && (e.notPorts?.length ?? 0) > 0) c.fail(`${field.replace(/\.services$/, '')}.notPorts`, e.notPorts!.map(String), 'cannot specify notports with a service selector');
  if (ctx.global && !s.namespace) c.fail(`${field}.namespace`, s.namespace ?? '', 'must specify a namespace: a GlobalNetworkPolicy has no namespace of its own');
  return { name: s.name, namespace: s.namespace };
}

function checkNets(c: Checker, field: string, rule: PolicyRule): void {
  let seen4 = false;
  let seen6 = false;
  for (const side of ['source', 'destination'] as const) {
    for (const key of ['nets', 'notNets'] as const) {
      const f = `${field}.${side}.${key}`;
      const cidrs = c.nets(f, rule[side]?.[key], true);
      const v4 = cidrs.some(x => x.version === 4);
      const v6 = cidrs.some(x => x.version === 6);
      if (rule.ipVersion !== undefined && ((v4 && rule.ipVersion !== 4) || (v6 && rule.ipVersion !== 6))) {
        c.fail(f, rule[side]![key]!, `does not match the rule's ipVersion ${rule.ipVersion}: rule IP version doesn't match CIDR version`);
      }
      if ((v4 && seen6) || (v6 && seen4) || (v4 && v6)) {
        c.fail(f, rule[side]![key]!, 'mixes IPv4 and IPv6: a rule cannot contain both IPv4 and IPv6 CIDRs; write one rule per IP version');
      }
      seen4 = seen4 || v4;
      seen6 = seen6 || v6;
    }
  }
}

/** Validates one rule as calicoctl does and returns its manifest form. */
export function renderRule(c: Checker, field: string, rule: PolicyRule, ctx: RuleContext): any {
  if (!rule || typeof rule !== 'object') c.fail(field, rule, 'is not a rule: expected { action, ... }');
  if (!ACTIONS.includes(rule.action)) c.fail(`${field}.action`, rule.action ?? '', `is not a valid action: expected one of ${ACTIONS.join(', ')}`);
  if (rule.ipVersion !== undefined && rule.ipVersion !== 4 && rule.ipVersion !== 6) {
    c.fail(`${field}.ipVersion`, rule.ipVersion, 'is not a valid IP version: expected 4 or 6');
  }
  const out: any = {
    action: rule.action,
    ipVersion: rule.ipVersion,
    protocol: c.protocol(`${field}.protocol`, rule.protocol),
    notProtocol: c.protocol(`${field}.notProtocol`, rule.notProtocol),
  };
  // calico-v3-api.json Rule "icmp / notICMP": ... protocol must be ICMP or ICMPv6 (for both fields)
  for (const [key, outKey] of [['icmp', 'icmp'], ['notIcmp', 'notICMP']] as const) {
    const match = rule[key];
    if (!match) continue;
    out[outKey] = checkIcmp(c, `${field}.${key}`, match);
    if (rule.protocol?.name !== 'ICMP' && rule.protocol?.name !== 'ICMPv6') {
      c.fail(`${field}.protocol`, rule.protocol?.toString() ?? '', `does not allow ${article(key)} ${key} match: ${CALICO_MESSAGES.protocolIcmp} or ICMPv6`);
    }
  }
  for (const [name, version] of [['ICMP', 4], ['ICMPv6', 6]] as const) {
    if ((rule.protocol?.name === name || rule.notProtocol?.name === name) && rule.ipVersion !== undefined && rule.ipVersion !== version) {
      c.fail(`${field}.ipVersion`, rule.ipVersion, `must be ${version} with protocol ${name}`);
    }
  }
  checkNets(c, field, rule);
  if (rule.source) out.source = checkEntity(c, `${field}.source`, rule.source, rule, ctx, 'source');
  if (rule.destination) out.destination = checkEntity(c, `${field}.destination`, rule.destination, rule, ctx, 'destination');
  if (rule.http) out.http = checkHttp(c, field, rule, ctx);
  if (rule.annotations) {
    c.annotations(`${field}.annotations`, rule.annotations);
    out.metadata = { annotations: rule.annotations };
  }
  return out;
}
