import { k8s } from 'cdk8s-plus-27';
import { blockFields, BuiltinSpec, RWO } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { AzureDiskOptions } from '../volume-source';

/** `azureDisk`: an Azure data disk (in-tree; migrated to disk.csi.azure.com). */
export const AZURE_DISK: BuiltinSpec<AzureDiskOptions, k8s.AzureDiskVolumeSource> = {
  type: 'azureDisk',
  name: 'kubernetes.io/azure-disk',
  scope: VolumeScope.ATTACHED,
  modes: [RWO],
  persistent: true,
  render: f => ({
    diskName: f.str('diskName'),
    diskUri: f.str('diskUri'),
    cachingMode: f.oneOf('cachingMode', ['None', 'ReadOnly', 'ReadWrite']),
    ...blockFields(f),
    kind: f.oneOf('kind', ['Shared', 'Dedicated', 'Managed']),
  }),
  toJson: s => k8s.toJson_AzureDiskVolumeSource(s),
  csi: f => ({
    driver: 'disk.csi.azure.com',
    volumeHandle: f.str('diskUri'),
    ...blockFields(f),
    volumeAttributes: f.optStr('cachingMode') ? { cachingMode: f.str('cachingMode') } : undefined,
  }),
};
