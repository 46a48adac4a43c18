import * as kplus from 'cdk8s-plus-27';
import {
  BuiltinVolumePlugin, InlineVolume, KubeVersion, PaasChart, PersistentStorage, PodSecurity, PodSecurityLevel, TomcatApp, VolumeSource, WarArtifact,
} from '../../src';
import { testApp } from '../fixtures/synth';
import { findObject, synthValid } from '../fixtures/validate';

// Every built-in, with options that set every field it renders, and the exact
// Kubernetes JSON expected in the pod volume (`inline`) and PersistentVolume (`pv`).
interface Case {
  readonly source: VolumeSource;
  readonly inline: any;
  /** true: the PersistentVolume source equals `inline`; an object: `inline` with these fields added or replaced. */
  readonly pv?: any;
}

// iSCSI fields whose option name is the Kubernetes field name
const ISCSI = {
  targetPortal: '10.0.2.15:3260',
  iqn: 'iqn.2001-04.com.example:storage.disk1',
  lun: 7,
  iscsiInterface: 'default',
  fsType: 'ext4',
  readOnly: true,
  portals: ['10.0.2.16:3260'],
  chapAuthDiscovery: true,
  chapAuthSession: true,
};

const CASES: { [type: string]: Case } = {
  emptyDir: {
    source: VolumeSource.emptyDir({ medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: '256Mi' }),
    inline: { medium: 'Memory', sizeLimit: '256Mi' },
  },
  hostPath: {
    source: VolumeSource.hostPath({ path: '/var/log', type: kplus.HostPathVolumeType.DIRECTORY }),
    inline: { path: '/var/log', type: 'Directory' },
    pv: true,
  },
  gcePersistentDisk: {
    source: VolumeSource.gcePersistentDisk({ pdName: 'data-disk', fsType: 'ext4', partition: 1, readOnly: true }),
    inline: { pdName: 'data-disk', fsType: 'ext4', readOnly: true, partition: 1 },
    pv: true,
  },
  awsElasticBlockStore: {
    source: VolumeSource.awsElasticBlockStore({ volumeId: 'vol-0123456789abcdef0', fsType: 'xfs', partition: 2, readOnly: false }),
    inline: { volumeID: 'vol-0123456789abcdef0', fsType: 'xfs', readOnly: false, partition: 2 },
    pv: true,
  },
  iscsi: {
    source: VolumeSource.iscsi({
      ...ISCSI,
      secretName: 'chap-secret',
      secretNamespace: 'storage',
      initiatorName: 'iqn.1996-04.de.suse:01:node1',
    }),
    inline: {
      ...ISCSI,
      secretRef: { name: 'chap-secret' },
      initiatorName: 'iqn.1996-04.de.suse:01:node1',
    },
    pv: { secretRef: { name: 'chap-secret', namespace: 'storage' } },
  },
  rbd: {
    source: VolumeSource.rbd({
      monitors: ['10.16.154.78:6789', '10.16.154.82:6789'],
      image: 'foo',
      pool: 'kube',
      user: 'admin',
      keyring: '/etc/ceph/keyring',
      secretName: 'ceph-secret',
      fsType: 'ext4',
      readOnly: true,
    }),
    inline: {
      monitors: ['10.16.154.78:6789', '10.16.154.82:6789'],
      image: 'foo',
      fsType: 'ext4',
      readOnly: true,
      pool: 'kube',
      user: 'admin',
      keyring: '/etc/ceph/keyring',
      secretRef: { name: 'ceph-secret' },
    },
    pv: true,
  },
  azureFile: {
    source: VolumeSource.azureFile({ secretName: 'azure-secret', shareName: 'k8stest', secretNamespace: 'storage', readOnly: false }),
    inline: { secretName: 'azure-secret', shareName: 'k8stest', readOnly: false },
    pv: { secretNamespace: 'storage' },
  },
  azureDisk: {
    source: VolumeSource.azureDisk({
      diskName: 'test.vhd',
      diskUri: 'https://someaccount.blob.core.windows.net/vhds/test.vhd',
      cachingMode: 'ReadOnly',
      fsType: 'ext4',
      readOnly: false,
      kind: 'Shared',
    }),
    inline: {
      diskName: 'test.vhd',
      diskURI: 'https://someaccount.blob.core.windows.net/vhds/test.vhd',
      cachingMode: 'ReadOnly',
      fsType: 'ext4',
      readOnly: false,
      kind: 'Shared',
    },
    pv: true,
  },
  nfs: {
    source: VolumeSource.nfs({ server: 'nas.example.com', path: '/exports/shared', readOnly: true }),
    inline: { server: 'nas.example.com', path: '/exports/shared', readOnly: true },
    pv: true,
  },
  glusterfs: {
    source: VolumeSource.glusterfs({ endpoints: 'glusterfs-cluster', path: 'kube_vol', endpointsNamespace: 'storage', readOnly: true }),
    inline: { endpoints: 'glusterfs-cluster', path: 'kube_vol', readOnly: true },
    pv: { endpointsNamespace: 'storage' },
  },
  flocker: {
    source: VolumeSource.flocker({ datasetUuid: '2b9b2d5e-3b38-4d5c-8d5a-4c2d8b1f0a11' }),
    inline: { datasetUUID: '2b9b2d5e-3b38-4d5c-8d5a-4c2d8b1f0a11' },
    pv: true,
  },
  cephfs: {
    source: VolumeSource.cephfs({
      monitors: ['10.16.154.78:6789'],
      path: '/volumes/app',
      user: 'kube',
      secretFile: '/etc/ceph/kube.secret',
      secretName: 'ceph-secret',
      secretNamespace: 'storage',
      readOnly: false,
    }),
    inline: {
      monitors: ['10.16.154.78:6789'],
      path: '/volumes/app',
      user: 'kube',
      secretFile: '/etc/ceph/kube.secret',
      secretRef: { name: 'ceph-secret' },
      readOnly: false,
    },
    pv: { secretRef: { name: 'ceph-secret', namespace: 'storage' } },
  },
  secret: {
    source: VolumeSource.secret({ secretName: 'db-credentials', defaultMode: 0o400, optional: false, items: { password: 'db/password', user: 'db/user' } }),
    inline: { secretName: 'db-credentials', defaultMode: 256, optional: false, items: [{ key: 'password', path: 'db/password' }, { key: 'user', path: 'db/user' }] },
  },
  configMap: {
    source: VolumeSource.configMap({ name: 'app-config', defaultMode: 0o444, optional: true, items: { 'app.properties': 'conf/app.properties' } }),
    inline: { name: 'app-config', defaultMode: 292, optional: true, items: [{ key: 'app.properties', path: 'conf/app.properties' }] },
  },
  vsphereVolume: {
    source: VolumeSource.vsphereVolume({ volumePath: '[DatastoreName] volumes/myDisk', fsType: 'ext4', storagePolicyName: 'gold', storagePolicyId: 'aa6d5a82-1c88-45da-85d3-3d74b91a5bad' }),
    inline: { volumePath: '[DatastoreName] volumes/myDisk', fsType: 'ext4', storagePolicyName: 'gold', storagePolicyID: 'aa6d5a82-1c88-45da-85d3-3d74b91a5bad' },
    pv: true,
  },
  cinder: {
    source: VolumeSource.cinder({ volumeId: 'bd82f7e2-wece-4c01-a505-4acf60b07f4a', fsType: 'ext4', readOnly: true, secretName: 'openstack' }),
    inline: { volumeID: 'bd82f7e2-wece-4c01-a505-4acf60b07f4a', fsType: 'ext4', readOnly: true, secretRef: { name: 'openstack' } },
    pv: true,
  },
  csi: {
    source: VolumeSource.csi({ driver: 'inline.storage.kubernetes.io', fsType: 'ext4', readOnly: true, volumeAttributes: { foo: 'bar', someID: 'x' }, nodePublishSecretName: 'csi-secret' }),
    inline: { driver: 'inline.storage.kubernetes.io', fsType: 'ext4', readOnly: true, volumeAttributes: { foo: 'bar', someID: 'x' }, nodePublishSecretRef: { name: 'csi-secret' } },
  },
  // the PV form of csi needs volumeHandle, and takes stage secrets with a namespace
  csiPersistent: {
    source: VolumeSource.csi({
      driver: 'nfs.csi.k8s.io',
      volumeHandle: 'nas.example.com/exports/app',
      readOnly: false,
      volumeAttributes: { server: 'nas.example.com', share: '/exports/app' },
      nodePublishSecretName: 'pub',
      nodeStageSecretName: 'stage',
      secretNamespace: 'storage',
    }),
    inline: undefined,
    pv: {
      driver: 'nfs.csi.k8s.io',
      volumeHandle: 'nas.example.com/exports/app',
      readOnly: false,
      volumeAttributes: { server: 'nas.example.com', share: '/exports/app' },
      nodePublishSecretRef: { name: 'pub', namespace: 'storage' },
      nodeStageSecretRef: { name: 'stage', namespace: 'storage' },
    },
  },
};

