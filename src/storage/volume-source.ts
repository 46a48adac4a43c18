import * as kplus from 'cdk8s-plus-27';

/** Options of an `emptyDir` volume: scratch space that lives as long as the pod. */
export interface EmptyDirOptions {
  /**
   * Backing medium: node disk or tmpfs (`Memory`).
   *
   * @default kplus.EmptyDirMedium.DEFAULT
   */
  readonly medium?: kplus.EmptyDirMedium;
  /**
   * Size limit, a Kubernetes quantity such as `1Gi`.
   *
   * @default - no limit
   */
  readonly sizeLimit?: string;
}

/** Options of a `hostPath` volume: a file or directory of the node. */
export interface HostPathOptions {
  /** Absolute path on the node. */
  readonly path: string;
  /**
   * What must exist at `path`.
   *
   * @default kplus.HostPathVolumeType.DEFAULT (no check)
   */
  readonly type?: kplus.HostPathVolumeType;
}

/** Fields shared by the block-device sources (cloud disks, iSCSI, RBD). */
export interface BlockDeviceOptions {
  /**
   * Filesystem type to mount, e.g. `ext4` or `xfs`.
   *
   * @default - the plugin's default (ext4)
   */
  readonly fsType?: string;
  /**
   * Mount read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of a `gcePersistentDisk` volume. */
export interface GcePersistentDiskOptions extends BlockDeviceOptions {
  /** Name of the persistent disk in GCE. */
  readonly pdName: string;
  /**
   * Partition to mount (1 for /dev/sda1).
   *
   * @default - the whole disk
   */
  readonly partition?: number;
}

/** Options of an `awsElasticBlockStore` volume. */
export interface AwsElasticBlockStoreOptions extends BlockDeviceOptions {
  /** The EBS volume ID, e.g. `vol-0123456789abcdef0` (rendered as `volumeID`). */
  readonly volumeId: string;
  /**
   * Partition to mount (1 for /dev/sda1).
   *
   * @default - the whole disk
   */
  readonly partition?: number;
}

/** Options of an `iscsi` volume. */
export interface IscsiOptions extends BlockDeviceOptions {
  /** Target portal: `IP[:port]` (port defaults to 3260). */
  readonly targetPortal: string;
  /** iSCSI Qualified Name of the target, e.g. `iqn.2001-04.com.example:storage.disk1`. */
  readonly iqn: string;
  /** Target LUN number, 0-255. */
  readonly lun: number;
  /**
   * iSCSI interface name (transport).
   *
   * @default 'default' (tcp)
   */
  readonly iscsiInterface?: string;
  /**
   * Additional target portals for multipath.
   *
   * @default - none
   */
  readonly portals?: string[];
  /**
   * Use CHAP authentication for discovery.
   *
   * @default false
   */
  readonly chapAuthDiscovery?: boolean;
  /**
   * Use CHAP authentication for the session.
   *
   * @default false
   */
  readonly chapAuthSession?: boolean;
  /**
   * Secret holding the CHAP credentials (`secretRef`).
   *
   * @default - none
   */
  readonly secretName?: string;
  /**
   * Namespace of the CHAP secret; PersistentVolume form only.
   *
   * @default - the claim's namespace
   */
  readonly secretNamespace?: string;
  /**
   * Custom iSCSI initiator name.
   *
   * @default - the node's initiator name
   */
  readonly initiatorName?: string;
}

/** Options of an `rbd` (Ceph RADOS block device) volume. */
export interface RbdOptions extends BlockDeviceOptions {
  /** Ceph monitors, `host:port`. At least one. */
  readonly monitors: string[];
  /** The RADOS image name. */
  readonly image: string;
  /**
   * The RADOS pool.
   *
   * @default 'rbd'
   */
  readonly pool?: string;
  /**
   * The RADOS user.
   *
   * @default 'admin'
   */
  readonly user?: string;
  /**
   * Keyring path on the node.
   *
   * @default '/etc/ceph/keyring'
   */
  readonly keyring?: string;
  /**
   * Secret holding the user's key (`secretRef`), overriding `keyring`.
   *
   * @default - none
   */
  readonly secretName?: string;
  /**
   * Namespace of the secret; PersistentVolume form only.
   *
   * @default - the claim's namespace
   */
  readonly secretNamespace?: string;
}

/** Options of a `cephfs` volume. */
export interface CephFsOptions {
  /** Ceph monitors, `host:port`. At least one. */
  readonly monitors: string[];
  /**
   * Path inside the Ceph filesystem to mount.
   *
   * @default '/'
   */
  readonly path?: string;
  /**
   * The RADOS user.
   *
   * @default 'admin'
   */
  readonly user?: string;
  /**
   * Path of the user's keyring on the node.
   *
   * @default '/etc/ceph/user.secret'
   */
  readonly secretFile?: string;
  /**
   * Secret holding the user's key (`secretRef`), overriding `secretFile`.
   *
   * @default - none
   */
  readonly secretName?: string;
  /**
   * Namespace of the secret; PersistentVolume form only.
   *
   * @default - the claim's namespace
   */
  readonly secretNamespace?: string;
  /**
   * Mount read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of an `azureFile` (SMB share) volume. */
export interface AzureFileOptions {
  /** Secret holding the storage account name and key. */
  readonly secretName: string;
  /** The share name. */
  readonly shareName: string;
  /**
   * Namespace of the secret; PersistentVolume form only.
   *
   * @default - the pod's namespace
   */
  readonly secretNamespace?: string;
  /**
   * Mount read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of an `azureDisk` volume. */
export interface AzureDiskOptions extends BlockDeviceOptions {
  /** The data disk's name in blob storage. */
  readonly diskName: string;
  /** The data disk's URI (rendered as `diskURI`). */
  readonly diskUri: string;
  /**
   * Host caching mode: `None`, `ReadOnly` or `ReadWrite`.
   *
   * @default - the plugin's default
   */
  readonly cachingMode?: string;
  /**
   * `Shared`, `Dedicated` or `Managed`.
   *
   * @default 'Shared'
   */
  readonly kind?: string;
}

/** Options of an `nfs` volume. */
export interface NfsOptions {
  /** Host name or IP of the NFS server. */
  readonly server: string;
  /** Path exported by the server. */
  readonly path: string;
  /**
   * Mount read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of a `glusterfs` volume. */
export interface GlusterfsOptions {
  /** Name of the Endpoints object that lists the Gluster servers. */
  readonly endpoints: string;
  /** The Gluster volume path. */
  readonly path: string;
  /**
   * Namespace of the Endpoints object; PersistentVolume form only.
   *
   * @default - the claim's namespace
   */
  readonly endpointsNamespace?: string;
  /**
   * Mount read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Options of a `flocker` volume: give exactly one of the two. */
export interface FlockerOptions {
  /**
   * Dataset name (metadata).
   *
   * @default - none; then datasetUuid
   */
  readonly datasetName?: string;
  /**
   * Dataset UUID (rendered as `datasetUUID`).
   *
   * @default - none; then datasetName
   */
  readonly datasetUuid?: string;
}

/** Options of a `secret` volume. */
export interface SecretVolumeOptions {
  /** Name of the Secret. */
  readonly secretName: string;
  /**
   * File mode of the files, e.g. 0o400.
   *
   * @default 0o644
   */
  readonly defaultMode?: number;
  /**
   * Whether the pod starts when the Secret is missing.
   *
   * @default false
   */
  readonly optional?: boolean;
  /**
   * Keys to project, key → relative path.
   *
   * @default - every key, as a file of its name
   */
  readonly items?: { [key: string]: string };
}

/** Options of a `configMap` volume. */
export interface ConfigMapVolumeOptions {
  /** Name of the ConfigMap. */
  readonly name: string;
  /**
   * File mode of the files, e.g. 0o444.
   *
   * @default 0o644
   */
  readonly defaultMode?: number;
  /**
   * Whether the pod starts when the ConfigMap is missing.
   *
   * @default false
   */
  readonly optional?: boolean;
  /**
   * Keys to project, key → relative path.
   *
   * @default - every key, as a file of its name
   */
  readonly items?: { [key: string]: string };
}

/** Options of a `vsphereVolume`. */
export interface VsphereVolumeOptions {
  /** Path of the VMDK, e.g. `[datastore1] volumes/myDisk.vmdk`. */
  readonly volumePath: string;
  /**
   * Filesystem type.
   *
   * @default 'ext4'
   */
  readonly fsType?: string;
  /**
   * Storage policy-based management profile name.
   *
   * @default - none
   */
  readonly storagePolicyName?: string;
  /**
   * Storage policy profile ID (rendered as `storagePolicyID`).
   *
   * @default - none
   */
  readonly storagePolicyId?: string;
}

/** Options of a `cinder` (OpenStack) volume. */
export interface CinderOptions extends BlockDeviceOptions {
  /** The Cinder volume ID (rendered as `volumeID`). */
  readonly volumeId: string;
  /**
   * Secret with OpenStack connection parameters (`secretRef`).
   *
   * @default - none
   */
  readonly secretName?: string;
}

/** Options of a `csi` volume: inline (ephemeral) or in a PersistentVolume. */
export interface CsiOptions {
  /** The CSI driver's name, e.g. `ebs.csi.aws.com`. */
  readonly driver: string;
  /**
   * The volume's ID in the driver; required in a PersistentVolume, unused inline.
   *
   * @default - none (inline use only)
   */
  readonly volumeHandle?: string;
  /**
   * Filesystem type.
   *
   * @default - the driver's default
   */
  readonly fsType?: string;
  /**
   * Mount read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Driver-specific attributes.
   *
   * @default - none
   */
  readonly volumeAttributes?: { [key: string]: string };
  /**
   * Secret passed to NodePublishVolume (`nodePublishSecretRef`).
   *
   * @default - none
   */
  readonly nodePublishSecretName?: string;
  /**
   * Secret passed to NodeStageVolume (`nodeStageSecretRef`); PersistentVolume form only.
   *
   * @default - none
   */
  readonly nodeStageSecretName?: string;
  /**
   * Namespace of the secrets; PersistentVolume form only.
   *
   * @default - the claim's namespace
   */
  readonly secretNamespace?: string;
}

/**
 * What a volume is made of: a plugin type plus its options, independent of
 * how it is used (inline in a pod, or as a PersistentVolume).
 *
 * The built-in factories take typed options and are rendered by the built-in
 * plugins with the exact Kubernetes field names. `VolumeSource.custom` carries
 * a type only a plugin you register understands.
 */
export class VolumeSource {
  /** Scratch space for the lifetime of the pod (each replica has its own). */
  public static emptyDir(options: EmptyDirOptions = {}): VolumeSource {
    return new VolumeSource('emptyDir', options);
  }

