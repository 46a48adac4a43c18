import { SchemaValidator } from '../../src/validate/schema';

// The shipped CRDs are parsed on first need, the kind's own file first
// (`<group>_<plural>.yaml`); every other file only for a kind not found there.
// A fresh module registry per test file gives a fresh validator.

const calicoPolicy = {
  apiVersion: 'projectcalico.org/v3',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace: 'n' },
  spec: { selector: 'all()', types: ['Ingress'], ingress: [{ action: 'Allow' }] },
};

describe('SchemaValidator: shipped CRDs', () => {
  const v = SchemaValidator.k8s();

  test('a kind is found through its own file, aliases included', () => {
    expect(v.validate(calicoPolicy)).toEqual([]);
    expect(v.knows('crd.projectcalico.org/v1', 'NetworkPolicy')).toBe(true);
    expect(v.validate({ ...calicoPolicy, spec: { ...calicoPolicy.spec, ingress: [{ action: 'Accept' }] } }).map(f => f.pointer))
      .toContain('/spec/ingress/0/action');
    expect(v.knows('monitoring.coreos.com/v1', 'PrometheusRule')).toBe(true);
  });

  test('a kind without its own file is looked up in every file, and an unknown kind stays unknown', () => {
    expect(v.knows('projectcalico.org/v3', 'NoSuchKind')).toBe(false);
    expect(v.knows('monitoring.coreos.com/v1', 'ServiceMonitor')).toBe(true);
    expect(v.validate({ apiVersion: 'projectcalico.org/v3', kind: 'NoSuchKind', metadata: { name: 'x' } })[0].message)
      .toMatch(/unknown apiVersion\/kind "projectcalico.org\/v3\/NoSuchKind"/);
  });
});
