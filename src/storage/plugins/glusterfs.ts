import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec, ROX, RWO, RWX } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { GlusterfsOptions } from '../volume-source';

/** `glusterfs` (non-functional since Kubernetes 1.26). */
export const GLUSTERFS: BuiltinSpec<GlusterfsOptions, k8s.GlusterfsPersistentVolumeSource> = {
  type: 'glusterfs',
  name: 'kubernetes.io/glusterfs',
  scope: VolumeScope.ATTACHED,
  modes: [RWX, ROX, RWO],
  persistent: true,
  render: (f, pv) => ({
    endpoints: f.objName('endpoints')!,
    path: f.str('path'),
    readOnly: f.bool('readOnly'),
    endpointsNamespace: pv ? f.objName('endpointsNamespace', true) : undefined,
  }),
  toJson: (s, pv) => pv ? k8s.toJson_GlusterfsPersistentVolumeSource(s) : k8s.toJson_GlusterfsVolumeSource(s),
};
