import * as kplus from 'cdk8s-plus-27';
import {
  InlineVolume, PaasChart, PersistentStorage, PodSecurity, PodSecurityLevel, TomcatApp, VolumeSource, WarArtifact,
} from '../../src';
import { synthManifests, testApp } from '../fixtures/synth';
import { findObject, synthValid } from '../fixtures/validate';

function setup(replicas: number) {
  const chart = new PaasChart(testApp(), 'c', { namespace: 'shop' });
  const web = new TomcatApp(chart, 'web', { replicas, artifacts: [WarArtifact.fromImage('registry.example.com/web:1', { wars: ['ROOT.war'] })] });
  return { chart, web };
}

function synthErrors(chart: PaasChart): string {
  try {
    synthManifests(chart);
    return '';
  } catch (e: any) {
    return e.message;
  }
}

const EBS = VolumeSource.awsElasticBlockStore({ volumeId: 'vol-1' });

describe('ReadWriteOnce / node-local volumes under several replicas', () => {
  test('an EBS PersistentVolume (ReadWriteOnce) under 3 replicas is an error naming the workload and the count', () => {
    const { chart, web } = setup(3);
    new PersistentStorage(chart, 'ebs', { source: EBS, capacity: '1Gi' }).mountInApp(web, '/data');
    expect(synthErrors(chart)).toContain('c/ebs: mounts[0]: "c/web/Deployment" runs 3 replicas, but volume "ebs" (awsElasticBlockStore) is ReadWriteOnce: it attaches to one node at a time');
  });

  test('the same under 1 replica is fine', () => {
    const { chart, web } = setup(1);
    new PersistentStorage(chart, 'ebs', { source: EBS, capacity: '1Gi' }).mountInApp(web, '/data');
    synthValid(chart);
  });

  test('an inline iSCSI LUN (ReadWriteOnce) under 2 replicas is an error', () => {
    const { chart, web } = setup(2);
    PodSecurity.allow(web, PodSecurityLevel.BASELINE, 'iscsi inline');
    new InlineVolume(chart, 'lun', { source: VolumeSource.iscsi({ targetPortal: '10.0.0.5', iqn: 'iqn.2020-01.com.example:x', lun: 0 }) }).mountInApp(web, '/lun');
    expect(synthErrors(chart)).toContain('c/lun: mounts[0]: "c/web/Deployment" runs 2 replicas, but volume "lun" (iscsi) is ReadWriteOnce, ReadOnlyMany');
  });

  test('a read-only GCE disk (ReadOnlyMany) may be shared by 3 replicas', () => {
    const { chart, web } = setup(3);
    new PersistentStorage(chart, 'assets', { source: VolumeSource.gcePersistentDisk({ pdName: 'assets', readOnly: true }), capacity: '1Gi' }).mountInApp(web, '/assets');
    synthValid(chart);
  });

  test('a read-only mount of a ReadOnlyMany claim may be shared', () => {
    const { chart, web } = setup(3);
    new PersistentStorage(chart, 'assets', {
      source: VolumeSource.iscsi({ targetPortal: '10.0.0.5', iqn: 'iqn.2020-01.com.example:x', lun: 0 }),
      capacity: '1Gi',
      accessModes: [kplus.PersistentVolumeAccessMode.READ_ONLY_MANY],
    }).mountInApp(web, '/assets', { readOnly: true });
    synthValid(chart);
  });

  test('emptyDir under 3 replicas is fine (each pod has its own)', () => {
    const { chart, web } = setup(3);
    new InlineVolume(chart, 'scratch', { source: VolumeSource.emptyDir({ sizeLimit: '1Gi' }) }).mountInApp(web, '/scratch');
    const d = findObject(synthValid(chart), 'Deployment');
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'scratch', emptyDir: { sizeLimit: '1Gi' } });
  });

  test('NFS through a PVC (ReadWriteMany) under 3 replicas is fine and stays restricted', () => {
    const { chart, web } = setup(3);
    new PersistentStorage(chart, 'shared', { source: VolumeSource.nfs({ server: 'nas', path: '/exports' }), capacity: '1Gi' }).mountInApp(web, '/shared');
    synthValid(chart, { podSecurity: PodSecurityLevel.RESTRICTED });
  });

  test('hostPath under 2 replicas is an error (node-local), under a DaemonSet it is not', () => {
    const { chart, web } = setup(2);
    PodSecurity.allow(web, PodSecurityLevel.PRIVILEGED, 'reads node logs');
    const logs = new InlineVolume(chart, 'logs', { source: VolumeSource.hostPath({ path: '/var/log' }) });
    logs.mountInApp(web, '/host/logs');
    expect(synthErrors(chart)).toContain('c/logs: mounts[0]: "c/web/Deployment" runs 2 replicas, but volume "logs" (hostPath) is node-local');

    const chart2 = new PaasChart(testApp(), 'c2');
    const ds = new kplus.DaemonSet(chart2, 'agent', { containers: [{ image: 'registry.example.com/agent:1' }] });
    PodSecurity.allow(ds, PodSecurityLevel.PRIVILEGED, 'node agent reading node logs');
    new InlineVolume(chart2, 'logs', { source: VolumeSource.hostPath({ path: '/var/log' }) }).mount(ds, '/host/logs', { readOnly: true });
    const m = synthValid(chart2, { podSecurity: PodSecurityLevel.PRIVILEGED });
    expect(findObject(m, 'DaemonSet').spec.template.spec.volumes).toEqual([{ name: 'logs', hostPath: { path: '/var/log' } }]);
  });
});

