import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkEnum } from './enum-check';
import type { KopsCluster } from './kops-cluster';
import { checkPropsObject, checkScope } from '../core/checks';
import { ValidationError } from '../core/errors';

/** The role of the machines of a kops instance group. */
export enum KopsRole {
  /** Control-plane machines: kube-apiserver, controllers, etcd members. */
  CONTROL_PLANE = 'ControlPlane',
  /** Worker nodes. */
  NODE = 'Node',
  /** A bastion host (SSH entry point of a private topology). */
  BASTION = 'Bastion',
}

/** Props of a `KopsInstanceGroup`. */
export interface KopsInstanceGroupProps {
  /** What the machines do. */
  readonly role: KopsRole;
  /** The machine type (cloud flavor), e.g. `m1.large` on OpenStack. */
  readonly machineType: string;
  /**
   * The fewest machines of the group.
   *
   * @default 1
   */
  readonly minSize?: number;
  /**
   * The most machines of the group (at least `minSize`).
   *
   * @default - `minSize`
   */
  readonly maxSize?: number;
  /** The cluster subnets (by name) the machines are placed in; at least one. */
  readonly subnets: string[];
  /**
   * The zones the machines are placed in (regional subnets).
   *
   * @default - the zones of `subnets`
   */
  readonly zones?: string[];
  /**
   * The machine image.
   *
   * @default - kops's default image for the cloud
   */
  readonly image?: string;
  /**
   * Kubernetes labels of the group's nodes.
   *
   * @default - none (kops adds `kops.k8s.io/instancegroup=<name>`)
   */
  readonly nodeLabels?: { [key: string]: string };
  /**
   * The group name (DNS-1123 label).
   *
   * @default - the construct id
   */
  readonly name?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A kops `InstanceGroup` (`kops.k8s.io/v1alpha2`): a group of machines of
 * one role and machine type, in some of the cluster's subnets. Created with
 * `KopsCluster.addInstanceGroup` (or `new KopsInstanceGroup(cluster, id, props)`);
 * written into the cluster's file for `kops create -f` / `kops replace -f`.
 */
export class KopsInstanceGroup extends Construct {
  /** The group name. */
  public readonly name: string;
  /** The role of its machines. */
  public readonly role: KopsRole;
  /** The underlying kops object. */
  public readonly apiObject: ApiObject;

  /**
   * @param cluster the kops cluster the group belongs to
   * @param id construct id (the default group name)
   * @param props role, machine type, sizes, subnets
   */
  public constructor(cluster: KopsCluster, id: string, props: KopsInstanceGroupProps) {
    super(checkScope(cluster, id, 'KopsInstanceGroup', false), id);
    checkPropsObject(this, 'KopsInstanceGroupProps', props);
    this.name = props.name ?? id;
    if (!DNS_LABEL.test(this.name) || this.name.length > 63) {
      throw ValidationError.of(this, 'name', this.name, 'is not a valid instance group name: lower-case letters, digits and "-", at most 63 characters, starting and ending with a letter or digit');
    }
    this.role = checkEnum(this, 'role', props.role, KopsRole, 'a kops instance group role');
    if (typeof props.machineType !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(props.machineType)) {
      throw ValidationError.of(this, 'machineType', props.machineType, 'is not a machine type: a cloud flavor name such as "m1.large" (letters, digits, ".", "_", "-", ":", "/")');
    }
    const minSize = props.minSize ?? 1;
    const maxSize = props.maxSize ?? minSize;
    checkSize(this, 'minSize', minSize);
    checkSize(this, 'maxSize', maxSize);
    if (maxSize < minSize) {
      throw ValidationError.of(this, 'maxSize', maxSize, `is smaller than minSize ${minSize}: maxSize must be at least minSize`);
    }
    if (this.role === KopsRole.CONTROL_PLANE && minSize < 1) {
      throw ValidationError.of(this, 'minSize', minSize, 'leaves the control plane without a machine: a control-plane group needs minSize 1 or more');
    }
    if (!Array.isArray(props.subnets) || props.subnets.length === 0) {
      throw ValidationError.of(this, 'subnets', props.subnets ?? null, 'is empty: name at least one subnet of the cluster');
    }
    props.subnets.forEach((s, i) => {
      const subnet = cluster.subnets.find(x => x.name === s);
      if (!subnet) {
        throw ValidationError.of(this, `subnets[${i}]`, s, `is not a subnet of cluster ${cluster.clusterName}: expected one of ${cluster.subnets.map(x => `"${x.name}"`).join(', ')}`);
      }
    });
    const zones = props.zones ?? [...new Set(props.subnets.map(s => cluster.subnets.find(x => x.name === s)!.zone))];
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'kops.k8s.io/v1alpha2',
      kind: 'InstanceGroup',
      metadata: { name: this.name, labels: { 'kops.k8s.io/cluster': cluster.clusterName } },
      spec: {
        role: this.role,
        machineType: props.machineType,
        minSize,
        maxSize,
        subnets: [...props.subnets],
        zones,
        ...(props.image ? { image: props.image } : {}),
        ...(props.nodeLabels ? { nodeLabels: { ...props.nodeLabels } } : {}),
      },
    });
  }
}

function checkSize(scope: Construct, field: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 1000) {
    throw ValidationError.of(scope, field, n, 'is not a group size: an integer from 0 to 1000');
  }
}
