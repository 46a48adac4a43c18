import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeVersion, PaasApp, PaasChart, ValidationError } from '../../src';

describe('KubeVersion', () => {
  test('parses and compares', () => {
    expect(KubeVersion.parse('1.27').toString()).toBe('1.27');
    expect(KubeVersion.parse('v1.27.3').toString()).toBe('1.27.3');
    expect(KubeVersion.parse('v1.27.3').minorString).toBe('1.27');
    expect(KubeVersion.parse('1.9').isOlderThan(KubeVersion.parse('1.27'))).toBe(true);
    expect(KubeVersion.parse('1.31').isAtLeast(KubeVersion.V1_27)).toBe(true);
    expect(KubeVersion.parse('1.27.1').compare(KubeVersion.parse('1.27.4'))).toBeLessThan(0);
    expect(KubeVersion.V1_27.nextMinor().toString()).toBe('1.28');
  });
  test('rejects bad versions with the value', () => {
    expect(() => KubeVersion.parse('1.x')).toThrow(ValidationError);
    expect(() => KubeVersion.parse('1.x')).toThrow(/kubeVersion: "1.x" is not a Kubernetes version: expected MAJOR.MINOR/);
  });
  test('one target per App, overridable per Chart, default 1.27', () => {
    expect(KubeVersion.of(Testing.chart()).toString()).toBe('1.27');
    const app = new PaasApp({ kubeVersion: KubeVersion.V1_24, outdir: '/tmp/unused' });
    const a = new PaasChart(app, 'a');
    const b = new PaasChart(app, 'b', { kubeVersion: KubeVersion.V1_31 });
    expect(KubeVersion.of(new Construct(a, 'x')).toString()).toBe('1.24');
    expect(KubeVersion.of(new Construct(b, 'x')).toString()).toBe('1.31');
    expect(b.kubeVersion.toString()).toBe('1.31');
  });
});

test('ValidationError is an Error with path and field', () => {
  const e = new ValidationError('a/b: f: "v" is bad', 'a/b', 'f');
  expect(e).toBeInstanceOf(Error);
  expect(e.stack).toMatch(/ValidationError: a\/b: f: "v" is bad/);
  expect(String(e)).toBe('ValidationError: a/b: f: "v" is bad');
  expect([e.path, e.field]).toEqual(['a/b', 'f']);
});
