import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec, ROX, RWO, RWX } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { AzureFileOptions } from '../volume-source';

/** `azureFile`: an Azure Files (SMB) share (in-tree; migrated to file.csi.azure.com). */
export const AZURE_FILE: BuiltinSpec<AzureFileOptions, k8s.AzureFilePersistentVolumeSource> = {
  type: 'azureFile',
  name: 'kubernetes.io/azure-file',
  scope: VolumeScope.ATTACHED,
  modes: [RWX, ROX, RWO],
  persistent: true,
  render: (f, pv) => ({
    secretName: f.objName('secretName')!,
    shareName: f.str('shareName'),
    readOnly: f.bool('readOnly'),
    secretNamespace: pv ? f.objName('secretNamespace', true) : undefined,
  }),
  toJson: (s, pv) => pv ? k8s.toJson_AzureFilePersistentVolumeSource(s) : k8s.toJson_AzureFileVolumeSource(s),
  // csi-translation-lib azure_file.go: handle "<resource group>#<account>#<share>#<disk>#<secret namespace>"
  csi: f => {
    const secret = f.objName('secretName')!;
    const account = /^azure-storage-account-(.+)-secret$/.exec(secret)?.[1] ?? '';
    const ns = f.objName('secretNamespace', true) ?? 'default';
    return {
      driver: 'file.csi.azure.com',
      volumeHandle: `#${account}#${f.str('shareName')}##${ns}`,
      readOnly: f.bool('readOnly'),
      volumeAttributes: { shareName: f.str('shareName') },
      nodeStageSecretName: secret,
      secretNamespace: ns,
    };
  },
};
