import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { SecretVolumeOptions } from '../volume-source';

/** `secret`: the keys of a Secret as files. */
export const SECRET: BuiltinSpec<SecretVolumeOptions, k8s.SecretVolumeSource> = {
  type: 'secret',
  name: 'kubernetes.io/secret',
  scope: VolumeScope.POD,
  modes: [],
  persistent: false,
  render: f => ({
    secretName: f.objName('secretName'),
    defaultMode: f.int('defaultMode', 0, 0o777),
    optional: f.bool('optional'),
    items: f.items(),
  }),
  toJson: s => k8s.toJson_SecretVolumeSource(s),
};
