import { k8s } from 'cdk8s-plus-27';
import { blockFields, BuiltinSpec, partitionAttr, RWO } from './builtin-spec';
import { VolumeScope } from '../volume-plugin';
import { AwsElasticBlockStoreOptions } from '../volume-source';

/** `awsElasticBlockStore` (in-tree; migrated to ebs.csi.aws.com). */
export const AWS_ELASTIC_BLOCK_STORE: BuiltinSpec<AwsElasticBlockStoreOptions, k8s.AwsElasticBlockStoreVolumeSource> = {
  type: 'awsElasticBlockStore',
  name: 'kubernetes.io/aws-ebs',
  scope: VolumeScope.ATTACHED,
  modes: [RWO],
  persistent: true,
  render: f => ({ volumeId: f.str('volumeId'), ...blockFields(f), partition: f.int('partition', 0, 128) }),
  toJson: s => k8s.toJson_AwsElasticBlockStoreVolumeSource(s),
  // csi-translation-lib aws_ebs.go: the handle is the bare volume ID (an aws://zone/ prefix is dropped)
  csi: f => ({ driver: 'ebs.csi.aws.com', volumeHandle: f.str('volumeId').replace(/^aws:\/\/[^/]*\//, ''), ...blockFields(f), volumeAttributes: partitionAttr(f) }),
};
