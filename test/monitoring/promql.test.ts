import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { AlertRules, TomcatApp, TomcatMetrics, WarArtifact } from '../../src';
import { checkPromDuration, checkPromQL, findPromQLError, isPromDuration } from '../../src/monitoring/promql';
import { synthValid } from '../fixtures/validate';

describe('PromQL parsing (lezer-promql, the Prometheus UI grammar)', () => {
  test.each([
    'up == 0',
    'sum by (namespace) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (namespace) (rate(http_requests_total[5m])) > 0.05',
    'predict_linear(node_filesystem_avail_bytes[6h], 24 * 3600) < 0',
    'a / ignoring (instance, job, type) (b > 0) > 0.9',
    'max_over_time(x{reason="CrashLoopBackOff"}[5m]) >= 1',
    '(sum(rate(x[5m])) or vector(0)) <= (count(up == 1) or vector(0)) * 0.165',
    'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))',
    'x offset 1h',
    'rate(x[5m:30s])',
    'sum(\n  rate(x[5m])\n)',
  ])('accepts %s', (expr) => {
    expect(findPromQLError(expr)).toBeUndefined();
  });

  test.each([
    ['sum(rate(x[5m]) by (a)', 1, 17],
    ['foo{a="b"', 1, 10],
    ['1 +', 1, 4],
    ['rate(x[5x])', 1, 9],
    ['unknown_function(x)', 1, 17],
    ['sum(\n  rate(x[5m]) +\n)', 3, 1],
  ])('rejects %s and says where', (expr, line, column) => {
    const err = findPromQLError(expr as string);
    expect(err).toBeDefined();
    expect([err!.line, err!.column]).toEqual([line, column]);
  });

  test('checkPromQL: the error names the field, shows the expression and the position', () => {
    const chart = Testing.chart();
    expect(() => checkPromQL(chart, 'groups[a].rules[B].expr', 'sum(rate(x[5m]) by (a)'))
      .toThrow('groups[a].rules[B].expr: "sum(rate(x[5m]) by (a)" is not valid PromQL: syntax error at column 17 (offset 16) near "by (a)"');
    expect(() => checkPromQL(chart, 'expr', '1 +')).toThrow(/"1 \+" is not valid PromQL: .* near end of input/);
    expect(() => checkPromQL(chart, 'expr', '  ')).toThrow('expr: "  " is not a PromQL expression: it must not be empty');
  });
});

