import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { ConfigMapVolumeOptions } from '../volume-source';

/** `configMap`: the keys of a ConfigMap as files. */
export const CONFIG_MAP: BuiltinSpec<ConfigMapVolumeOptions, k8s.ConfigMapVolumeSource> = {
  type: 'configMap',
  name: 'kubernetes.io/configmap',
  scope: VolumeScope.POD,
  modes: [],
  persistent: false,
  render: f => ({
    name: f.objName('name'),
    defaultMode: f.int('defaultMode', 0, 0o777),
    optional: f.bool('optional'),
    items: f.items(),
  }),
  toJson: s => k8s.toJson_ConfigMapVolumeSource(s),
};
