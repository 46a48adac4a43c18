import { k8s } from 'cdk8s-plus-27';
import { blockFields, BuiltinSpec, ROX, RWO } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { RbdOptions } from '../volume-source';

/** `rbd`: a Ceph RADOS block device image (in-tree driver removed in Kubernetes 1.31). */
export const CEPH_RBD: BuiltinSpec<RbdOptions, k8s.RbdPersistentVolumeSource> = {
  type: 'rbd',
  name: 'kubernetes.io/rbd',
  scope: VolumeScope.ATTACHED,
  modes: [RWO, ROX],
  persistent: true,
  render: (f, pv) => ({
    monitors: f.hostList('monitors'),
    image: f.str('image'),
    ...blockFields(f),
    pool: f.optStr('pool'),
    user: f.optStr('user'),
    keyring: f.optPath('keyring'),
    secretRef: f.secretRef(pv, 'secretName'),
  }),
  toJson: (s, pv) => pv ? k8s.toJson_RbdPersistentVolumeSource(s) : k8s.toJson_RbdVolumeSource(s),
};
