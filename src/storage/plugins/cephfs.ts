import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec, ROX, RWO, RWX } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { CephFsOptions } from '../volume-source';

/** `cephfs`: a CephFS path (in-tree driver removed in Kubernetes 1.31). */
export const CEPHFS: BuiltinSpec<CephFsOptions, k8s.CephFsPersistentVolumeSource> = {
  type: 'cephfs',
  name: 'kubernetes.io/cephfs',
  scope: VolumeScope.ATTACHED,
  modes: [RWX, ROX, RWO],
  persistent: true,
  render: (f, pv) => ({
    monitors: f.hostList('monitors'),
    path: f.optPath('path'),
    user: f.optStr('user'),
    secretFile: f.optPath('secretFile'),
    secretRef: f.secretRef(pv, 'secretName'),
    readOnly: f.bool('readOnly'),
  }),
  toJson: (s, pv) => pv ? k8s.toJson_CephFsPersistentVolumeSource(s) : k8s.toJson_CephFsVolumeSource(s),
};
