import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import {
  InlineVolume, KubeVersion, PaasApp, PaasChart, PersistentStorage, PluginStatus, PodSecurity, PodSecurityLevel,
  TomcatApp, VolumePlugins, VolumeSource, WarArtifact, Warnings,
} from '../../src';
import { synthManifests, testApp } from '../fixtures/synth';
import { findObject, synthValid } from '../fixtures/validate';

const S = PluginStatus.SUPPORTED;
const D = PluginStatus.DEPRECATED;
const M = PluginStatus.CSI_MIGRATED;
const R = PluginStatus.REMOVED;

// The availability table, read off data/volume-plugins.json by hand:
// removed without a finished CSI migration → REMOVED; migration GA (in-tree code
// gone or not) → CSI_MIGRATED; deprecated → DEPRECATED.
const TABLE: { [type: string]: [PluginStatus, PluginStatus, PluginStatus, string | undefined] } = {
  //                     1.24  1.27  1.31  replacement named
  emptyDir: [S, S, S, undefined],
  hostPath: [S, S, S, undefined],
  secret: [S, S, S, undefined],
  configMap: [S, S, S, undefined],
  nfs: [S, S, S, undefined],
  iscsi: [S, S, S, undefined],
  csi: [S, S, S, undefined],
  awsElasticBlockStore: [D, M, M, 'ebs.csi.aws.com'],
  azureDisk: [M, M, M, 'disk.csi.azure.com'],
  azureFile: [D, M, M, 'file.csi.azure.com'],
  gcePersistentDisk: [D, M, M, 'pd.csi.storage.gke.io'],
  cinder: [M, M, M, 'cinder.csi.openstack.org'],
  vsphereVolume: [D, M, M, 'csi.vsphere.vmware.com'],
  cephfs: [S, S, R, 'cephfs.csi.ceph.com'],
  rbd: [S, S, R, 'rbd.csi.ceph.com'],
  glusterfs: [S, R, R, undefined],
  flocker: [D, R, R, undefined],
};
const VERSIONS = [KubeVersion.V1_24, KubeVersion.V1_27, KubeVersion.V1_31];

test('data/volume-plugins.json is the reference file, unchanged', () => {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const shipped = fs.readFileSync(path.join(repoRoot, 'data', 'volume-plugins.json'), 'utf-8');
  const reference = path.resolve(repoRoot, '..', 'shared', 'reference', 'volume-plugins.json');
  if (fs.existsSync(reference)) expect(shipped).toBe(fs.readFileSync(reference, 'utf-8'));
  expect(JSON.parse(shipped).plugins.length).toBeGreaterThan(15);
});

describe.each(Object.keys(TABLE))('%s', (type) => {
  const plugin = VolumePlugins.of(testApp()).plugins.find(p => (p as any).type === type)!;
  test.each(VERSIONS.map((v, i) => [v.minorString, v, TABLE[type][i]] as const))('at %s: %s', (_label, version, expected) => {
    const a = plugin.availability(version);
    expect(a.status).toBe(expected);
    if (expected !== S && TABLE[type][3]) expect(a.csiDriver).toBe(TABLE[type][3]);
  });
});

/** A restricted TomcatApp in a chart pinned to `version`, opted into baseline so in-tree inline volumes are allowed. */
function appAt(version: KubeVersion) {
  const app = testApp();
  const chart = new PaasChart(app, 'c', { kubeVersion: version });
  // one replica on node-attached disks: the rollout replaces the pod (else a warning says the library does)
  const web = new TomcatApp(chart, 'web', {
    replicas: 1,
    maxSurge: kplus.PercentOrAbsolute.absolute(0),
    maxUnavailable: kplus.PercentOrAbsolute.absolute(1),
    artifacts: [WarArtifact.fromImage('registry.example.com/web:1', { wars: ['ROOT.war'] })],
  });
  PodSecurity.allow(web, PodSecurityLevel.BASELINE, 'mounts in-tree network volumes inline');
  // the namespace the pods land in carries the level (else a warning says to label it)
  new kplus.k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'default', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
  return { app, chart, web };
}

const SOURCES: { [type: string]: VolumeSource } = {
  rbd: VolumeSource.rbd({ monitors: ['10.0.0.1:6789'], image: 'img' }),
  cephfs: VolumeSource.cephfs({ monitors: ['10.0.0.1:6789'] }),
  glusterfs: VolumeSource.glusterfs({ endpoints: 'gluster', path: 'vol' }),
  flocker: VolumeSource.flocker({ datasetName: 'ds' }),
  awsElasticBlockStore: VolumeSource.awsElasticBlockStore({ volumeId: 'vol-1' }),
  nfs: VolumeSource.nfs({ server: 'nas', path: '/x' }),
};

