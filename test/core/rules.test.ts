import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  DataService, InlineVolume, PaasApp, PaasChart, PersistentStorage, Peer, TomcatApp, TomcatRuntime, ValidationError, VolumeSource, WarArtifact,
} from '../../src';
import { isHostAddress, labelValueOf } from '../../src/core/names';
import { synthValid } from '../fixtures/validate';

const war = () => WarArtifact.fromImage('registry.example.com/shop/wars:1.0', { wars: ['ROOT.war'] });
const nfs = () => VolumeSource.nfs({ server: 'nfs.example.com', path: '/export' });

function expectRefused(fn: () => unknown, part: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(ValidationError.isValidationError(err)).toBe(true);
  expect((err as ValidationError).message).toContain(part);
}

describe('mount paths', () => {
  test('a volume over Tomcat\'s own /tmp is refused', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], replicas: 1 });
    const v = new InlineVolume(chart, 'scratch', { source: VolumeSource.emptyDir() });
    expectRefused(() => v.mountInApp(app, '/tmp'), 'test/scratch: path: "/tmp" is already the mount path of volume "tmp" in container "tomcat"');
  });
  test('two volumes on one path are refused', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], replicas: 1 });
    new InlineVolume(chart, 'a', { source: VolumeSource.emptyDir() }).mountInApp(app, '/data');
    expectRefused(() => new InlineVolume(chart, 'b', { source: VolumeSource.emptyDir() }).mountInApp(app, '/data'), 'test/b: path: "/data" is already the mount path of volume "a"');
  });
  test('a relative mount path is refused', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], replicas: 1 });
    expectRefused(() => new InlineVolume(chart, 'a', { source: VolumeSource.emptyDir() }).mountInApp(app, 'data'), 'path: "data" is not a valid absolute path');
  });
  test('subPath ../../etc is refused', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], replicas: 1 });
    expectRefused(() => new InlineVolume(chart, 'a', { source: VolumeSource.emptyDir() }).mountInApp(app, '/data', { subPath: '../../etc' }),
      'subPath: "../../etc" must be a relative path inside the volume');
  });
  test('mount propagation given any string is refused', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], replicas: 1 });
    expectRefused(() => new InlineVolume(chart, 'a', { source: VolumeSource.emptyDir() }).mountInApp(app, '/data', { propagation: 'Shared' as any }),
      'propagation: "Shared" must be a MountPropagation');
  });
  test('a valid mount still synthesizes valid manifests', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], replicas: 1 });
    new InlineVolume(chart, 'a', { source: VolumeSource.emptyDir({ sizeLimit: '1.5Gi' }) }).mountInApp(app, '/data', { subPath: 'app/logs', propagation: kplus.MountPropagation.NONE });
    const m = synthValid(chart);
    const mounts = m.find(o => o.kind === 'Deployment').spec.template.spec.containers[0].volumeMounts;
    expect(mounts).toContainEqual(expect.objectContaining({ mountPath: '/data', subPath: 'app/logs' }));
  });
});

describe('volume sources', () => {
  test('duplicate item paths are refused', () => {
    expectRefused(() => new InlineVolume(Testing.chart(), 'cfg', { source: VolumeSource.configMap({ name: 'app', items: { a: 'conf/x', b: 'conf//x' } }) }),
      'items.b: "conf//x" is also the path of key "a"');
  });
  test.each([
    ['NFS server with a newline', () => VolumeSource.nfs({ server: 'nfs.example.com\nrm -rf /', path: '/export' }), 'source.nfs.server'],
    ['NFS server with shell characters', () => VolumeSource.nfs({ server: 'nfs;reboot', path: '/export' }), 'source.nfs.server'],
    ['iSCSI portal with a space', () => VolumeSource.iscsi({ targetPortal: '10.0.0.1:3260 $(id)', iqn: 'iqn.2001-04.com.example:storage', lun: 0 }), 'source.iscsi.targetPortal'],
    ['Ceph monitor with a backtick', () => VolumeSource.rbd({ monitors: ['10.0.0.1:6789', '`id`'], image: 'img' }), 'source.rbd.monitors[1]'],
  ])('%s is refused', (_name, source, field) => {
    expectRefused(() => new PersistentStorage(Testing.chart(), 'd', { source: source(), capacity: '1Gi' }), `${field}:`);
    expectRefused(() => new PersistentStorage(Testing.chart(), 'd', { source: source(), capacity: '1Gi' }), 'is not a host address');
  });
  test.each(['nfs.example.com', '10.0.0.1:6789', '[fd00::1]:3260', 'fd00::1', 'Storage-01.corp'])('%s is a host address', h => {
    expect(isHostAddress(h)).toBe(true);
  });
  test.each(['', 'a b', 'x;y', 'host:0', 'host:99999', '[zz::1]', 'a\n'])('%j is not a host address', h => {
    expect(isHostAddress(h)).toBe(false);
  });
});

