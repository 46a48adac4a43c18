import { SchemaValidator } from '../../src/validate/schema';
import { expectValidManifests } from '../fixtures/validate';

const pod = (extra: any = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36', ...extra }] },
});

describe('SchemaValidator (Kubernetes 1.27, strict)', () => {
  const v = SchemaValidator.k8s();

  test('a well-formed pod passes', () => {
    expect(v.validate(pod())).toEqual([]);
  });

  test('an unknown field is an error naming its pointer', () => {
    const findings = v.validate(pod({ imagePullPolicyy: 'Always' }));
    expect(findings).toContainEqual({ pointer: '/spec/containers/0/imagePullPolicyy', message: 'unknown field "imagePullPolicyy"' });
  });

  test('a wrong type is an error', () => {
    const findings = v.validate(pod({ ports: [{ containerPort: 'eighty' }] }));
    expect(findings.map(f => f.pointer)).toContain('/spec/containers/0/ports/0/containerPort');
  });

  test('a missing required field is an error', () => {
    const findings = v.validate({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ image: 'x' }] } });
    expect(findings).toContainEqual({ pointer: '/spec/containers/0', message: 'missing required field "name"' });
  });

  test('an unknown kind is an error', () => {
    expect(v.validate({ apiVersion: 'extensions/v1beta1', kind: 'Deployment' })[0].message).toMatch(/unknown apiVersion\/kind "extensions\/v1beta1\/Deployment"/);
  });

  test('int-or-string and quantity fields accept both forms', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }] } };
    expect(v.validate(svc)).toEqual([]);
    expect(v.validate(pod({ resources: { limits: { cpu: 1, memory: '1Gi' } } }))).toEqual([]);
  });

  test('expectValidManifests lists every problem', () => {
    expect(() => expectValidManifests([pod({ bogus: 1 })])).toThrow(/Pod\/p: schema: \/spec\/containers\/0\/bogus: unknown field "bogus"/);
  });
});

describe('SchemaValidator (custom resources)', () => {
  const v = SchemaValidator.k8s();
  const gnp = (spec: any) => ({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'deny' }, spec });

  test('Calico v3 objects are checked against the Calico CRD schema', () => {
    expect(v.validate(gnp({ order: 100, selector: 'all()', types: ['Ingress'] }))).toEqual([]);
    expect(v.validate(gnp({ selector: 'all()', typo: 1 }))).toContainEqual({ pointer: '/spec/typo', message: 'unknown field "typo"' });
    expect(v.knows('crd.projectcalico.org/v1', 'IPPool')).toBe(true);
  });

  test('prometheus-operator objects are checked against their CRDs (Go regexps translated)', () => {
    const rule = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'r' }, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '5m' }] }] } };
    expect(v.validate(rule)).toEqual([]);
    expect(v.validate({ ...rule, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: 'five minutes' }] }] } }).map(f => f.pointer))
      .toContain('/spec/groups/0/rules/0/for');
  });

  test('custom resource metadata is checked as ObjectMeta', () => {
    expect(v.validate({ ...gnp({ selector: 'all()' }), metadata: { name: 'x', lables: {} } })).toContainEqual({ pointer: '/metadata/lables', message: 'unknown field "lables"' });
  });
});
