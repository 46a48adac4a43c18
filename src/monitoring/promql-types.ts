import type { LRParser } from '@lezer/lr';

// Internal: the type pass Prometheus runs after parsing (promql/parser checkAST), over the
// lezer-promql syntax tree. Not part of the jsii API.

/** A node of a lezer syntax tree (the type of @lezer/common, reached through @lezer/lr). */
type SyntaxNode = ReturnType<LRParser['parse']>['topNode'];

/** A PromQL value type, named as Prometheus names it in its errors. */
export type PromType = 'scalar' | 'instant vector' | 'range vector' | 'string';

const S: PromType = 'scalar';
const V: PromType = 'instant vector';
const M: PromType = 'range vector';
const STR: PromType = 'string';

/** A function signature: argument types (the last repeats when `max` exceeds them), arity and return type. */
interface Signature {
  readonly args: PromType[];
  readonly min: number;
  readonly max: number;
  readonly ret: PromType;
}

function sig(args: PromType[], ret: PromType = V, min = args.length, max = args.length): Signature {
  return { args, ret, min, max };
}

const OVER_TIME = ['avg', 'min', 'max', 'sum', 'count', 'stddev', 'stdvar', 'last', 'present', 'absent'];
const MATH = ['abs', 'ceil', 'floor', 'exp', 'ln', 'log2', 'log10', 'sqrt', 'sgn', 'deg', 'rad', 'absent', 'sort', 'sort_desc', 'timestamp',
  'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cos', 'cosh', 'sin', 'sinh', 'tan', 'tanh',
  'histogram_count', 'histogram_sum', 'histogram_avg', 'histogram_stddev', 'histogram_stdvar'];
const RANGE = ['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'resets', 'changes', ...OVER_TIME.map(f => `${f}_over_time`)];
const CLOCK = ['day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year'];

/** The stable functions of Prometheus (promql/parser/functions.go), without the experimental ones. */
const FUNCTIONS: Record<string, Signature> = {
  ...Object.fromEntries(MATH.map(f => [f, sig([V])])),
  ...Object.fromEntries(RANGE.map(f => [f, sig([M])])),
  ...Object.fromEntries(CLOCK.map(f => [f, sig([V], V, 0, 1)])),
  clamp: sig([V, S, S]),
  clamp_max: sig([V, S]),
  clamp_min: sig([V, S]),
  round: sig([V, S], V, 1, 2),
  histogram_quantile: sig([S, V]),
  histogram_fraction: sig([S, S, V]),
  quantile_over_time: sig([S, M]),
  predict_linear: sig([M, S]),
  holt_winters: sig([M, S, S]),
  label_replace: sig([V, STR, STR, STR, STR]),
  label_join: sig([V, STR, STR, STR], V, 3, Infinity),
  scalar: sig([V], S),
  vector: sig([S]),
  time: sig([], S),
  pi: sig([], S),
};

/** Aggregation operators: the type of their parameter, if they take one (promql/parser/parse.go). */
const AGGREGATIONS: Record<string, PromType | undefined> = {
  sum: undefined,
  avg: undefined,
  min: undefined,
  max: undefined,
  count: undefined,
  stddev: undefined,
  stdvar: undefined,
  group: undefined,
  topk: S,
  bottomk: S,
  quantile: S,
  count_values: STR,
};

const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET = new Set(['and', 'or', 'unless']);
/** Node names of syntax that only Prometheus' experimental features accept. */
const EXPERIMENTAL: Record<string, string> = {
  SmoothedExpr: 'the "smoothed" modifier',
  AnchoredExpr: 'the "anchored" modifier',
  FillModifier: 'the fill() modifiers',
  TrimUpper: 'the "</" operator',
  TrimLower: 'the ">/" operator',
};

/** A type error: where (offset into the expression) and what was expected. */
export interface PromQLTypeError {
  readonly offset: number;
  readonly message: string;
}

class TypeErr extends Error {
  constructor(readonly node: SyntaxNode, message: string) {
    super(message);
  }
}

const a = (t: PromType) => (t === 'instant vector' ? 'an' : 'a') + ' ' + t;

/** The expression children of a node (lezer-promql groups every expression node as `Expr`). */
function exprs(node: SyntaxNode | null): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node?.firstChild ?? null; c; c = c.nextSibling) {
    if (c.type.is('Expr')) out.push(c);
  }
  return out;
}

class Checker {
  constructor(private readonly src: string) {}

  text(node: SyntaxNode): string {
    return this.src.slice(node.from, node.to);
  }

  /** The text of a node for a message: quoted (a string literal as written), shortened. */
  show(node: SyntaxNode): string {
    const t = this.text(node);
    const short = t.length > 40 ? `${t.slice(0, 39)}…` : t;
    return node.name === 'StringLiteral' ? short : `"${short}"`;
  }

