import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec, RWO } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { HostPathOptions } from '../volume-source';

const HOST_PATH_TYPES = ['DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];

/** `hostPath`: a file or directory of the node. */
export const HOST_PATH: BuiltinSpec<HostPathOptions, k8s.HostPathVolumeSource> = {
  type: 'hostPath',
  name: 'kubernetes.io/host-path',
  scope: VolumeScope.NODE,
  modes: [RWO],
  persistent: true,
  render: f => ({ path: f.path('path'), type: f.get('type') ? f.oneOf('type', HOST_PATH_TYPES) : undefined }),
  toJson: s => k8s.toJson_HostPathVolumeSource(s),
};