  /** A file or directory of the node (node-local; needs Pod Security privileged). */
  public static hostPath(options: HostPathOptions): VolumeSource {
    return new VolumeSource('hostPath', options);
  }

  /** A GCE persistent disk (in-tree; migrated to pd.csi.storage.gke.io). */
  public static gcePersistentDisk(options: GcePersistentDiskOptions): VolumeSource {
    return new VolumeSource('gcePersistentDisk', options);
  }

  /** An AWS EBS volume (in-tree; migrated to ebs.csi.aws.com). */
  public static awsElasticBlockStore(options: AwsElasticBlockStoreOptions): VolumeSource {
    return new VolumeSource('awsElasticBlockStore', options);
  }

  /** An iSCSI LUN. */
  public static iscsi(options: IscsiOptions): VolumeSource {
    return new VolumeSource('iscsi', options);
  }

  /** A Ceph RBD image (in-tree driver removed in Kubernetes 1.31). */
  public static rbd(options: RbdOptions): VolumeSource {
    return new VolumeSource('rbd', options);
  }

  /** An Azure Files share (in-tree; migrated to file.csi.azure.com). */
  public static azureFile(options: AzureFileOptions): VolumeSource {
    return new VolumeSource('azureFile', options);
  }

  /** An Azure data disk (in-tree; migrated to disk.csi.azure.com). */
  public static azureDisk(options: AzureDiskOptions): VolumeSource {
    return new VolumeSource('azureDisk', options);
  }

