import { Testing } from 'cdk8s';
import { checkPromQL, findPromQLError } from '../../src/monitoring/promql';

// What the Prometheus server refuses when it loads a rule, and lezer-promql
// (the grammar of its web UI) accepts.
describe('PromQL the server refuses', () => {
  test.each([
    ['rate(x[0s])', 8, 'the range [0s] is empty: it must be greater than 0'],
    ['rate(x[0m0s])', 8, 'the range [0m0s] is empty'],
    ['max_over_time(x[0s:1m])', 17, 'the range [0s] is empty'],
    ['rate(x[5])', 8, '"5" is not a duration: a number needs its unit'],
    ['max_over_time(x[5m:30])', 20, '"30" is not a duration'],
    ['x offset 5', 10, '"5" is not a duration'],
    ['foo{__name__="bar"}', 5, 'the metric name is set twice, as "foo" and with __name__'],
    ['rate(foo{job="a", __name__=~"b.*"}[5m])', 19, 'the metric name is set twice'],
  ])('rejects %s: column %d, %s', (expr, column, message) => {
    const err = findPromQLError(expr);
    expect(err).toMatchObject({ kind: 'type error', column });
    expect(err!.message).toContain(message);
  });

  test.each(['rate(x[5m])', 'rate(x[1h30m])', 'max_over_time(x[1h:30s])', 'x offset 0s', '{__name__="foo", job="a"}', 'x[500ms] offset 1m'].map(e => [e]))(
    'accepts %s', (expr) => {
      expect(findPromQLError(expr, expr.includes('[') && !expr.includes('(') ? false : true)).toBeUndefined();
    });

  test('the ValidationError names the field, the expression and why', () => {
    const chart = Testing.chart();
    expect(() => checkPromQL(chart, 'groups[g].rules[A].expr', 'foo{__name__="bar"}'))
      .toThrow(/groups\[g\]\.rules\[A\]\.expr: "foo\{__name__="bar"\}" is not valid PromQL: type error at column 5 .*the metric name is set twice/);
  });
});
