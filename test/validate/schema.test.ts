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
