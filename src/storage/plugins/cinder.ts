import { k8s } from 'cdk8s-plus-27';
import { blockFields, BuiltinSpec, RWO } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { CinderOptions } from '../volume-source';

/** `cinder`: an OpenStack Cinder volume (in-tree removed in 1.26; migrated to cinder.csi.openstack.org). */
export const CINDER: BuiltinSpec<CinderOptions, k8s.CinderPersistentVolumeSource> = {
  type: 'cinder',
  name: 'kubernetes.io/cinder',
  scope: VolumeScope.ATTACHED,
  modes: [RWO],
  persistent: true,
  render: (f, pv) => ({ volumeId: f.str('volumeId'), ...blockFields(f), secretRef: f.secretRef(pv, 'secretName') }),
  toJson: (s, pv) => pv ? k8s.toJson_CinderPersistentVolumeSource(s) : k8s.toJson_CinderVolumeSource(s),
  csi: f => ({ driver: 'cinder.csi.openstack.org', volumeHandle: f.str('volumeId'), ...blockFields(f) }),
};