describe('PromQL types (what Prometheus checks when it loads a rule)', () => {
  test.each([
    'sum by (job) (rate(x{a="b"}[5m] offset 1m)) > 2 and on (job) topk(3, y)',
    'histogram_quantile(0.9, sum by (le) (rate(b[5m])))',
    'count_values("v", x)',
    'quantile(0.9, x)',
    'label_replace(x, "dst", "$1", "src", "(.*)")',
    'label_join(x, "dst", ",")',
    'round(x)', 'round(x, 0.5)', 'clamp(x, 0, 1)', 'days_in_month()', 'hour(timestamp(x))',
    'scalar(x) > bool 1', '1 > bool 2', 'time()', 'vector(time()) * 2', 'pi()', '1',
    'max_over_time(rate(x[5m])[1h:1m])', 'x @ start()', 'rate(x[5m:] @ 100)',
    'x * on (a) group_left (b) y', 'SUM(x)', '-x', '-(x + 1)', 'absent_over_time(x[5m])',
  ])('accepts %s', (expr) => {
    expect(findPromQLError(expr)).toBeUndefined();
  });

  test.each([
    // [expression, column, message]
    ['rate(http_requests_total)', 6, 'expected a range vector as argument 1 of "rate", got an instant vector "http_requests_total"'],
    ['http_requests_total[5m]', 1, 'a rule expression must result in an instant vector or a scalar, got a range vector'],
    ['abs("s")', 5, 'expected an instant vector as argument 1 of "abs", got a string "s"'],
    ['x[5m] * 2', 1, 'the operator "*" takes scalars and instant vectors, got a range vector "x[5m]"'],
    ['rate(x[5m]) + x[5m]', 15, 'the operator "+" takes scalars and instant vectors, got a range vector "x[5m]"'],
    ['-x[5m]', 2, 'the operator "-" takes scalars and instant vectors, got a range vector "x[5m]"'],
    ['up == 0 and 1', 13, 'the set operator "and" needs instant vectors on both sides, got a scalar "1"'],
    ['vector(1) unless 0', 18, 'the set operator "unless" needs instant vectors on both sides, got a scalar "0"'],
    ['clamp_max(x)', 1, 'function "clamp_max" takes 2 argument(s), got 1'],
    ['round(x, 1, 2)', 1, 'function "round" takes 1 to 2 argument(s), got 3'],
    ['time(x)', 1, 'function "time" takes 0 argument(s), got 1'],
    ['label_join(x, "dst")', 1, 'function "label_join" takes at least 3 argument(s), got 2'],
    ['sum(x, y)', 1, 'aggregation "sum" takes 1 argument(s), got 2'],
    ['topk(y)', 1, 'aggregation "topk" takes 2 argument(s) (a scalar parameter, then an instant vector), got 1'],
    ['topk(x, y)', 6, 'expected a scalar as the parameter of "topk", got an instant vector "x"'],
    ['count_values(1, x)', 14, 'expected a string as the parameter of "count_values", got a scalar "1"'],
    ['sum(x[5m])', 5, 'expected an instant vector as the argument of "sum", got a range vector "x[5m]"'],
    ['clamp_min(x, y)', 14, 'expected a scalar as argument 2 of "clamp_min", got an instant vector "y"'],
    ['1 > 2', 3, 'a comparison between two scalars needs "bool"'],
    ['x + bool y', 5, '"bool" applies only to comparison operators, not to "+"'],
    ['1 * on (a) x', 5, 'on()/ignoring() apply only between two instant vectors'],
    ['x and on (a) group_left y', 7, 'no group_left/group_right allowed with the set operator "and"'],
    ['(x) offset 1m', 1, '"offset" must follow a metric selector, a range selector or a subquery, not "(x)"'],
    ['x offset 1m offset 2m', 1, '"offset" may not be set more than once'],
    ['rate((x)[5m])', 6, 'a range [5m] applies only to a metric selector'],
    ['max_over_time(x[5m][1h:1m])', 15, 'a subquery applies only to an instant vector, got a range vector'],
    ['"text"', 1, 'a rule expression must result in an instant vector or a scalar, got a string'],
    ['mad_over_time(x[5m])', 1, 'function "mad_over_time" is not a stable Prometheus function'],
    ['limitk(1, x)', 1, 'aggregation "limitk" is an experimental Prometheus feature'],
    ['x[5m+1m]', 3, 'duration expressions (arithmetic, step(), min_of() …) are an experimental Prometheus feature'],
  ])('rejects %s: column %d, %s', (expr, column, message) => {
    const err = findPromQLError(expr as string);
    expect(err).toMatchObject({ kind: 'type error', column });
    expect(err!.message).toContain(message);
  });

  test('an unknown function is named (the grammar knows every function name)', () => {
    expect(findPromQLError('foo(x)')).toMatchObject({ kind: 'syntax error', column: 4, message: expect.stringContaining('unknown function "foo"') });
    expect(findPromQLError('sum(rat(x[5m]))')).toMatchObject({ column: 8, message: expect.stringContaining('unknown function "rat"') });
    // a Prometheus 2 function that the grammar (Prometheus 3) no longer has
    expect(findPromQLError('holt_winters(x[5m], 0.5, 0.5)')!.message).toBe('function "holt_winters" is not supported by the PromQL grammar of this library');
  });

  test('outside a rule, a range vector result is allowed', () => {
    expect(findPromQLError('x[5m]', false)).toBeUndefined();
    expect(findPromQLError('rate(x)', false)).toMatchObject({ kind: 'type error' });
  });

  test('checkPromQL: the error names the field, shows the expression, the position and what was expected', () => {
    const chart = Testing.chart();
    expect(() => checkPromQL(chart, 'groups[g].rules[A].expr', 'rate(http_requests_total)')).toThrow(
      'test: groups[g].rules[A].expr: "rate(http_requests_total)" is not valid PromQL: type error at column 6 (offset 5) near "http_requests_total)": '
      + 'expected a range vector as argument 1 of "rate", got an instant vector "http_requests_total"');
    expect(() => checkPromQL(chart, 'groups[g].rules[B].expr', 'http_requests_total[5m]')).toThrow(
      'test: groups[g].rules[B].expr: "http_requests_total[5m]" is not valid PromQL: type error at column 1 (offset 0) near "http_requests_total[…": '
      + 'a rule expression must result in an instant vector or a scalar, got a range vector');
    expect(() => checkPromQL(chart, 'groups[g].rules[C].expr', 'abs("s")')).toThrow(
      'test: groups[g].rules[C].expr: "abs("s")" is not valid PromQL: type error at column 5 (offset 4) near ""s")": '
      + 'expected an instant vector as argument 1 of "abs", got a string "s"');
    expect(() => checkPromQL(chart, 'expr', 'foo(x) > 1')).toThrow(
      'expr: "foo(x) > 1" is not valid PromQL: syntax error at column 4 (offset 3) near "(x) > 1": unknown function "foo"');
  });

  test('AlertRules.addRule rejects a type error with the rule\'s field', () => {
    const rules = new AlertRules(Testing.chart(), 'alerts');
    expect(() => rules.addRule('shop', { alert: 'Rate', expr: 'rate(http_requests_total) > 1' }))
      .toThrow('test/alerts: groups[shop].rules[Rate].expr: "rate(http_requests_total) > 1" is not valid PromQL: type error at column 6');
  });

  test('every preset expression type-checks, with default and with changed options', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'shop', {
      namespace: 'shop', artifacts: [WarArtifact.fromImage('registry.example.com/shop/web:2.1.0', { path: '/app', wars: ['ROOT.war'] })],
    });
    const metrics = new TomcatMetrics(chart, 'metrics', { app });
    const defaults = new AlertRules(chart, 'defaults');
    defaults.addNodeAlerts();
    defaults.addClusterAlerts();
    defaults.addServiceAlerts(metrics);
    const changed = new AlertRules(chart, 'changed');
    changed.addNodeAlerts({ rateWindow: '2m', fillingUpWindow: '1h', fillingUpWithinHours: 4, loadPerCore: 1.5 });
    changed.addClusterAlerts({ job: 'ksm', quotaUsedPercent: 100 });
    changed.addServiceAlerts(metrics, { minRequestsPerSecond: 0, latencyMillis: 250 });
    const exprs: string[] = synthValid(chart).filter(o => o.kind === 'PrometheusRule')
      .flatMap(o => o.spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.expr)));
    expect(exprs.length).toBe(32);
    for (const expr of exprs) expect([expr, findPromQLError(expr)]).toEqual([expr, undefined]);
    // the type pass really looks at them: dropping a range from a rate() of a preset is a type error
    const withRate = exprs.filter(e => /rate\([^()]*\[[0-9a-z]+\]\)/.test(e));
    expect(withRate.length).toBeGreaterThan(5);
    for (const expr of withRate) {
      expect(findPromQLError(expr.replace(/(rate\([^()]*)\[[0-9a-z]+\]\)/, '$1)'))).toMatchObject({ kind: 'type error' });
    }
  });
});

