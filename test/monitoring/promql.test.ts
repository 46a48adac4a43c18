import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { checkPromDuration, checkPromQL, findPromQLError, isPromDuration } from '../../src/monitoring/promql';

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
