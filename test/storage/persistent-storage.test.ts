import * as kplus from 'cdk8s-plus-27';
import { PaasChart, PersistentStorage, TomcatApp, VolumeBindingMode, VolumeSource, WarArtifact, Warnings } from '../../src';
import { synthManifests, testApp } from '../fixtures/synth';
import { findObject, synthValid } from '../fixtures/validate';

function chart(namespace?: string) {
  return new PaasChart(testApp(), 'c', { namespace });
}
const NFS = VolumeSource.nfs({ server: 'nas.example.com', path: '/exports/app' });

describe('PV + PVC binding', () => {
  test('claimRef ↔ volumeName, no class (""), capacity, modes, reclaim policy, mount options', () => {
    const c = chart('shop');
    const s = new PersistentStorage(c, 'shared', {
      source: NFS,
      capacity: '20Gi',
      mountOptions: ['nfsvers=4.1', 'hard'],
      reclaimPolicy: kplus.PersistentVolumeReclaimPolicy.DELETE,
    });
    const m = synthValid(c);
    const pv = findObject(m, 'PersistentVolume');
    const pvc = findObject(m, 'PersistentVolumeClaim');
    expect(pv.metadata.name).toBe('shop-shared');
    expect(pv.metadata.namespace).toBeUndefined();
    expect(pv.spec).toEqual({
      nfs: { server: 'nas.example.com', path: '/exports/app' },
      capacity: { storage: '20Gi' },
      accessModes: ['ReadWriteMany'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: '',
      mountOptions: ['nfsvers=4.1', 'hard'],
      claimRef: { name: 'shared', namespace: 'shop' },
    });
    expect(pvc.metadata).toEqual(expect.objectContaining({ name: 'shared', namespace: 'shop' }));
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '20Gi' } },
      storageClassName: '',
      volumeName: 'shop-shared',
    });
    expect(s.accessModes).toEqual([kplus.PersistentVolumeAccessMode.READ_WRITE_MANY]);
  });

  test('without a namespace the PV has no claimRef (binding by the claim\'s volumeName only)', () => {
    const c = chart();
    new PersistentStorage(c, 'data', { source: NFS, capacity: '1Gi' });
    const m = synthValid(c);
    expect(findObject(m, 'PersistentVolume').spec.claimRef).toBeUndefined();
    expect(findObject(m, 'PersistentVolumeClaim').spec.volumeName).toBe('data');
  });

  test('a StorageClass is created and used by both', () => {
    const c = chart('shop');
    const s = new PersistentStorage(c, 'data', {
      source: VolumeSource.iscsi({ targetPortal: '10.0.0.5', iqn: 'iqn.2020-01.com.example:lun', lun: 1 }),
      capacity: '500Mi',
      name: 'db',
      volumeName: 'db-lun1',
      storageClass: { name: 'iscsi-static', parameters: { tier: 'gold' }, allowVolumeExpansion: false, volumeBindingMode: VolumeBindingMode.IMMEDIATE },
    });
    const m = synthValid(c);
    expect(findObject(m, 'StorageClass')).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'iscsi-static' },
      provisioner: 'kubernetes.io/no-provisioner',
      parameters: { tier: 'gold' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: false,
    });
    expect(findObject(m, 'PersistentVolume').spec.storageClassName).toBe('iscsi-static');
    expect(findObject(m, 'PersistentVolume').metadata.name).toBe('db-lun1');
    expect(findObject(m, 'PersistentVolumeClaim').spec.storageClassName).toBe('iscsi-static');
    expect(findObject(m, 'PersistentVolumeClaim').spec.resources.requests.storage).toBe('500Mi');
    expect(s.storageClass).toBeDefined();
  });

  test('read-only sources default to ReadOnlyMany when the plugin allows it', () => {
    const c = chart('shop');
    const s = new PersistentStorage(c, 'ro', { source: VolumeSource.gcePersistentDisk({ pdName: 'assets', readOnly: true }), capacity: '1Gi' });
    expect(s.accessModes).toEqual([kplus.PersistentVolumeAccessMode.READ_ONLY_MANY]);
  });
});