describe('Prometheus durations', () => {
  test.each(['0', '5m', '1h30m', '500ms', '1y2w3d4h5m6s7ms', '90s', '0s'])('accepts %s', (d) => {
    expect(isPromDuration(d)).toBe(true);
  });

  test.each(['', '5', '5 m', '1.5h', '30m1h', '5M', '-5m', '1h1h', 'm', '10sec', '1ms5s'])('rejects %j', (d) => {
    expect(isPromDuration(d)).toBe(false);
  });

  test('checkPromDuration names the field and the value', () => {
    expect(() => checkPromDuration(Testing.chart(), 'cpuFor', '1.5h')).toThrow('cpuFor: "1.5h" is not a Prometheus duration');
  });

  test('property: every sequence of units in Prometheus order parses; out of order does not', () => {
    const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
    const parts = fc.array(fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(...units.keys())), { minLength: 1, maxLength: 7 });
    fc.assert(fc.property(parts, (ps) => {
      const idx = ps.map(p => p[1]);
      const ordered = idx.every((v, i) => i === 0 || v > idx[i - 1]);
      const text = ps.map(([n, u]) => `${n}${units[u]}`).join('');
      // "1m5s" is ordered; "5s1m" is not, and "1m1m" repeats a unit
      expect(isPromDuration(text)).toBe(ordered);
    }));
  });
});
