import * as fc from 'fast-check';
import { namespaceUsage, podFootprint } from '../../src/tenancy/budget';
import { fits, quantityValue, showQuantity } from '../../src/tenancy/quantity';

const none = { requests: {}, limits: {} };

describe('quantities', () => {
  test.each([
    ['500m', 0.5], ['2', 2], ['1.5', 1.5], ['1Gi', 2 ** 30], ['768Mi', 768 * 2 ** 20], ['1k', 1000], ['1e3', 1000], ['100M', 1e8], ['.5', 0.5],
  ])('%s = %d', (q, v) => expect(quantityValue(q)).toBeCloseTo(v, 9));

  test('not quantities', () => {
    for (const q of ['', 'lots', '1 Gi', '1gi', '--1']) expect(quantityValue(q)).toBeUndefined();
  });

  test('shown as written', () => {
    expect(showQuantity('requests.cpu', 0.55)).toBe('550m');
    expect(showQuantity('requests.cpu', 3)).toBe('3');
    expect(showQuantity('limits.memory', 3 * 2 ** 30)).toBe('3Gi');
    expect(showQuantity('requests.memory', 300 * 2 ** 20)).toBe('300Mi');
    expect(showQuantity('pods', 3)).toBe('3');
  });

  test('millicores add up exactly enough', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 4000 }), { maxLength: 50 }), (ms) => {
      const total = ms.reduce((s, m) => s + quantityValue(`${m}m`)!, 0);
      expect(fits(total, quantityValue(`${ms.reduce((a, b) => a + b, 0)}m`)!)).toBe(true);
    }));
  });
});

describe('effective pod requests', () => {
  const c = (name: string, cpu?: string, memory?: string) =>
    ({ name, resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } });

  test('max(largest init container, sum of containers) per resource, plus overhead', () => {
    const spec = {
      initContainers: [c('i1', '2', '64Mi'), c('i2', '500m', '1Gi')],
      containers: [c('a', '100m', '256Mi'), c('b', '200m', '256Mi')],
      overhead: { cpu: '50m' },
    };
    const { footprint } = podFootprint(spec, none);
    expect(footprint.requests.cpu).toBeCloseTo(2.05, 9);
    expect(footprint.requests.memory).toBe(2 ** 30);
  });

  test('an unset request takes the container\'s limit, else the LimitRange default', () => {
    const spec = { containers: [{ name: 'a', resources: { limits: { cpu: '300m' } } }, { name: 'b' }] };
    const { footprint } = podFootprint(spec, { requests: { cpu: 0.1, memory: 128 }, limits: { cpu: 1, memory: 512 } });
    expect(footprint.requests.cpu).toBeCloseTo(0.4, 9);
    expect(footprint.limits.cpu).toBeCloseTo(1.3, 9);
    expect(footprint.requests.memory).toBe(256);
  });

  test('property: the effective request is max(sum of containers, largest init container)', () => {
    const arb = fc.array(fc.integer({ min: 1, max: 8000 }), { minLength: 0, maxLength: 4 });
    fc.assert(fc.property(arb, fc.array(fc.integer({ min: 1, max: 8000 }), { minLength: 1, maxLength: 4 }), (inits, apps) => {
      const spec = { initContainers: inits.map((m, i) => c(`i${i}`, `${m}m`)), containers: apps.map((m, i) => c(`a${i}`, `${m}m`)) };
      const got = Math.round(podFootprint(spec, none).footprint.requests.cpu * 1000);
      const sum = apps.reduce((a, b) => a + b, 0);
      expect(got).toBe(Math.max(sum, ...inits));
    }));
  });

  test('namespace usage: replicas × pod, job parallelism, PVCs, service types', () => {
    const pod = (cpu: string) => ({ spec: { containers: [c('x', cpu)] } });
    const usage = namespaceUsage([
      { kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 3, template: pod('100m') } },
      { kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 2, template: pod('1') } },
      { kind: 'CronJob', metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: pod('1') } } } },
      { kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { resources: { requests: { storage: '5Gi' } } } },
      { kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } },
      { kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } },
      { kind: 'Secret', metadata: { name: 's' } },
    ], none);
    const total = (k: string) => (usage[k] ?? []).reduce((s, p) => s + p.amount, 0);
    expect(total('requests.cpu')).toBeCloseTo(3.3, 9);
    expect(total('pods')).toBe(6);
    expect(total('requests.storage')).toBe(5 * 2 ** 30);
    expect(total('persistentvolumeclaims')).toBe(1);
    expect(total('services')).toBe(2);
    expect(total('services.loadbalancers')).toBe(1);
    expect(total('services.nodeports')).toBe(3);
    expect(total('secrets')).toBe(1);
  });
});