describe('names, namespaces and labels', () => {
  test('a chart namespace "Bad NS" is refused', () => {
    const app = new PaasApp({ outdir: '/tmp/never-written-rules' });
    expectRefused(() => new PaasChart(app, 'shop', { namespace: 'Bad NS' }), 'shop: namespace: "Bad NS" is not a valid DNS-1123 label');
  });
  test('PaasChart labels are checked', () => {
    const app = new PaasApp({ outdir: '/tmp/never-written-rules' });
    expectRefused(() => new PaasChart(app, 'shop', { labels: { team: 'a/b' } }), 'labels.team: "a/b" is not a valid label value');
  });
  test('a peer namespace that can never match is refused', () => {
    expectRefused(() => Peer.namespace('Ingress NGINX'), 'Peer.namespace: name: "Ingress NGINX" is not a valid DNS-1123 label');
    expectRefused(() => Peer.pods(kplus.Pods as any, 'shop_1'), 'Peer.pods: selector');
  });
  test('an id too long for a name is refused, not cut', () => {
    expectRefused(() => new TomcatApp(Testing.chart(), 'a'.repeat(70), { artifacts: [war()] }), 'name (derived from the construct id; set `name`)');
  });
  test('a db_config id gives a valid derived name', () => {
    expect(new TomcatApp(Testing.chart(), 'db_config', { artifacts: [war()] }).name).toBe('db-config');
  });
  test('a long image tag is hashed into the version label, not cut', () => {
    const tagA = `9.0-${'a'.repeat(70)}-x`;
    const tagB = `9.0-${'a'.repeat(70)}-y`;
    const label = (tag: string) => new TomcatApp(Testing.chart(), 'web', {
      artifacts: [war()], runtime: TomcatRuntime.fromImage(`registry.example.com/base/tomcat:${tag}`),
    }).labels['app.kubernetes.io/version'];
    expect(label(tagA)).not.toBe(label(tagB));
    expect(label(tagA).length).toBeLessThanOrEqual(63);
    expect(labelValueOf('9.0.85')).toBe('9.0.85');
  });
});

describe('DataService', () => {
  test('requests above the default limits are refused', () => {
    expectRefused(() => new DataService(Testing.chart(), 'db', { image: 'postgres:16', port: 5432, memoryRequest: '2Gi' }),
      'test/db: memoryRequest: "2Gi" is above the memory limit "1Gi"');
    expectRefused(() => new DataService(Testing.chart(), 'db', { image: 'postgres:16', port: 5432, cpuRequest: '2' }), 'cpuRequest: "2" is above the CPU limit "1"');
  });
  test('a zero storage size and a doubly mounted path are refused', () => {
    expectRefused(() => new DataService(Testing.chart(), 'db', { image: 'postgres:16', port: 5432, storageSize: '0' }), 'storageSize: "0" must be a quantity above zero');
    expectRefused(() => new DataService(Testing.chart(), 'db', { image: 'postgres:16', port: 5432, writableDirs: ['/tmp', '/tmp'] }), 'writableDirs[1]: "/tmp" is mounted twice');
  });
  test('a misspelt prop is refused', () => {
    expectRefused(() => new DataService(Testing.chart(), 'db', { image: 'postgres:16', port: 5432, replica: 2 } as any), 'replica: 2 is not a property of DataServiceProps (did you mean "replicas"?)');
  });
});

describe('PersistentStorage with a capacity the API server reads', () => {
  test('the capacity is written as given', () => {
    const chart = Testing.chart();
    new PersistentStorage(chart, 'd', { source: nfs(), capacity: '1.5Gi', namespace: 'shop' });
    const m = synthValid(chart);
    expect(m.find(o => o.kind === 'PersistentVolume').spec.capacity.storage).toBe('1.5Gi');
  });
});
