import type { LRParser } from '@lezer/lr';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';

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

/** Where the first syntax error of a PromQL expression is, or undefined when it parses. */
export interface PromQLSyntaxError {
  /** 0-based offset into the expression. */
  readonly offset: number;
  /** 1-based line and column. */
  readonly line: number;
  readonly column: number;
  /** The text from the error on (at most 20 characters), or 'end of input'. */
  readonly near: string;
}

/**
 * Parses `expr` with the Prometheus project's own PromQL grammar
 * (@prometheus-io/lezer-promql, the parser of the Prometheus web UI) and
 * returns the first error node, or undefined when the expression is valid.
 */
export function findPromQLError(expr: string): PromQLSyntaxError | undefined {
  let offset = -1;
  parser.parse(expr).iterate({
    enter(node) {
      if (offset >= 0) return false;
      if (node.type.isError) {
        offset = node.from;
        return false;
      }
      return undefined;
    },
  });
  if (offset < 0) return undefined;
  const before = expr.slice(0, offset).split('\n');
  const rest = expr.slice(offset).trim();
  return {
    offset,
    line: before.length,
    column: before[before.length - 1].length + 1,
    near: rest === '' ? 'end of input' : `"${rest.slice(0, 20)}${rest.length > 20 ? '…' : ''}"`,
  };
}

/** Throws a ValidationError showing the expression and where it stops being PromQL. */
export function checkPromQL(scope: IConstruct, field: string, expr: string): string {
  if (typeof expr !== 'string' || expr.trim() === '') {
    throw ValidationError.of(scope, field, expr ?? '', 'is not a PromQL expression: it must not be empty, e.g. "up == 0"');
  }
  const err = findPromQLError(expr);
  if (err) {
    const where = err.line > 1 ? `line ${err.line}, column ${err.column}` : `column ${err.column}`;
    throw ValidationError.of(scope, field, expr,
      `is not valid PromQL: syntax error at ${where} (offset ${err.offset}) near ${err.near}; check brackets, quotes, operators and function names`);
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
