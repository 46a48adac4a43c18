import { war } from './helpers';
import { allowed, workloadEndpoints } from './policy-evaluator';
import { DataService, Tenant, TomcatApp, Warnings } from '../../src';
import { synthManifests, testChart } from '../fixtures/synth';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

describe('DataService', () => {
  test('a StatefulSet with a data volume per pod behind a headless Service, in the data tier, PSS restricted', () => {
    // GIVEN
    const chart = testChart();
    const t = new Tenant(chart, 'team-a');
    // WHEN
    const db = new DataService(t, 'orders-db', {
      image: 'registry.example.com/postgres:15',
      port: 5432,
      storageSize: '5Gi',
      storageClassName: 'fast',
      dataPath: '/var/lib/postgresql/data',
      writableDirs: ['/tmp', '/var/run/postgresql'],
      env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
    });
    // THEN
    const m = synthValid(chart);
    const sts = findObject(m, 'StatefulSet', 'orders-db');
    expect(sts.metadata.namespace).toBe('team-a');
    expect(sts.spec.serviceName).toBe('orders-db');
    expect(sts.spec.template.metadata.labels['cdk8s-paas.io/tier']).toBe('data');
    expect(sts.spec.selector.matchLabels).toEqual(db.selectorLabels);
    const c = sts.spec.template.spec.containers[0];
    expect(c.volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
      { name: 'scratch-0', mountPath: '/tmp' },
      { name: 'scratch-1', mountPath: '/var/run/postgresql' },
    ]);
    expect(c.env).toEqual([{ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }]);
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } },
    }]);
    const svc = findObject(m, 'Service', 'orders-db');
    expect(svc.spec.clusterIP).toBe('None');
    expect(svc.spec.selector).toEqual(db.selectorLabels);
    // no client yet: the data pods accept nothing and open nothing but DNS
    const iso = findObject(m, 'NetworkPolicy', 'orders-db-isolate').spec;
    expect(iso).toMatchObject({ order: 500, selector: '(app.kubernetes.io/name == "orders-db" && cdk8s-paas.io/tier == "data")', types: ['Ingress', 'Egress'] });
    expect(iso.ingress).toBeUndefined();
    expect(iso.egress.map((r: any) => `${r.action} ${r.protocol} ${r.destination.selector}:${r.destination.ports}`)).toEqual([
      'Allow UDP k8s-app == "kube-dns":53', 'Allow TCP k8s-app == "kube-dns":53',
    ]);
  });

  test('replicas reach each other; clients in another namespace are selected by namespace too', () => {
    const chart = testChart();
    const data = new Tenant(chart, 'team-a-data');
    const apps = new Tenant(chart, 'team-a');
    const shop = new TomcatApp(apps, 'shop', { artifacts: [war] });
    const db = new DataService(data, 'db', { image: 'registry.example.com/postgres:15', port: 5432, replicas: 2 });
    db.allowFrom(shop);
    const m = synthValid(chart);
    const policies = findObjects(m, 'NetworkPolicy');
    const eps = workloadEndpoints(m);
    const ep = (n: string) => eps.find(e => e.name === n)!;
    const db2 = { ...ep('db'), name: 'db-1' };
    expect(allowed(policies, ep('shop'), ep('db'), 5432)).toBe(true);
    expect(allowed(policies, ep('shop'), ep('db'), 5433)).toBe(false);
    expect(allowed(policies, ep('db'), db2, 5432)).toBe(true);
    expect(allowed(policies, ep('db'), ep('shop'), 8080)).toBe(false);
    expect(findObject(m, 'NetworkPolicy', 'db-from-shop').metadata.namespace).toBe('team-a-data');
    expect(findObject(m, 'NetworkPolicy', 'shop-to-db').metadata.namespace).toBe('team-a');
  });

  test('outside an isolated tenant it warns', () => {
    const chart = testChart();
    new DataService(chart, 'db', { image: 'registry.example.com/postgres:15', port: 5432 });
    expect(Warnings.collect(chart)).toEqual([expect.stringContaining('test/db: is not inside an isolated Tenant')]);
  });

  test.each([
    [{ image: 'Bad Image', port: 5432 }, 'image: "Bad Image" is not a valid image reference'],
    [{ image: 'postgres:15', port: 0 }, 'port: 0 is not a valid port'],
    [{ image: 'postgres:15', port: 5432, storageSize: 'big' }, 'storageSize: "big" is not a Kubernetes quantity'],
    [{ image: 'postgres:15', port: 5432, dataPath: 'data' }, 'dataPath: "data" is not a valid absolute path'],
    [{ image: 'postgres:15', port: 5432, replicas: -1 }, 'replicas: -1 must be an integer from 0 to 100'],
  ])('rejects %j', (props, message) => {
    expect(() => new DataService(testChart(), 'db', props as any)).toThrow(`test/db: ${message}`);
  });
});
