import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import {
  BuiltinVolumePlugin, InlineVolume, IVolumePlugin, KubeVersion, PaasChart, PersistentStorage, PluginAvailability, PluginStatus,
  TomcatApp, VolumePlugins, VolumeScope, VolumeSource, WarArtifact, Warnings,
} from '../../src';
import { testApp, testChart } from '../fixtures/synth';
import { findObject, synthValid } from '../fixtures/validate';

/** A FlexVolume driver as a user plugin: renders `flexVolume`, node-attached, ReadWriteOnce. */
class LvmFlexPlugin implements IVolumePlugin {
  public readonly name = 'example.com/lvm';
  public readonly scope = VolumeScope.ATTACHED;
  public constructor(private readonly field = 'flexVolume') {}
  canSupport(source: VolumeSource): boolean {
    return source.type === 'lvm';
  }
  renderPodVolume(_scope: IConstruct, source: VolumeSource): { [key: string]: any } {
    return { [this.field]: { driver: 'example.com/lvm', fsType: 'ext4', options: { volumeID: source.options.volume } } };
  }
  renderPersistentVolume(scope: IConstruct, source: VolumeSource): { [key: string]: any } | undefined {
    return this.renderPodVolume(scope, source);
  }
  accessModes(): kplus.PersistentVolumeAccessMode[] {
    return [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE];
  }
  availability(version: KubeVersion): PluginAvailability {
    return { status: version.isAtLeast(KubeVersion.parse('1.23')) ? PluginStatus.DEPRECATED : PluginStatus.SUPPORTED, replacement: 'a CSI driver' };
  }
  toCsi(): VolumeSource | undefined {
    return undefined;
  }
}

test('one registry per app, shared by its charts, with every built-in', () => {
  const app = testApp();
  const a = new PaasChart(app, 'a');
  const b = new PaasChart(app, 'b');
  expect(VolumePlugins.of(a)).toBe(VolumePlugins.of(b));
  expect(VolumePlugins.of(testApp())).not.toBe(VolumePlugins.of(a));
  expect(VolumePlugins.of(a).plugins.map(p => p.name)).toEqual(BuiltinVolumePlugin.all().map(p => p.name));
  expect(VolumePlugins.of(a).tryGet('kubernetes.io/nfs')).toBeDefined();
});

test('a registered FlexVolume plugin renders into the pod, and into a PV with its own access modes', () => {
  const chart = new PaasChart(testApp(), 'c', { namespace: 'shop' });
  VolumePlugins.of(chart).register(new LvmFlexPlugin());
  const web = new TomcatApp(chart, 'web', { replicas: 1, artifacts: [WarArtifact.fromImage('registry.example.com/web:1', { wars: ['ROOT.war'] })] });
  const s = new PersistentStorage(chart, 'lvm', { source: VolumeSource.custom('lvm', { volume: 'vg0/data' }), capacity: '2Gi' });
  s.mountInApp(web, '/data');
  const m = synthValid(chart);
  expect(findObject(m, 'PersistentVolume').spec.flexVolume).toEqual({ driver: 'example.com/lvm', fsType: 'ext4', options: { volumeID: 'vg0/data' } });
  expect(findObject(m, 'PersistentVolume').spec.accessModes).toEqual(['ReadWriteOnce']);
  expect(s.plugin.name).toBe('example.com/lvm');
});

test('the custom plugin\'s availability drives warnings like the built-ins\'', () => {
  const chart = new PaasChart(testApp(), 'c');
  VolumePlugins.of(chart).register(new LvmFlexPlugin());
  new PersistentStorage(chart, 'lvm', { source: VolumeSource.custom('lvm', { volume: 'x' }), capacity: '1Gi' });
  expect(Warnings.collect(chart)).toEqual(['c/lvm: source.type: "lvm" (example.com/lvm) is deprecated; move to a CSI driver']);
});

