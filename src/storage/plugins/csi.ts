import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec, ROX, RWO, RWOP, RWX } from './builtin-spec';
import { ValidationError } from '../../core/errors';
import { VolumeScope } from '../volume-plugin';
import { CsiOptions } from '../volume-source';

/** `csi`: an inline (ephemeral) CSI volume, or a PersistentVolume with a volume handle. */
export const CSI: BuiltinSpec<CsiOptions, k8s.CsiVolumeSource | k8s.CsiPersistentVolumeSource> = {
  type: 'csi',
  name: 'kubernetes.io/csi',
  scope: VolumeScope.POD,
  modes: [RWO, ROX, RWX, RWOP],
  persistent: true,
  render: (f, pv) => {
    const common = {
      driver: f.str('driver'),
      fsType: f.optStr('fsType'),
      readOnly: f.bool('readOnly'),
      volumeAttributes: f.get('volumeAttributes'),
      nodePublishSecretRef: f.secretRef(pv, 'nodePublishSecretName'),
    };
    if (!pv) {
      for (const k of ['volumeHandle', 'nodeStageSecretName'] as const) {
        if (f.get(k) !== undefined) {
          throw ValidationError.of(f.scope, `source.csi.${k}`, f.get(k), 'applies to a PersistentVolume only: an inline (ephemeral) CSI volume has no volume handle or stage secret; use PersistentStorage');
        }
      }
      return common;
    }
    return { ...common, volumeHandle: f.str('volumeHandle'), nodeStageSecretRef: f.secretRef(true, 'nodeStageSecretName') };
  },
  toJson: (s, pv) => pv ? k8s.toJson_CsiPersistentVolumeSource(s as k8s.CsiPersistentVolumeSource) : k8s.toJson_CsiVolumeSource(s),
};
