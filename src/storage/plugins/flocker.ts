import { k8s } from 'cdk8s-plus-27';
import { BuiltinSpec, RWO } from './builtin-spec';
import { ValidationError } from '../../core/errors';
import { VolumeScope } from '../volume-plugin';
import { FlockerOptions } from '../volume-source';

/** `flocker` (non-functional since Kubernetes 1.25): exactly one of name and UUID. */
export const FLOCKER: BuiltinSpec<FlockerOptions, k8s.FlockerVolumeSource> = {
  type: 'flocker',
  name: 'kubernetes.io/flocker',
  scope: VolumeScope.ATTACHED,
  modes: [RWO],
  persistent: true,
  render: f => {
    const out = { datasetName: f.optStr('datasetName'), datasetUuid: f.optStr('datasetUuid') };
    if ((out.datasetName === undefined) === (out.datasetUuid === undefined)) {
      throw ValidationError.of(f.scope, 'source.flocker', k8s.toJson_FlockerVolumeSource(out), 'must set exactly one of datasetName and datasetUuid');
    }
    return out;
  },
  toJson: s => k8s.toJson_FlockerVolumeSource(s),
};