  typeOf(node: SyntaxNode): PromType {
    const experimental = EXPERIMENTAL[node.name];
    if (experimental) throw new TypeErr(node, `${experimental} is an experimental Prometheus feature, not accepted by a default Prometheus`);
    node.getChildren('DurationExpr').forEach((d, i) => {
      if (d.firstChild?.name !== 'NumberDurationLiteralInDurationContext' || d.firstChild.nextSibling) {
        throw new TypeErr(d, 'duration expressions (arithmetic, step(), min_of() …) are an experimental Prometheus feature: write a plain duration such as 5m');
      }
      const isRange = i === 0 && (node.name === 'MatrixSelector' || node.name === 'SubqueryExpr');
      this.checkDuration(d, isRange);
    });
    for (const d of node.getChildren('OffsetDurationExpr')) this.checkDuration(d, false);
    if (node.name === 'VectorSelector') this.checkMetricName(node);
    switch (node.name) {
      case 'NumberDurationLiteral': return S;
      case 'StringLiteral': return STR;
      case 'VectorSelector': return V;
      case 'ParenExpr': return this.typeOf(exprs(node)[0]);
      case 'UnaryExpr': return this.operand(exprs(node)[0], `the operator "${this.text(node.getChild('UnaryOp')!)}"`);
      case 'MatrixSelector': {
        const inner = exprs(node)[0];
        if (inner.name === 'BinaryExpr' || inner.name === 'UnaryExpr') {
          // lezer-promql binds [range] looser than Prometheus does: "a + b[5m]" is a + (b[5m]) there
          let operand = inner;
          while (operand.name === 'BinaryExpr' || operand.name === 'UnaryExpr') operand = exprs(operand).slice(-1)[0];
          const op = this.text(operand.prevSibling!).toLowerCase();
          throw new TypeErr(operand, `the operator "${op}" takes scalars and instant vectors, got a range vector "${this.src.slice(operand.from, node.to)}"`);
        }
        if (inner.name === 'VectorSelector') this.checkMetricName(inner);
        if (inner.name !== 'VectorSelector') {
          throw new TypeErr(inner, `a range [${this.text(node.getChild('DurationExpr')!)}] applies only to a metric selector such as x{a="b"}, not to "${this.text(inner)}" (use a subquery [range:step] for expressions)`);
        }
        return M;
      }
      case 'SubqueryExpr': {
        const inner = exprs(node)[0];
        const t = this.typeOf(inner);
        if (t !== V) throw new TypeErr(inner, `a subquery applies only to an instant vector, got ${a(t)}`);
        return M;
      }
      case 'OffsetExpr': return this.modifier(node, 'offset');
      case 'StepInvariantExpr': return this.modifier(node, '@');
      case 'BinaryExpr': return this.binary(node);
      case 'FunctionCall': return this.call(node);
      case 'AggregateExpr': return this.aggregate(node);
      default: throw new TypeErr(node, `unexpected ${node.name}`);
    }
  }

  /** Prometheus 2 reads a duration only with its unit; a range (of a selector or subquery) must be positive. */
  checkDuration(d: SyntaxNode, isRange: boolean): void {
    const text = this.text(d);
    if (!/^-?([0-9]+(ms|[smhdwy]))+$/.test(text)) {
      throw new TypeErr(d, `"${text}" is not a duration: a number needs its unit, e.g. 5m, 30s or 1h30m`);
    }
    if (isRange && !/[1-9]/.test(text)) {
      throw new TypeErr(d, `the range [${text}] is empty: it must be greater than 0, e.g. [5m]`);
    }
  }

  /** A selector names its metric once: `foo{__name__="bar"}` is refused by Prometheus. */
  checkMetricName(selector: SyntaxNode): void {
    const metric = selector.getChild('Identifier');
    if (!metric) return;
    const name = selector.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher').map(m => m.getChild('LabelName')).find(l => l && this.text(l) === '__name__');
    if (name) throw new TypeErr(name, `the metric name is set twice, as "${this.text(metric)}" and with __name__: use one of them`);
  }

  /** An operand of an arithmetic, comparison or unary operator: a scalar or an instant vector. */
  operand(node: SyntaxNode, what: string): PromType {
    const t = this.typeOf(node);
    if (t !== S && t !== V) throw new TypeErr(node, `${what} takes scalars and instant vectors, got ${a(t)} ${this.show(node)}`);
    return t;
  }

  /** `offset` and `@` follow a selector or a subquery, each at most once. */
  modifier(node: SyntaxNode, kw: string): PromType {
    const inner = exprs(node)[0];
    const seen = (n: SyntaxNode): boolean => n.name === node.name || ((n.name === 'OffsetExpr' || n.name === 'StepInvariantExpr') && seen(exprs(n)[0]));
    if (seen(inner)) throw new TypeErr(node, `"${kw}" may not be set more than once`);
    let base = inner;
    while (base.name === 'OffsetExpr' || base.name === 'StepInvariantExpr') base = exprs(base)[0];
    if (!['VectorSelector', 'MatrixSelector', 'SubqueryExpr'].includes(base.name)) {
      throw new TypeErr(inner, `"${kw}" must follow a metric selector, a range selector or a subquery, not "${this.text(inner)}"`);
    }
    return this.typeOf(inner);
  }