describe('registry errors', () => {
  test('a duplicate plugin name', () => {
    const chart = testChart();
    VolumePlugins.of(chart).register(new LvmFlexPlugin());
    expect(() => VolumePlugins.of(chart).register(new LvmFlexPlugin())).toThrow('plugin.name: "example.com/lvm" is already registered');
  });

  test('a built-in name cannot be taken', () => {
    const p = Object.assign(new LvmFlexPlugin(), { name: 'kubernetes.io/nfs' });
    expect(() => VolumePlugins.of(testChart()).register(p)).toThrow('plugin.name: "kubernetes.io/nfs" is already registered');
  });

  test('an empty plugin name', () => {
    const p = Object.assign(new LvmFlexPlugin(), { name: ' ' });
    expect(() => VolumePlugins.of(testChart()).register(p)).toThrow('plugin.name: " " is required');
  });

  test('a source no plugin supports names the type and how to register one', () => {
    expect(() => new InlineVolume(testChart(), 'v', { source: VolumeSource.custom('lvm') }))
      .toThrow('test/v: source.type: "lvm" is supported by no registered volume plugin; built-in types are emptyDir, hostPath');
  });

  test('a source two plugins support', () => {
    const chart = testChart();
    VolumePlugins.of(chart).register(new LvmFlexPlugin());
    VolumePlugins.of(chart).register(Object.assign(new LvmFlexPlugin(), { name: 'example.com/lvm2' }));
    expect(() => new InlineVolume(chart, 'v', { source: VolumeSource.custom('lvm') }))
      .toThrow('test/v: source.type: "lvm" is supported by more than one volume plugin (example.com/lvm, example.com/lvm2)');
  });

  test('a plugin rendering a field Kubernetes does not know fails instead of losing it', () => {
    const chart = testChart();
    VolumePlugins.of(chart).register(new LvmFlexPlugin('flexVolumes'));
    expect(() => new InlineVolume(chart, 'v', { source: VolumeSource.custom('lvm', { volume: 'x' }) }))
      .toThrow('test/v: source.lvm.flexVolumes: {"name":"v","flexVolumes":{"driver":"example.com/lvm","fsType":"ext4","options":{"volumeID":"x"}}} has a field that is not in the Kubernetes 1.27 Volume schema');
  });
});

describe('option validation names the field and the value', () => {
  const chart = () => testChart();
  test.each([
    [VolumeSource.nfs({ server: '', path: '/x' }), 'source.nfs.server: "" is required: a non-empty string'],
    [VolumeSource.nfs({ server: 'nas', path: 'exports' }), 'source.nfs.path: "exports" is not a valid absolute path'],
    [VolumeSource.iscsi({ targetPortal: '10.0.0.1', iqn: 'iqn.x', lun: 256 }), 'source.iscsi.lun: 256 must be an integer from 0 to 255'],
    [VolumeSource.rbd({ monitors: [], image: 'i' }), 'source.rbd.monitors: [] must list at least one non-empty string'],
    [VolumeSource.cephfs({ monitors: ['m:6789'], secretName: 'Bad_Name' }), 'source.cephfs.secretName: "Bad_Name" is not a valid DNS-1123 subdomain'],
    [VolumeSource.emptyDir({ sizeLimit: 'big' }), 'source.emptyDir.sizeLimit: "big" is not a Kubernetes quantity'],
    [VolumeSource.azureDisk({ diskName: 'd', diskUri: 'u', cachingMode: 'Sometimes' }), 'source.azureDisk.cachingMode: "Sometimes" must be one of None, ReadOnly, ReadWrite'],
    [VolumeSource.flocker({}), 'source.flocker: {} must set exactly one of datasetName and datasetUuid'],
    [VolumeSource.secret({ secretName: 's', items: { k: '../etc/passwd' } }), 'source.secret.items.k: "../etc/passwd" must be a relative path'],
    [VolumeSource.csi({ driver: 'd.example.com', volumeHandle: 'h' }), 'source.csi.volumeHandle: "h" applies to a PersistentVolume only'],
    [VolumeSource.hostPath({ path: '/x', type: 'Dir' as kplus.HostPathVolumeType }), 'source.hostPath.type: "Dir" must be one of DirectoryOrCreate'],
  ])('%#', (source, message) => {
    expect(() => new InlineVolume(chart(), 'v', { source })).toThrow(`test/v: ${message}`);
  });

  test('volume name must be a DNS label', () => {
    expect(() => new InlineVolume(chart(), 'v', { source: VolumeSource.emptyDir(), name: 'Data' })).toThrow('test/v: name: "Data" is not a valid DNS-1123 label');
  });
});
