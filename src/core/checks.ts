// Runtime type and shape checks for every public door (constructors, static
// factories, methods). Internal: not exported from src/index.ts, so the types
// below need not be jsii-compatible. A leaf module: it imports only the error
// type and constructs/cdk8s, nothing else of ours.
//
// TypeScript checks the types at compile time; a plain-JavaScript consumer
// (or a jsii one, or `as any`) gets no such help, so every value a user hands
// in is checked here before it is used, and a wrong one is a ValidationError
// naming the construct path, the field and the value.
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ValidationError } from './errors';
import {
  DNS_LABEL_RULE, DNS_SUBDOMAIN_RULE, isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue, LABEL_KEY_RULE, LABEL_VALUE_RULE,
} from './names';

/** A stand-in that `ValidationError.show` prints as `text`, unquoted: how a hidden Secret value appears in a message. */
function shownAs(text: string): object {
  return { [Symbol.for('cdk8s-paas.shown-as')]: text };
}

/** Throws the ValidationError for one field. */
export type Fail = (field: string, value: unknown, reason: string) => never;

/** What one value must look like. */
export interface Shape {
  /** A valid value in words, e.g. `a string` or `one of "Retain", "Delete"`. */
  readonly expected: string;
  /** Calls `fail` (which throws) unless `value` has the shape. */
  check(value: unknown, field: string, fail: Fail): void;
}

/** Keys of a props object and the shape of each; a key in `required` must be present. */
export interface PropsSpec {
  readonly [key: string]: Shape;
}

const hidden = (v: unknown): object => shownAs(`(secret value hidden, a ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v})`);

function simple(expected: string, ok: (v: unknown) => boolean, extra?: (v: any) => string | undefined): Shape {
  return {
    expected,
    check(v, field, fail) {
      if (!ok(v)) fail(field, v, `must be ${expected}`);
      const why = extra?.(v);
      if (why) fail(field, v, why);
    },
  };
}

/** Whether `o` is a plain object (not null, not an array). */
function isRecord(o: unknown): o is Record<string, unknown> {
  return typeof o === 'object' && o !== null && !Array.isArray(o);
}