describe('errors', () => {
  test('an access mode the plugin lacks names the mode and the supported ones', () => {
    expect(() => new PersistentStorage(chart(), 'ebs', {
      source: VolumeSource.awsElasticBlockStore({ volumeId: 'vol-1' }),
      capacity: '1Gi',
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY],
    })).toThrow('c/ebs: accessModes[0]: "ReadWriteMany" is not supported by kubernetes.io/aws-ebs, which supports ReadWriteOnce');
  });

  test('no access modes', () => {
    expect(() => new PersistentStorage(chart(), 'n', { source: NFS, capacity: '1Gi', accessModes: [] }))
      .toThrow('c/n: accessModes: [] must name at least one access mode');
  });

  test('capacity must be a quantity', () => {
    expect(() => new PersistentStorage(chart(), 'n', { source: NFS, capacity: 'lots' })).toThrow('c/n: capacity: "lots" is not a Kubernetes quantity');
  });

  test('storage class name must be a DNS subdomain', () => {
    expect(() => new PersistentStorage(chart(), 'n', { source: NFS, capacity: '1Gi', storageClassName: 'Fast_SSD' }))
      .toThrow('c/n: storageClassName: "Fast_SSD" is not a valid DNS-1123 subdomain');
  });

  test('a pod in another namespace cannot mount the claim', () => {
    const c = chart();
    const s = new PersistentStorage(c, 'data', { source: NFS, capacity: '1Gi', namespace: 'shop' });
    const web = new TomcatApp(c, 'web', { namespace: 'other', artifacts: [WarArtifact.fromImage('registry.example.com/web:1', { wars: ['ROOT.war'] })] });
    s.mountInApp(web, '/data');
    expect(() => synthManifests(c)).toThrow('c/data: mounts[0]: "c/web/Deployment" runs in namespace "other", but the claim "data" is in namespace "shop"');
  });
});

describe('useCsiDriver: the CSI translation of each migrated plugin', () => {
  test.each([
    ['gcePersistentDisk', VolumeSource.gcePersistentDisk({ pdName: 'disk-1', fsType: 'ext4', partition: 1 }),
      { driver: 'pd.csi.storage.gke.io', volumeHandle: 'projects/UNSPECIFIED/zones/UNSPECIFIED/disks/disk-1', fsType: 'ext4', volumeAttributes: { partition: '1' } }],
    ['azureDisk', VolumeSource.azureDisk({ diskName: 'd', diskUri: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d', cachingMode: 'ReadOnly' }),
      { driver: 'disk.csi.azure.com', volumeHandle: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d', volumeAttributes: { cachingMode: 'ReadOnly' } }],
    ['azureFile', VolumeSource.azureFile({ secretName: 'azure-storage-account-acct-secret', shareName: 'share', secretNamespace: 'shop' }),
      { driver: 'file.csi.azure.com', volumeHandle: '#acct#share##shop', volumeAttributes: { shareName: 'share' }, nodeStageSecretRef: { name: 'azure-storage-account-acct-secret', namespace: 'shop' } }],
    ['cinder', VolumeSource.cinder({ volumeId: 'c0ffee', readOnly: true }),
      { driver: 'cinder.csi.openstack.org', volumeHandle: 'c0ffee', readOnly: true }],
    ['vsphereVolume', VolumeSource.vsphereVolume({ volumePath: '[ds1] volumes/d.vmdk', fsType: 'ext4', storagePolicyName: 'gold' }),
      { driver: 'csi.vsphere.vmware.com', volumeHandle: '[ds1] volumes/d.vmdk', fsType: 'ext4', volumeAttributes: { storagepolicyname: 'gold' } }],
  ])('%s', (_type, source, csi) => {
    const c = chart('shop');
    new PersistentStorage(c, 'disk', { source, capacity: '1Gi', useCsiDriver: true });
    const pv = findObject(synthValid(c), 'PersistentVolume');
    expect(pv.spec.csi).toEqual(csi);
    expect(Warnings.collect(c)).toEqual([]);
  });
});