describe('synth errors for removed plugins', () => {
  test.each([
    ['1.27', KubeVersion.V1_27, 'glusterfs', 'removed in 1.26', 'no drop-in replacement'],
    ['1.27', KubeVersion.V1_27, 'flocker', 'removed in 1.25', 'no drop-in replacement'],
    ['1.31', KubeVersion.V1_31, 'rbd', 'removed in 1.31', 'rbd.csi.ceph.com'],
    ['1.31', KubeVersion.V1_31, 'cephfs', 'removed in 1.31', 'cephfs.csi.ceph.com'],
  ])('at %s, %s fails synth naming the replacement', (_l, version, type, removed, replacement) => {
    const { chart, web } = appAt(version);
    new InlineVolume(chart, 'vol', { source: SOURCES[type] }).mountInApp(web, '/data');
    let message = '';
    try {
      synthManifests(chart);
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toContain(`c/vol: source.type: "${type}" is not functional on Kubernetes ${version.minorString}`);
    expect(message).toContain(removed);
    expect(message).toContain(replacement);
  });

  test('a PersistentVolume of a removed plugin fails too', () => {
    const { chart } = appAt(KubeVersion.V1_31);
    new PersistentStorage(chart, 'vol', { source: SOURCES.rbd, capacity: '1Gi' });
    expect(() => synthManifests(chart)).toThrow(/c\/vol: source.type: "rbd" is not functional on Kubernetes 1.31.*rbd.csi.ceph.com/);
  });

  test('the same volumes synthesize at 1.24 (glusterfs) and 1.27 (rbd, cephfs)', () => {
    const a = appAt(KubeVersion.V1_24);
    new InlineVolume(a.chart, 'g', { source: SOURCES.glusterfs }).mountInApp(a.web, '/g');
    synthValid(a.chart, { podSecurity: PodSecurityLevel.BASELINE });
    expect(Warnings.collect(a.chart)).toEqual([]);
    const b = appAt(KubeVersion.V1_27);
    new InlineVolume(b.chart, 'r', { source: SOURCES.rbd }).mountInApp(b.web, '/r');
    new InlineVolume(b.chart, 'f', { source: SOURCES.cephfs }).mountInApp(b.web, '/f');
    synthValid(b.chart, { podSecurity: PodSecurityLevel.BASELINE });
    expect(Warnings.collect(b.chart)).toEqual([]);
  });

  test('the target version is the one shared setting: PaasApp({ kubeVersion }) reaches the volume', () => {
    const app = new PaasApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'storage-')), kubeVersion: KubeVersion.V1_31 });
    const chart = new PaasChart(app, 'c');
    new PersistentStorage(chart, 'vol', { source: SOURCES.cephfs, capacity: '1Gi' });
    expect(() => app.synth()).toThrow(/"cephfs" is not functional on Kubernetes 1.31/);
  });
});

describe('warnings for deprecated and CSI-migrated plugins', () => {
  test('1.24: awsElasticBlockStore is deprecated, naming ebs.csi.aws.com; flocker too (no CSI driver)', () => {
    const { chart, web } = appAt(KubeVersion.V1_24);
    new InlineVolume(chart, 'ebs', { source: SOURCES.awsElasticBlockStore }).mountInApp(web, '/ebs');
    new InlineVolume(chart, 'flocker', { source: SOURCES.flocker }).mountInApp(web, '/f');
    synthValid(chart, { podSecurity: PodSecurityLevel.BASELINE });
    const w = Warnings.collect(chart);
    expect(w).toHaveLength(2);
    expect(w[0]).toContain('c/ebs: source.type: "awsElasticBlockStore" (kubernetes.io/aws-ebs) is deprecated since Kubernetes 1.19; move to the CSI driver ebs.csi.aws.com');
    expect(w[1]).toContain('c/flocker: source.type: "flocker" (kubernetes.io/flocker) is deprecated since Kubernetes 1.22');
  });

  test('1.27: awsElasticBlockStore is CSI-migrated (in-tree removed), the warning names the driver and the CSI option', () => {
    const { chart } = appAt(KubeVersion.V1_27);
    new PersistentStorage(chart, 'ebs', { source: SOURCES.awsElasticBlockStore, capacity: '1Gi' });
    synthValid(chart);
    const w = Warnings.collect(chart);
    expect(w).toEqual(['c/ebs: source.type: "awsElasticBlockStore" (kubernetes.io/aws-ebs) is CSI-migrated on Kubernetes 1.27 (its in-tree driver was removed in 1.27): '
      + 'every operation goes to the CSI driver ebs.csi.aws.com, which must be installed in the cluster; useCsiDriver: true emits the CSI form instead']);
  });

  test('1.31: useCsiDriver emits the CSI form and no warning', () => {
    const { chart } = appAt(KubeVersion.V1_31);
    new PersistentStorage(chart, 'ebs', { source: VolumeSource.awsElasticBlockStore({ volumeId: 'aws://eu-west-1a/vol-0abc', fsType: 'ext4' }), capacity: '1Gi', useCsiDriver: true });
    const pv = findObject(synthValid(chart), 'PersistentVolume');
    expect(pv.spec.csi).toEqual({ driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0abc', fsType: 'ext4' });
    expect(pv.spec.awsElasticBlockStore).toBeUndefined();
    expect(Warnings.collect(chart)).toEqual([]);
  });

  test('useCsiDriver on a plugin without a CSI translation is an error naming the plugin', () => {
    const { chart } = appAt(KubeVersion.V1_27);
    expect(() => new PersistentStorage(chart, 'nfs', { source: SOURCES.nfs, capacity: '1Gi', useCsiDriver: true }))
      .toThrow('c/nfs: useCsiDriver: true is not possible for "nfs": kubernetes.io/nfs has no CSI migration translation');
  });
});