/** The Pod Security level a pod with only this volume type meets. */
function levelFor(type: string): PodSecurityLevel {
  if (type === 'hostPath') return PodSecurityLevel.PRIVILEGED;
  return ['emptyDir', 'secret', 'configMap', 'csi'].includes(type) ? PodSecurityLevel.RESTRICTED : PodSecurityLevel.BASELINE;
}

function workloadChart() {
  // 1.24: every in-tree plugin of the list still works there (flocker warns)
  const chart = new PaasChart(testApp(), 'c', { kubeVersion: KubeVersion.V1_24 });
  const app = new TomcatApp(chart, 'web', { replicas: 1, namespace: 'shop', artifacts: [WarArtifact.fromImage('registry.example.com/shop/web:1.0', { wars: ['ROOT.war'] })] });
  return { chart, app, deployment: app.deployment };
}

test('every built-in source type has a case here', () => {
  expect(Object.keys(CASES).filter(k => k !== 'csiPersistent').sort()).toEqual(BuiltinVolumePlugin.types().sort());
});

describe.each(Object.keys(CASES))('built-in %s', (key) => {
  const c = CASES[key];
  const type = c.source.type;

  if (c.inline) {
    test('inline: exact Kubernetes fields in the synthesized pod volume, strict-valid', () => {
      const { chart, app } = workloadChart();
      const level = levelFor(type);
      if (level !== PodSecurityLevel.RESTRICTED) PodSecurity.allow(app, level, `the ${type} test volume`);
      new InlineVolume(chart, 'vol', { source: c.source, name: 'data' }).mountInApp(app, '/data');
      const m = synthValid(chart, { podSecurity: level });
      const pod = findObject(m, 'Deployment').spec.template.spec;
      expect(pod.volumes.find((v: any) => v.name === 'data')).toEqual({ name: 'data', [type]: c.inline });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    });
  }

  if (c.pv) {
    test('PersistentVolume: exact Kubernetes fields in the PV spec, strict-valid', () => {
      const { chart, app } = workloadChart();
      const storage = new PersistentStorage(chart, 'vol', {
        source: c.source,
        capacity: '5Gi',
        name: 'data',
        namespace: 'shop',
        accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      });
      storage.mountInApp(app, '/data');
      const m = synthValid(chart);
      const pv = findObject(m, 'PersistentVolume');
      expect(pv.spec[type]).toEqual(c.pv === true ? c.inline : { ...c.inline, ...c.pv });
      const pod = findObject(m, 'Deployment').spec.template.spec;
      expect(pod.volumes.find((v: any) => v.name === 'data')).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: false } });
      expect(storage.persistentVolume.name).toBe('shop-data');
    });
  } else if (type === 'csi') {
    test('PersistentVolume: rejected without volumeHandle', () => {
      const { chart } = workloadChart();
      expect(() => new PersistentStorage(chart, 'vol', { source: c.source, capacity: '1Gi' }))
        .toThrow('c/vol: source.csi.volumeHandle: "" is required: a non-empty string');
    });
  } else {
    test('PersistentVolume: rejected, the type is pod-scoped', () => {
      const { chart } = workloadChart();
      expect(() => new PersistentStorage(chart, 'vol', { source: c.source, capacity: '1Gi' }))
        .toThrow(`c/vol: source.type: "${type}" cannot back a PersistentVolume`);
    });
  }
});
