import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PersistentStorage, PodSecurity, PodSecurityLevel, Tenant, TomcatApp, ValidationError, VolumeSource, Warnings, WarArtifact } from '../../src';
import { findObject, synthValid } from '../fixtures/validate';

const war = () => WarArtifact.fromImage('registry.example.com/shop/wars:1.0', { wars: ['ROOT.war'] });
const iscsi = () => VolumeSource.iscsi({ targetPortal: '10.0.0.1:3260', iqn: 'iqn.2001-04.com.example:storage', lun: 0 });
const nfs = () => VolumeSource.nfs({ server: 'nfs.example.com', path: '/export' });

describe('a ReadWriteOnce volume under one replica with the default maxSurge', () => {
  test('the rollout is made safe: maxSurge 0, maxUnavailable 1, and a warning says so', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], replicas: 1, namespace: 'shop' });
    const disk = new PersistentStorage(chart, 'disk', { source: iscsi(), capacity: '10Gi', namespace: 'shop' });
    disk.mountInApp(app, '/data');
    const m = synthValid(chart);
    const d = findObject(m, 'Deployment');
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(Warnings.collect(chart).join('\n')).toContain('test/disk: mounts: test/web/Deployment runs one replica on volume "disk" (ReadWriteOnce');
  });
  test('a ReadWriteMany volume keeps the surge', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], replicas: 1, namespace: 'shop' });
    new PersistentStorage(chart, 'disk', { source: nfs(), capacity: '10Gi', namespace: 'shop', accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY] })
      .mountInApp(app, '/data');
    expect(findObject(synthValid(chart), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(Warnings.collect(chart).join('\n')).not.toContain('runs one replica on volume');
  });
  test('an app that already replaces its pod gets no warning', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', {
      artifacts: [war()], replicas: 1, namespace: 'shop', maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.absolute(1),
    });
    new PersistentStorage(chart, 'disk', { source: iscsi(), capacity: '10Gi', namespace: 'shop' }).mountInApp(app, '/data');
    synthValid(chart);
    expect(Warnings.collect(chart).join('\n')).not.toContain('runs one replica on volume');
  });
});

describe('PodSecurity.allow for a workload whose namespace carries no pod-security label', () => {
  test('outside a Tenant: a warning names the label to set', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], namespace: 'shop' });
    PodSecurity.allow(app, PodSecurityLevel.BASELINE, 'mounts an in-tree volume');
    synthValid(chart, { podSecurity: PodSecurityLevel.BASELINE });
    expect(Warnings.collect(chart).join('\n'))
      .toContain('test/web: podSecurity: "baseline" is opted in to, but the app does not declare namespace "shop" with the label pod-security.kubernetes.io/enforce: baseline');
  });
  test('inside a Tenant of that level: the tenant labels its namespace, no warning', () => {
    const chart = Testing.chart();
    const tenant = new Tenant(chart, 'shop', { podSecurity: PodSecurityLevel.BASELINE });
    const app = new TomcatApp(tenant, 'web', { artifacts: [war()] });
    PodSecurity.allow(app, PodSecurityLevel.BASELINE, 'mounts an in-tree volume');
    const m = synthValid(chart, { podSecurity: PodSecurityLevel.BASELINE });
    expect(findObject(m, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(Warnings.collect(chart).join('\n')).not.toContain('is opted in to');
  });
  test('a level given as any string is refused', () => {
    const chart = Testing.chart();
    expect(() => PodSecurity.allow(chart, 'permissive' as any, 'x')).toThrow(ValidationError);
    expect(() => PodSecurity.allow(chart, 'permissive' as any, 'x')).toThrow('level: "permissive" must be a PodSecurityLevel');
  });
});
