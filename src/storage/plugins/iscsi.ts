import { k8s } from 'cdk8s-plus-27';
import { blockFields, BuiltinSpec, ROX, RWO } from './builtin-spec';
import { ValidationError } from '../../core/errors';
import { VolumeScope } from '../volume-plugin';
import { IscsiOptions } from '../volume-source';

/** `iscsi`: an iSCSI LUN (the PersistentVolume form may name the CHAP secret's namespace). */
export const ISCSI: BuiltinSpec<IscsiOptions, k8s.IscsiPersistentVolumeSource> = {
  type: 'iscsi',
  name: 'kubernetes.io/iscsi',
  scope: VolumeScope.ATTACHED,
  modes: [RWO, ROX],
  persistent: true,
  render: (f, pv) => {
    const lun = f.int('lun', 0, 255);
    if (lun === undefined) throw ValidationError.of(f.scope, 'source.iscsi.lun', '', 'is required: an integer from 0 to 255');
    return {
      targetPortal: f.host('targetPortal'),
      iqn: f.str('iqn'),
      lun,
      iscsiInterface: f.optStr('iscsiInterface'),
      ...blockFields(f),
      portals: f.get('portals') === undefined ? undefined : f.hostList('portals'),
      chapAuthDiscovery: f.bool('chapAuthDiscovery'),
      chapAuthSession: f.bool('chapAuthSession'),
      secretRef: f.secretRef(pv, 'secretName'),
      initiatorName: f.optStr('initiatorName'),
    };
  },
  toJson: (s, pv) => pv ? k8s.toJson_IscsiPersistentVolumeSource(s) : k8s.toJson_IscsiVolumeSource(s),
};
