import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { VolumeSource } from './volume-source';
import { KubeVersion } from '../core/kube-version';

/** How far the data of a volume is shared between the replicas of a workload. */
export enum VolumeScope {
  /** Each pod gets its own copy (emptyDir, secret, configMap, CSI ephemeral): any replica count is fine. */
  POD = 'Pod',
  /** The data lives on one node (hostPath): replicas on other nodes see other data. */
  NODE = 'Node',
  /** Network or attached storage: sharing is decided by the access modes (ReadWriteOnce disks attach to one node). */
  ATTACHED = 'Attached',
}

/** Where a volume plugin stands at a given Kubernetes version. */
export enum PluginStatus {
  /** Works, nothing to do. */
  SUPPORTED = 'Supported',
  /** Works but is deprecated: move to the named CSI driver before it is removed. */
  DEPRECATED = 'Deprecated',
  /** The in-tree code hands every operation to a CSI driver, which must be installed in the cluster. */
  CSI_MIGRATED = 'CsiMigrated',
  /** Non-functional: pods using it fail to start. */
  REMOVED = 'Removed',
}

/** A plugin's availability at one Kubernetes version. */
export interface PluginAvailability {
  /** Supported, deprecated, CSI-migrated or removed. */
  readonly status: PluginStatus;
  /**
   * The CSI driver that replaces the plugin, e.g. `ebs.csi.aws.com`.
   *
   * @default - none
   */
  readonly csiDriver?: string;
  /**
   * What to move to, in words (shown in errors and warnings).
   *
   * @default - the CSI driver when there is one
   */
  readonly replacement?: string;
  /**
   * The version that deprecated the plugin, e.g. `1.19`.
   *
   * @default - not deprecated
   */
  readonly deprecatedIn?: string;
  /**
   * The version that removed the in-tree driver, e.g. `1.31`.
   *
   * @default - not removed
   */
  readonly removedIn?: string;
}

/**
 * A volume plugin: the synth-time counterpart of the kubelet's
 * `VolumePlugin` / `PersistentVolumePlugin` interfaces.
 *
 * Where the kubelet's plugin probes, `CanSupport`s a spec, and sets up and
 * tears down mounts on a node, this one recognises a `VolumeSource` and
 * renders what the kubelet will get: the pod's inline volume and the
 * PersistentVolume source, with the access modes the storage allows and the
 * Kubernetes versions it works on.
 *
 * Register your own with `VolumePlugins.of(scope).register(plugin)`.
 */
export interface IVolumePlugin {
  /** Unique plugin name, e.g. `kubernetes.io/nfs` or `example.com/acme-nas`. */
  readonly name: string;

  /** How far the data is shared between replicas when mounted inline. */
  readonly scope: VolumeScope;

  /**
   * Whether this plugin handles `source` (kubelet: `CanSupport`). Exactly one
   * registered plugin may return true for a source.
   *
   * @param source the source to look at
   */
  canSupport(source: VolumeSource): boolean;

  /**
   * The pod volume for `source`, without `name`, in Kubernetes JSON, e.g.
   * `{ nfs: { server: 'nas', path: '/export' } }`.
   *
   * @param scope the construct that uses the volume (for error messages)
   * @param source the source to render
   * @throws ValidationError when the options are invalid or the plugin has no inline form
   */
  renderPodVolume(scope: IConstruct, source: VolumeSource): { [key: string]: any };

  /**
   * The volume-source fields of a PersistentVolume spec for `source`, in
   * Kubernetes JSON (e.g. `{ iscsi: { … } }`), or undefined when the plugin
   * cannot back a PersistentVolume (emptyDir, secret, configMap).
   *
   * @param scope the construct that uses the volume (for error messages)
   * @param source the source to render
   */
  renderPersistentVolume(scope: IConstruct, source: VolumeSource): { [key: string]: any } | undefined;

  /**
   * The PersistentVolume access modes the storage supports, preferred first
   * (kubelet: `GetAccessModes`), e.g. [ReadWriteMany, ReadOnlyMany, ReadWriteOnce]
   * for NFS, [ReadWriteOnce, ReadOnlyMany] for a cloud disk. Empty for
   * pod-scoped sources.
   *
   * @param source the source to look at
   */
  accessModes(source: VolumeSource): kplus.PersistentVolumeAccessMode[];

  /**
   * Whether the plugin works at `version`, and what replaces it.
   *
   * @param version the target Kubernetes version
   */
  availability(version: KubeVersion): PluginAvailability;

  /**
   * The same volume through its CSI driver (the CSI-migration translation),
   * or undefined when there is none.
   *
   * @param scope the construct that uses the volume (for error messages)
   * @param source the source to translate
   */
  toCsi(scope: IConstruct, source: VolumeSource): VolumeSource | undefined;
}