  /** An NFS export: shared, ReadWriteMany. */
  public static nfs(options: NfsOptions): VolumeSource {
    return new VolumeSource('nfs', options);
  }

  /** A GlusterFS volume (non-functional since Kubernetes 1.26). */
  public static glusterfs(options: GlusterfsOptions): VolumeSource {
    return new VolumeSource('glusterfs', options);
  }

  /** A Flocker dataset (non-functional since Kubernetes 1.25). */
  public static flocker(options: FlockerOptions): VolumeSource {
    return new VolumeSource('flocker', options);
  }

  /** A CephFS path (in-tree driver removed in Kubernetes 1.31). */
  public static cephfs(options: CephFsOptions): VolumeSource {
    return new VolumeSource('cephfs', options);
  }

  /** The keys of a Secret as files (read-only, tmpfs). */
  public static secret(options: SecretVolumeOptions): VolumeSource {
    return new VolumeSource('secret', options);
  }

  /** The keys of a ConfigMap as files (read-only). */
  public static configMap(options: ConfigMapVolumeOptions): VolumeSource {
    return new VolumeSource('configMap', options);
  }

  /** A vSphere VMDK (in-tree; migrated to csi.vsphere.vmware.com). */
  public static vsphereVolume(options: VsphereVolumeOptions): VolumeSource {
    return new VolumeSource('vsphereVolume', options);
  }

  /** An OpenStack Cinder volume (in-tree removed in 1.26; migrated to cinder.csi.openstack.org). */
  public static cinder(options: CinderOptions): VolumeSource {
    return new VolumeSource('cinder', options);
  }

  /** A volume of a CSI driver: an ephemeral inline volume, or a PersistentVolume with `volumeHandle`. */
  public static csi(options: CsiOptions): VolumeSource {
    return new VolumeSource('csi', options);
  }

  /**
   * A source of a type only a registered custom plugin supports.
   *
   * @param type the type your plugin's `canSupport` recognises, e.g. `acme-nas`
   * @param options whatever your plugin reads when it renders
   */
  public static custom(type: string, options: { [key: string]: any } = {}): VolumeSource {
    return new VolumeSource(type, options);
  }

  /** The source type: the Kubernetes volume field for built-ins (`nfs`, `iscsi` …), any string for custom sources. */
  public readonly type: string;
  /** The options as given to the factory. */
  public readonly options: { [key: string]: any };

  private constructor(type: string, options: { [key: string]: any }) {
    this.type = type;
    this.options = { ...options };
  }

  /** True when the options ask for a read-only mount (`readOnly: true`). */
  public get readOnly(): boolean {
    return this.options.readOnly === true;
  }
}
