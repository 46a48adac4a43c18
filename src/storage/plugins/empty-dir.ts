import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { EmptyDirOptions } from '../volume-source';

/** `emptyDir`: scratch space for the lifetime of the pod. */
export const EMPTY_DIR: BuiltinSpec<EmptyDirOptions, k8s.EmptyDirVolumeSource> = {
  type: 'emptyDir',
  name: 'kubernetes.io/empty-dir',
  scope: VolumeScope.POD,
  modes: [],
  persistent: false,
  render: f => {
    const sizeLimit = f.quantity('sizeLimit');
    return {
      medium: f.get('medium') ? f.oneOf('medium', ['Memory']) : undefined,
      sizeLimit: sizeLimit === undefined ? undefined : k8s.Quantity.fromString(sizeLimit),
    };
  },
  toJson: s => k8s.toJson_EmptyDirVolumeSource(s),
};