  binary(node: SyntaxNode): PromType {
    const [left, right] = exprs(node);
    const opNode = left.nextSibling!;
    const op = this.text(opNode).toLowerCase();
    const fill = node.getChild('FillModifier');
    const experimental = EXPERIMENTAL[opNode.name] ?? (fill ? EXPERIMENTAL.FillModifier : undefined);
    if (experimental) throw new TypeErr(fill ?? opNode, `${experimental} is an experimental Prometheus feature, not accepted by a default Prometheus`);
    const bool = node.getChild('BoolModifier');
    const matching = node.getChild('MatchingModifierClause');
    if (SET.has(op)) {
      for (const side of [left, right]) {
        const t = this.typeOf(side);
        if (t !== V) throw new TypeErr(side, `the set operator "${op}" needs instant vectors on both sides, got ${a(t)} ${this.show(side)}`);
      }
      if (matching?.getChild('GroupLeft') || matching?.getChild('GroupRight')) {
        throw new TypeErr(matching, `no group_left/group_right allowed with the set operator "${op}"`);
      }
    }
    const what = `the operator "${op}"`;
    const lt = SET.has(op) ? V : this.operand(left, what);
    const rt = SET.has(op) ? V : this.operand(right, what);
    if (bool && !COMPARISON.has(op)) throw new TypeErr(bool, `"bool" applies only to comparison operators, not to "${op}"`);
    if (lt === S && rt === S) {
      if (COMPARISON.has(op) && !bool) throw new TypeErr(opNode, 'a comparison between two scalars needs "bool" (e.g. "1 > bool 0")');
      if (matching) throw new TypeErr(matching, 'on()/ignoring() apply only between two instant vectors');
      return S;
    }
    if (matching && (lt === S || rt === S)) throw new TypeErr(matching, 'on()/ignoring() apply only between two instant vectors');
    return V;
  }

  call(node: SyntaxNode): PromType {
    const name = this.text(node.getChild('FunctionIdentifier')!);
    const fn = FUNCTIONS[name];
    if (!fn) {
      throw new TypeErr(node, `function "${name}" is not a stable Prometheus function (experimental or unknown); see https://prometheus.io/docs/prometheus/latest/querying/functions/`);
    }
    const args = exprs(node.getChild('FunctionCallBody'));
    if (args.length < fn.min || args.length > fn.max) {
      const n = fn.min === fn.max ? `${fn.min}` : fn.max === Infinity ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
      throw new TypeErr(node, `function "${name}" takes ${n} argument(s), got ${args.length}`);
    }
    args.forEach((arg, i) => this.expect(arg, fn.args[Math.min(i, fn.args.length - 1)], `argument ${i + 1} of "${name}"`));
    return fn.ret;
  }

  aggregate(node: SyntaxNode): PromType {
    const op = this.text(node.getChild('AggregateOp')!).toLowerCase();
    if (!(op in AGGREGATIONS)) {
      throw new TypeErr(node, `aggregation "${op}" is an experimental Prometheus feature, not accepted by a default Prometheus`);
    }
    const param = AGGREGATIONS[op];
    const args = exprs(node.getChild('FunctionCallBody'));
    const want = param ? 2 : 1;
    if (args.length !== want) {
      throw new TypeErr(node, `aggregation "${op}" takes ${want} argument(s)${param ? ` (a ${param} parameter, then an instant vector)` : ''}, got ${args.length}`);
    }
    if (param) this.expect(args[0], param, `the parameter of "${op}"`);
    this.expect(args[want - 1], V, `the argument of "${op}"`);
    return V;
  }

  expect(node: SyntaxNode, want: PromType, what: string): void {
    const got = this.typeOf(node);
    if (got !== want) throw new TypeErr(node, `expected ${a(want)} as ${what}, got ${a(got)} ${this.show(node)}`);
  }
}

/**
 * Type-checks a syntactically valid PromQL expression the way Prometheus does when it
 * loads a rule: function and aggregation argument types and arity, operator operand
 * types, and (when `rule`) that the result is an instant vector or a scalar.
 * Returns the first error, or undefined.
 */
export function findPromQLTypeError(tree: { topNode: SyntaxNode }, expr: string, rule: boolean): PromQLTypeError | undefined {
  const top = exprs(tree.topNode)[0];
  try {
    const t = new Checker(expr).typeOf(top);
    if (rule && t !== V && t !== S) {
      return { offset: top.from, message: `a rule expression must result in an instant vector or a scalar, got ${a(t)}` };
    }
    return undefined;
  } catch (e) {
    if (e instanceof TypeErr) return { offset: e.node.from, message: e.message };
    throw e;
  }
}

/** True when `name` is a stable Prometheus function. */
export function isPromFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}
