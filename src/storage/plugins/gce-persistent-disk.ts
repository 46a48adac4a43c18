import { k8s } from 'cdk8s-plus-27';
import { blockFields, BuiltinSpec, partitionAttr, ROX, RWO } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { GcePersistentDiskOptions } from '../volume-source';

/** `gcePersistentDisk` (in-tree; migrated to pd.csi.storage.gke.io). */
export const GCE_PERSISTENT_DISK: BuiltinSpec<GcePersistentDiskOptions, k8s.GcePersistentDiskVolumeSource> = {
  type: 'gcePersistentDisk',
  name: 'kubernetes.io/gce-pd',
  scope: VolumeScope.ATTACHED,
  modes: [RWO, ROX],
  persistent: true,
  render: f => ({ pdName: f.str('pdName'), ...blockFields(f), partition: f.int('partition', 0, 128) }),
  toJson: s => k8s.toJson_GcePersistentDiskVolumeSource(s),
  csi: f => ({
    driver: 'pd.csi.storage.gke.io',
    volumeHandle: `projects/UNSPECIFIED/zones/UNSPECIFIED/disks/${f.str('pdName')}`,
    ...blockFields(f),
    volumeAttributes: partitionAttr(f),
  }),
};