/** Levenshtein distance, for "did you mean" (3 when the lengths alone differ by more than 2). */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** The known name closest to `name` (case-insensitive edit distance at most 2), if any. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` when a known key is at most 2 edits away, else ''. */
export function didYouMean(key: string, known: readonly string[]): string {
  const best = closestName(key, known);
  return best !== undefined ? ` (did you mean "${best}"?)` : '';
}

/** The shapes props are made of. */
export const is = {
  /** Any string (`nonEmpty`: at least one character). */
  string(opts: { nonEmpty?: boolean } = {}): Shape {
    return simple(opts.nonEmpty ? 'a non-empty string' : 'a string', v => typeof v === 'string' && (!opts.nonEmpty || v.length > 0));
  },

  /** A finite number, optionally an integer within [min, max]. */
  number(opts: { integer?: boolean; min?: number; max?: number } = {}): Shape {
    const range = opts.min !== undefined && opts.max !== undefined ? ` from ${opts.min} to ${opts.max}`
      : opts.min !== undefined ? ` of at least ${opts.min}` : opts.max !== undefined ? ` of at most ${opts.max}` : '';
    const expected = `${opts.integer ? 'an integer' : 'a finite number'}${range}`;
    return simple(expected, v => typeof v === 'number' && Number.isFinite(v)
      && (!opts.integer || Number.isInteger(v))
      && (opts.min === undefined || v >= opts.min) && (opts.max === undefined || v <= opts.max));
  },

  /** `true` or `false`. */
  boolean(): Shape {
    return simple('true or false', v => typeof v === 'boolean');
  },

  /** One of the values of a (string) enum. */
  oneOf(enumObject: object, name: string): Shape {
    const values = Object.values(enumObject).filter(v => typeof v === 'string') as string[];
    const expected = `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}: one of ${values.map(v => `"${v}"`).join(', ')}`;
    return {
      expected,
      check(v, field, fail) {
        if (typeof v !== 'string' || !values.includes(v)) fail(field, v, `must be ${expected}${typeof v === 'string' ? didYouMean(v, values) : ''}`);
      },
    };
  },

  /** An array whose items all have `item`'s shape (`nonEmpty`: at least one). */
  arrayOf(item: Shape, opts: { nonEmpty?: boolean } = {}): Shape {
    const expected = `an array of ${item.expected.replace(/^an? /, '')}s`;
    return {
      expected,
      check(v, field, fail) {
        if (!Array.isArray(v)) fail(field, v, `must be ${expected}`);
        const arr = v as unknown[];
        if (opts.nonEmpty && arr.length === 0) fail(field, v, `must hold at least one item (${item.expected})`);
        for (let i = 0; i < arr.length; i++) item.check(arr[i], `${field}[${i}]`, fail);
      },
    };
  },

  /**
   * A map of string keys to values of `item`'s shape. Keys are read as own
   * properties, so `constructor` or `__proto__` are ordinary keys. With
   * `secret`, values are never shown in a message.
   */
  mapOf(item: Shape, opts: { secret?: boolean } = {}): Shape {
    const expected = `an object mapping keys to ${item.expected.replace(/^an? /, '')}s`;
    return {
      expected,
      check(v, field, fail) {
        if (!isRecord(v) || Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) {
          fail(field, opts.secret ? hidden(v) : v, `must be ${expected}`);
        }
        const rec = v as Record<string, unknown>;
        for (const k of Object.keys(rec)) {
          const f = `${field}.${k}`;
          item.check(rec[k], f, opts.secret ? (ff, vv, why) => fail(ff, hidden(vv), why) : fail);
        }
      },
    };
  },

  /** A struct: an object with the keys of `spec`; unknown keys are refused. */
  struct(name: string, spec: PropsSpec, required: readonly string[] = []): Shape {
    const expected = `a ${name} object`;
    return {
      expected,
      check(v, field, fail) {
        checkStruct(v, field, fail, name, spec, required);
      },
    };
  },

  /** An instance of a class, made with its factories (e.g. `WarArtifact.fromImage`). */
  instanceOf(cls: Function, hint: string): Shape {
    const expected = `a ${cls.name} (${hint})`;
    return simple(expected, v => v instanceof cls);
  },

  /** An object implementing an interface; `members` are the members it must have. */
  implementing(iface: string, hint: string, members: readonly string[] = []): Shape {
    const expected = `an ${iface} (${hint})`;
    return simple(expected, v => typeof v === 'object' && v !== null && members.every(m => m in (v as object)));
  },

  /**
   * A workload target (`IWorkloadTarget`, or `ITomcatWorkload` with
   * `addCatalinaOpts`) such as a TomcatApp, checked by its members.
   */
  workload(iface: 'IWorkloadTarget' | 'ITomcatWorkload'): Shape {
    const members = ['node', 'deployment', 'container', 'service', 'name', 'labels', ...(iface === 'ITomcatWorkload' ? ['addCatalinaOpts'] : [])];
    return is.implementing(iface, 'e.g. new TomcatApp(...)', members);
  },

  /** Labels: each key `[prefix/]name`, each value a label value, as the API server requires. */
  labels(): Shape {
    return {
      expected: 'an object mapping label keys to label values',
      check(v, field, fail) {
        is.mapOf(is.string()).check(v, field, fail);
        for (const [k, val] of Object.entries(v as Record<string, string>)) {
          if (!isLabelKey(k)) fail(`${field}.${k}`, k, LABEL_KEY_RULE);
          if (!isLabelValue(val)) fail(`${field}.${k}`, val, LABEL_VALUE_RULE);
        }
      },
    };
  },

  /** Annotations: each key `[prefix/]name`, each value any string. */
  annotations(): Shape {
    return {
      expected: 'an object mapping annotation keys to strings',
      check(v, field, fail) {
        is.mapOf(is.string()).check(v, field, fail);
        for (const k of Object.keys(v as object)) if (!isLabelKey(k)) fail(`${field}.${k}`, k, LABEL_KEY_RULE.replace('label', 'annotation'));
      },
    };
  },

  /** An RFC 1123 label: a namespace or object name. */
  dnsLabel(): Shape {
    return simple('a DNS-1123 label', v => typeof v === 'string', v => (isDnsLabel(v) ? undefined : DNS_LABEL_RULE));
  },

  /** An RFC 1123 subdomain: a ConfigMap, Secret or ServiceAccount name. */
  dnsSubdomain(): Shape {
    return simple('a DNS-1123 subdomain', v => typeof v === 'string', v => (isDnsSubdomain(v) ? undefined : DNS_SUBDOMAIN_RULE));
  },

  /** A construct. */
  construct(name: string): Shape {
    return simple(`a ${name} construct`, v => Construct.isConstruct(v));
  },

  /** Anything (checked elsewhere). */
  any(): Shape {
    return { expected: 'any value', check() {} };
  },
};

function checkStruct(v: unknown, field: string, fail: Fail, name: string, spec: PropsSpec, required: readonly string[]): void {
  const at = (k: string) => (field ? `${field}.${k}` : k);
  if (!isRecord(v)) fail(field || 'props', v, `must be a ${name} object with the keys ${Object.keys(spec).join(', ')}`);
  const rec = v as Record<string, unknown>;
  const known = Object.keys(spec);
  for (const k of Object.keys(rec)) {
    if (!Object.prototype.hasOwnProperty.call(spec, k)) {
      if (rec[k] === undefined) continue;
      fail(at(k), rec[k], `is not a property of ${name}${didYouMean(k, known)}; known properties: ${known.join(', ')}`);
    }
  }
  for (const k of known) {
    const value = Object.prototype.hasOwnProperty.call(rec, k) ? rec[k] : undefined;
    if (value === undefined) {
      if (required.includes(k)) fail(at(k), value, `is required: ${spec[k].expected}`);
      continue;
    }
    if (value === null) {
      fail(at(k), value, `must be ${spec[k].expected}${required.includes(k) ? '' : '; leave the property out for its default'}`);
    }
    spec[k].check(value, at(k), fail);
  }
}

/** A `Fail` that throws a ValidationError for `path`. */
export function failAt(path: string): Fail {
  return (field, value, reason) => {
    throw ValidationError.unscoped(path, field, value, reason);
  };
}

/**
 * Checks the props of a construct (or the options of a factory) against
 * `spec`: unknown keys (with a "did you mean"), missing required keys, nulls
 * and wrong types are a ValidationError naming `scope`'s path.
 *
 * @param scope the construct (its path is used), or a path string for values without a construct
 * @param name the props' type name for messages, e.g. `TomcatAppProps`
 * @param props what the user passed (undefined means `{}`)
 */
export function checkProps(scope: IConstruct | string, name: string, props: unknown, spec: PropsSpec, required: readonly string[] = []): void {
  const path = typeof scope === 'string' ? scope : scope.node.path;
  checkStruct(props === undefined && required.length === 0 ? {} : props, '', failAt(path), name, spec, required);
}

/**
 * Throws unless `props` is an object (the props of `name`); for constructors
 * whose props' fields are checked one by one further on.
 */
export function checkPropsObject(scope: IConstruct, name: string, props: unknown): void {
  if (props === null || typeof props !== 'object') throw ValidationError.of(scope, 'props', props, `must be an object of ${name}`);
}

/**
 * Checks one value (a method or factory argument) against a shape.
 *
 * @param scope the construct (its path is used), or a path string
 * @param field the argument's name
 */
export function checkValue(scope: IConstruct | string, field: string, value: unknown, shape: Shape): void {
  shape.check(value, field, failAt(typeof scope === 'string' ? scope : scope.node.path));
}

/** The path a construct created with `scope` and `id` will have, for checks before it exists. */
export function pathOf(scope: unknown, id: unknown): string {
  const parent = Construct.isConstruct(scope) ? scope.node.path : '?';
  return `${parent ? `${parent}/` : ''}${typeof id === 'string' ? id : '?'}`;
}

/**
 * Checks the `scope` and `id` a construct is created with, before
 * `super(scope, id)`: the scope is a construct inside a Chart (when
 * `needsChart`), the id a non-empty string. Returns `scope`.
 *
 * @param what the construct's class name, e.g. `TomcatApp`
 */
export function checkScope<T>(scope: T, id: unknown, what: string, needsChart = true): T {
  const s = scope as unknown as IConstruct;
  if (!Construct.isConstruct(s)) {
    throw ValidationError.unscoped(what, 'scope', scope, `must be a construct (a PaasChart, or a construct inside one) to create the ${what} in`);
  }
  const path = s.node.path;
  const where = `${path ? `${path}/` : ''}${typeof id === 'string' ? id : '?'}`;
  if (typeof id !== 'string' || id.length === 0) {
    throw ValidationError.unscoped(where, 'id', id, `must be a non-empty string naming the ${what} among its siblings, e.g. "web"`);
  }
  if (id in Object.prototype) {
    // constructs keeps children in a plain object: such an id collides with its prototype
    throw ValidationError.unscoped(where, 'id', id,
      `is the name of a JavaScript object member, which constructs cannot hold as a child id; choose another id, e.g. "${id.toLowerCase()}-1"`);
  }
  if (s.node.children.some(c => c.node.id === id)) {
    throw ValidationError.unscoped(where, 'id', id, `is already the id of another construct in "${path || '(the app)'}"; ids must be unique among siblings`);
  }
  if (needsChart && !s.node.scopes.some(c => Chart.isChart(c))) {
    throw ValidationError.unscoped(where, 'scope', path || '(the app)',
      `is not inside a chart: create the ${what} in a PaasChart (new PaasChart(app, 'name')) or in a construct inside one, not in the app itself`);
  }
  return scope;
}
