import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec, RWO } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { VsphereVolumeOptions } from '../volume-source';

/** `vsphereVolume`: a vSphere VMDK (in-tree; migrated to csi.vsphere.vmware.com). */
export const VSPHERE_VOLUME: BuiltinSpec<VsphereVolumeOptions, k8s.VsphereVirtualDiskVolumeSource> = {
  type: 'vsphereVolume',
  name: 'kubernetes.io/vsphere-volume',
  scope: VolumeScope.ATTACHED,
  modes: [RWO],
  persistent: true,
  render: f => ({
    volumePath: f.str('volumePath'),
    fsType: f.optStr('fsType'),
    storagePolicyName: f.optStr('storagePolicyName'),
    storagePolicyId: f.optStr('storagePolicyId'),
  }),
  toJson: s => k8s.toJson_VsphereVirtualDiskVolumeSource(s),
  csi: f => ({
    driver: 'csi.vsphere.vmware.com',
    volumeHandle: f.str('volumePath'),
    fsType: f.optStr('fsType'),
    volumeAttributes: f.optStr('storagePolicyName') ? { storagepolicyname: f.str('storagePolicyName') } : undefined,
  }),
};
