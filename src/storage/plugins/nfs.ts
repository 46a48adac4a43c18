import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec, ROX, RWO, RWX } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { NfsOptions } from '../volume-source';

/** `nfs`: an NFS export, shared (ReadWriteMany). */
export const NFS: BuiltinSpec<NfsOptions, k8s.NfsVolumeSource> = {
  type: 'nfs',
  name: 'kubernetes.io/nfs',
  scope: VolumeScope.ATTACHED,
  modes: [RWX, ROX, RWO],
  persistent: true,
  render: f => ({ server: f.host('server'), path: f.path('path'), readOnly: f.bool('readOnly') }),
  toJson: s => k8s.toJson_NfsVolumeSource(s),
};
