import type { LRParser } from '@lezer/lr';
import { IConstruct } from 'constructs';
import { findPromQLTypeError, isPromFunction } from './promql-types';
import { ValidationError } from '../core/errors';

// Internal checks for Prometheus rule files (not part of the jsii API).

// lezer-promql is an ES module package with a CommonJS entry (dist/index.cjs) that require() selects.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

/** Prometheus' duration grammar (common/model ParseDuration): units in this order, each at most once. */
const DURATION = /^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$/;
/** Metric and alert names (model.IsValidMetricName). */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Label names (model.LabelName.IsValid). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Where the first error of a PromQL expression is, or undefined when it is valid. */
export interface PromQLSyntaxError {
  /** 0-based offset into the expression. */
  readonly offset: number;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  /** The text from the error on (at most 20 characters), or 'end of input'. */
  readonly near: string;
  /** 'syntax error' or 'type error'. */
  readonly kind: string;
  /** What is wrong there (what was expected, what was found), or '' when the parser says no more than where. */
  readonly message: string;
}

function locate(expr: string, offset: number, kind: string, message: string): PromQLSyntaxError {
  const before = expr.slice(0, offset).split('\n');
  const rest = expr.slice(offset).trim();
  return {
    offset,
    line: before.length,
    column: before[before.length - 1].length + 1,
    near: rest === '' ? 'end of input' : `"${rest.slice(0, 20)}${rest.length > 20 ? '…' : ''}"`,
    kind,
    message,
  };
}

/** A syntax error at `offset`; a name followed by "(" that the grammar does not know is an unknown function. */
function syntaxMessage(expr: string, offset: number): string {
  const name = expr[offset] === '(' ? /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*$/.exec(expr.slice(0, offset))?.[1] : undefined;
  if (name === undefined) return '';
  return isPromFunction(name)
    ? `function "${name}" is not supported by the PromQL grammar of this library`
    : `unknown function "${name}" (see https://prometheus.io/docs/prometheus/latest/querying/functions/)`;
}

/**
 * Parses `expr` with the Prometheus project's own PromQL grammar
 * (@prometheus-io/lezer-promql, the parser of the Prometheus web UI), then
 * type-checks the tree as Prometheus does when it loads a rule (function and
 * operator argument types and arity; with `rule`, a result that is an instant
 * vector or a scalar). Returns the first error, or undefined when the expression is valid.
 */
export function findPromQLError(expr: string, rule = true): PromQLSyntaxError | undefined {
  const tree = parser.parse(expr);
  let offset = -1;
  tree.iterate({
    enter(node) {
      if (offset >= 0) return false;
      if (node.type.isError) {
        offset = node.from;
        return false;
      }
      return undefined;
    },
  });
  if (offset >= 0) return locate(expr, offset, 'syntax error', syntaxMessage(expr, offset));
  const typeError = findPromQLTypeError(tree, expr, rule);
  return typeError && locate(expr, typeError.offset, 'type error', typeError.message);
}

/** Throws a ValidationError showing the rule expression and where and why it stops being valid PromQL. */
export function checkPromQL(scope: IConstruct, field: string, expr: string): string {
  if (typeof expr !== 'string' || expr.trim() === '') {
    throw ValidationError.of(scope, field, expr ?? '', 'is not a PromQL expression: it must not be empty, e.g. "up == 0"');
  }
  const err = findPromQLError(expr);
  if (err) {
    const where = err.line > 1 ? `line ${err.line}, column ${err.column}` : `column ${err.column}`;
    const detail = err.message ? `: ${err.message}` : '; check brackets, quotes, operators and function names';
    throw ValidationError.of(scope, field, expr,
      `is not valid PromQL: ${err.kind} at ${where} (offset ${err.offset}) near ${err.near}${detail}`);
  }
  return expr;
}

/** True when `value` is a Prometheus duration such as `5m`, `1h30m`, `500ms` or `0`. */
export function isPromDuration(value: string): boolean {
  return typeof value === 'string' && value !== '' && (value === '0' || DURATION.test(value));
}

/** Throws unless `value` is a Prometheus duration. */
export function checkPromDuration(scope: IConstruct, field: string, value: string): string {
  if (!isPromDuration(value)) {
    throw ValidationError.of(scope, field, value,
      'is not a Prometheus duration: one or more of <n>y, <n>w, <n>d, <n>h, <n>m, <n>s, <n>ms in that order with integer counts, or "0" (e.g. "5m", "1h30m")');
  }
  return value;
}

/** Throws unless `value` is a valid alert (metric) name. */
export function checkAlertName(scope: IConstruct, field: string, value: string): string {
  if (typeof value !== 'string' || !METRIC_NAME.test(value)) {
    throw ValidationError.of(scope, field, value,
      'is not a valid alert name: letters, digits, "_" and ":", not starting with a digit (e.g. "NodeHighCpuUsage")');
  }
  return value;
}

/** Throws unless every key of `map` is a valid Prometheus label name. */
export function checkLabelNames(scope: IConstruct, field: string, map: { [key: string]: string } | undefined): void {
  for (const k of Object.keys(map ?? {})) {
    if (!LABEL_NAME.test(k) || k.startsWith('__')) {
      throw ValidationError.of(scope, `${field}.${k}`, k,
        'is not a valid Prometheus label name: letters, digits and "_", not starting with a digit or "__" (e.g. "team")');
    }
  }
}

/** Throws unless `value` is a finite number within (min, max] (or [min, max] when `inclusiveMin`). */
export function checkNumber(scope: IConstruct, field: string, value: number, min: number, max: number, inclusiveMin = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value > max || (inclusiveMin ? value < min : value <= min)) {
    throw ValidationError.of(scope, field, value, `must be a number ${inclusiveMin ? 'from' : 'greater than'} ${min} ${inclusiveMin ? 'to' : 'and at most'} ${max}`);
  }
  return value;
}

/** Quotes a string as a PromQL string literal. */
export function promString(value: string): string {
  return JSON.stringify(value);
}