describe('Pod Security', () => {
  test('inline nfs under a restricted TomcatApp is an error pointing to PersistentStorage or a baseline opt-in', () => {
    const { chart, web } = setup(1);
    new InlineVolume(chart, 'nfs', { source: VolumeSource.nfs({ server: 'nas', path: '/exports' }) }).mountInApp(web, '/shared');
    const msg = synthErrors(chart);
    expect(msg).toContain('c/nfs: source.type: "nfs" makes the pods of c/web/Deployment fail Pod Security "restricted": nfs volumes need "baseline"');
    expect(msg).toContain('mount it through PersistentStorage');
    expect(msg).toContain('PodSecurity.allow(app, PodSecurityLevel.BASELINE, reason)');
  });

  test('with the app opted into baseline, inline nfs synthesizes (and meets baseline)', () => {
    const { chart, web } = setup(3);
    PodSecurity.allow(web, PodSecurityLevel.BASELINE, 'mounts the shared NFS export inline');
    new InlineVolume(chart, 'nfs', { source: VolumeSource.nfs({ server: 'nas', path: '/exports' }) }).mountInApp(web, '/shared');
    const d = findObject(synthValid(chart, { podSecurity: PodSecurityLevel.BASELINE }), 'Deployment');
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'nfs', nfs: { server: 'nas', path: '/exports' } });
  });

  test('hostPath needs privileged: baseline is not enough', () => {
    const { chart, web } = setup(1);
    PodSecurity.allow(web, PodSecurityLevel.BASELINE, 'not enough');
    new InlineVolume(chart, 'host', { source: VolumeSource.hostPath({ path: '/etc/ssl/certs' }) }).mountInApp(web, '/certs');
    expect(synthErrors(chart)).toContain('c/host: source.type: "hostPath" makes the pods of c/web/Deployment fail Pod Security "baseline": hostPath volumes need "privileged"');
  });

  test('secret, configMap and csi inline volumes are restricted-safe', () => {
    const { chart, web } = setup(3);
    new InlineVolume(chart, 's', { source: VolumeSource.secret({ secretName: 'creds' }) }).mountInApp(web, '/s');
    new InlineVolume(chart, 'cm', { source: VolumeSource.configMap({ name: 'conf' }) }).mountInApp(web, '/cm');
    new InlineVolume(chart, 'csi', { source: VolumeSource.csi({ driver: 'secrets-store.csi.k8s.io', readOnly: true }) }).mountInApp(web, '/csi');
    synthValid(chart);
  });
});

test('all cross-object errors are reported at once', () => {
  const { chart, web } = setup(3);
  new InlineVolume(chart, 'a', { source: EBS }).mountInApp(web, '/a');
  new InlineVolume(chart, 'b', { source: VolumeSource.hostPath({ path: '/x' }) }).mountInApp(web, '/b');
  const msg = synthErrors(chart);
  expect(msg).toContain('c/a: mounts[0]');
  expect(msg).toContain('c/a: source.type: "awsElasticBlockStore" makes the pods');
  expect(msg).toContain('c/b: mounts[0]');
  expect(msg).toContain('c/b: source.type: "hostPath" makes the pods');
});

test('a StatefulSet\'s replicas count too; an autoscaled one counts as several', () => {
  const chart = new PaasChart(testApp(), 'c');
  const sts = new kplus.StatefulSet(chart, 'db', {
    replicas: 3,
    containers: [{ image: 'registry.example.com/db:1' }],
    service: new kplus.Service(chart, 'svc', { ports: [{ port: 5432 }], clusterIP: 'None' }),
  });
  new PersistentStorage(chart, 'disk', { source: EBS, capacity: '1Gi' }).mount(sts, '/var/lib/db');
  expect(synthErrors(chart)).toContain('c/disk: mounts[0]: "c/db" runs 3 replicas');
});

test('mounting into a workload without containers is an error naming it', () => {
  const chart = new PaasChart(testApp(), 'c');
  const d = new kplus.Deployment(chart, 'empty');
  expect(() => new InlineVolume(chart, 'v', { source: VolumeSource.emptyDir() }).mount(d, '/x'))
    .toThrow('c/v: workload: "c/empty" has no container to mount into');
});
