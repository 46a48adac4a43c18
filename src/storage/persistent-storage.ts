import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MountableStorage } from './mountable-storage';
import { defaultVolumeName, toCheckedL1 } from './render';
import { VolumeScope } from './volume-plugin';
import { VolumePlugins } from './volume-plugins';
import { VolumeSource } from './volume-source';
import { checkProps, is, pathOf } from '../core/checks';
import { ValidationError } from '../core/errors';
import { tenantNamespaceOf } from '../core/tenant-scope';
import { checkDnsLabel, checkDnsSubdomain, checkPositiveQuantity } from '../validate/rules';

/** When a StorageClass binds claims to volumes. */
export enum VolumeBindingMode {
  /** Bind as soon as the claim is created. */
  IMMEDIATE = 'Immediate',
  /** Bind when the first pod using the claim is scheduled (recommended for node-bound storage). */
  WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer',
}

/** A StorageClass created with the storage. */
export interface StorageClassOptions {
  /** The StorageClass name (cluster-wide). */
  readonly name: string;
  /**
   * The provisioner. Statically provisioned volumes like this one use `kubernetes.io/no-provisioner`.
   *
   * @default 'kubernetes.io/no-provisioner'
   */
  readonly provisioner?: string;
  /**
   * Provisioner parameters.
   *
   * @default - none
   */
  readonly parameters?: { [key: string]: string };
  /**
   * When claims bind.
   *
   * @default VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER
   */
  readonly volumeBindingMode?: VolumeBindingMode;
  /**
   * Whether claims may grow.
   *
   * @default false
   */
  readonly allowVolumeExpansion?: boolean;
}

/** Props of a `PersistentStorage`. */
export interface PersistentStorageProps {
  /** What the PersistentVolume is made of, e.g. `VolumeSource.nfs({ server, path })`. */
  readonly source: VolumeSource;
  /** Capacity of the volume and request of the claim, a Kubernetes quantity such as `10Gi`. */
  readonly capacity: string;
  /**
   * Access modes of the volume and the claim; each must be one the plugin supports.
   *
   * @default - the plugin's preferred mode: ReadOnlyMany for a read-only source that allows it, else the first of `plugin.accessModes(source)`
   */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
  /**
   * What happens to the volume when the claim is deleted.
   *
   * @default kplus.PersistentVolumeReclaimPolicy.RETAIN
   */
  readonly reclaimPolicy?: kplus.PersistentVolumeReclaimPolicy;
  /**
   * Name of the claim, and of the pod volume.
   *
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * Name of the PersistentVolume (cluster-scoped, so unique in the cluster).
   *
   * @default - `<namespace>-<name>`, or `<name>` without a namespace
   */
  readonly volumeName?: string;
  /**
   * Namespace of the claim (and of the PersistentVolume's `claimRef`).
   *
   * @default - the enclosing Tenant's namespace, else the chart's; without one the claim has no namespace and the volume no claimRef
   */
  readonly namespace?: string;
  /**
   * Create a StorageClass and put volume and claim in it.
   *
   * @default - none: see `storageClassName`
   */
  readonly storageClass?: StorageClassOptions;
  /**
   * Name of an existing StorageClass for volume and claim (ignored with `storageClass`).
   *
   * @default '' (no class, so the cluster's default class cannot provision a different volume for the claim)
   */
  readonly storageClassName?: string;
  /**
   * Mount options of the volume, e.g. ['nfsvers=4.1', 'hard'] (a pod spec cannot set them).
   *
   * @default - none
   */
  readonly mountOptions?: string[];
  /**
   * Filesystem or raw block device.
   *
   * @default kplus.PersistentVolumeMode.FILE_SYSTEM
   */
  readonly volumeMode?: kplus.PersistentVolumeMode;
  /**
   * Emit the CSI form of a CSI-migrated in-tree source (the csi-translation-lib
   * translation: e.g. awsElasticBlockStore → csi driver ebs.csi.aws.com with
   * the volume ID as handle), silencing the migration warning.
   *
   * @default false
   */
  readonly useCsiDriver?: boolean;
}

/**
 * A statically provisioned PersistentVolume, the PersistentVolumeClaim bound
 * to it (PV `claimRef` ↔ PVC `volumeName`, same `storageClassName`), and
 * optionally a StorageClass. Pods mount the claim, which Pod Security
 * "restricted" allows whatever the volume type.
 */
export class PersistentStorage extends MountableStorage {
  /** The PersistentVolume. */
  public readonly persistentVolume: kplus.k8s.KubePersistentVolume;
  /** The PersistentVolumeClaim bound to it. */
  public readonly claim: kplus.k8s.KubePersistentVolumeClaim;
  /** The StorageClass, when `storageClass` was given. */
  public readonly storageClass?: kplus.k8s.KubeStorageClass;
  /** The pod volume (a persistentVolumeClaim volume) that `mount` adds. */
  public readonly volume: kplus.Volume;
  /** The access modes of volume and claim. */
  public readonly accessModes: kplus.PersistentVolumeAccessMode[];
  /** The source the PersistentVolume is rendered from (the CSI form with `useCsiDriver`). */
  public readonly renderedSource: VolumeSource;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: PersistentStorageProps) {
    super(scope, id, checkPersistentProps(scope, id, props).source);
    const capacity = checkPositiveQuantity(this, 'capacity', props.capacity);
    const name = props.name !== undefined ? checkDnsLabel(this, 'name', props.name) : defaultVolumeName(this);
    const namespace = props.namespace !== undefined ? checkDnsLabel(this, 'namespace', props.namespace) : tenantNamespaceOf(this) ?? Chart.of(this).namespace;
    const pvName = checkDnsSubdomain(this, 'volumeName', props.volumeName ?? (namespace ? `${namespace}-${name}` : name));

    this.renderedSource = props.useCsiDriver ? this.csiForm() : props.source;
    const renderer = props.useCsiDriver ? VolumePlugins.of(this).findPlugin(this, this.renderedSource) : this.plugin;
    const sourceJson = renderer.renderPersistentVolume(this, this.renderedSource);
    if (!sourceJson) {
      throw ValidationError.of(this, 'source.type', props.source.type,
        `cannot back a PersistentVolume (${renderer.name} is pod-scoped); use InlineVolume`);
    }
    this.accessModes = this.checkAccessModes(props.accessModes);

    let className = props.storageClassName ?? '';
    if (props.storageClass) {
      const sc = props.storageClass;
      className = checkDnsSubdomain(this, 'storageClass.name', sc.name);
      this.storageClass = new kplus.k8s.KubeStorageClass(this, 'StorageClass', {
        metadata: { name: className },
        provisioner: sc.provisioner ?? 'kubernetes.io/no-provisioner',
        parameters: sc.parameters,
        reclaimPolicy: props.reclaimPolicy ?? kplus.PersistentVolumeReclaimPolicy.RETAIN,
        volumeBindingMode: sc.volumeBindingMode ?? VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER,
        allowVolumeExpansion: sc.allowVolumeExpansion,
      });
    } else if (className !== '') {
      checkDnsSubdomain(this, 'storageClassName', className);
    }

    const pvSpec = {
      ...sourceJson,
      capacity: { storage: capacity },
      accessModes: this.accessModes,
      persistentVolumeReclaimPolicy: props.reclaimPolicy ?? kplus.PersistentVolumeReclaimPolicy.RETAIN,
      storageClassName: className,
      mountOptions: props.mountOptions,
      volumeMode: props.volumeMode,
      claimRef: namespace ? { name, namespace } : undefined,
    };
    this.persistentVolume = new kplus.k8s.KubePersistentVolume(this, 'PersistentVolume', {
      metadata: { name: pvName },
      spec: toCheckedL1(this, 'persistentVolume.spec', dropUndefined(pvSpec), 'io.k8s.api.core.v1.PersistentVolumeSpec',
        s => kplus.k8s.toJson_PersistentVolumeSpec(s)),
    });
    clusterScoped(this.persistentVolume);
    if (this.storageClass) clusterScoped(this.storageClass);
    this.claim = new kplus.k8s.KubePersistentVolumeClaim(this, 'Claim', {
      metadata: { name, namespace },
      spec: {
        accessModes: this.accessModes,
        resources: { requests: { storage: kplus.k8s.Quantity.fromString(capacity) } },
        storageClassName: className,
        volumeName: pvName,
        volumeMode: props.volumeMode,
      },
    });
    this.volume = kplus.Volume.fromPersistentVolumeClaim(this, 'Volume',
      kplus.PersistentVolumeClaim.fromClaimName(this, 'ClaimRef', name), { name });
    if (!props.useCsiDriver) {
      this.checkAvailability('; useCsiDriver: true emits the CSI form instead');
    }
  }

  protected sharingModes(): kplus.PersistentVolumeAccessMode[] {
    return this.accessModes;
  }

  protected sharingScope(): VolumeScope {
    return this.plugin.scope === VolumeScope.NODE ? VolumeScope.NODE : VolumeScope.ATTACHED;
  }

  protected requiredNamespace(): string | undefined {
    return this.claim.metadata.namespace;
  }

  protected podVolumeJson(): { [key: string]: any } {
    return { persistentVolumeClaim: { claimName: this.claim.name } };
  }

  private csiForm(): VolumeSource {
    const csi = this.plugin.toCsi(this, this.source);
    if (!csi) {
      throw ValidationError.of(this, 'useCsiDriver', true,
        `is not possible for "${this.source.type}": ${this.plugin.name} has no CSI migration translation; use VolumeSource.csi with the driver's own volume handle`);
    }
    return csi;
  }

  private checkAccessModes(given: kplus.PersistentVolumeAccessMode[] | undefined): kplus.PersistentVolumeAccessMode[] {
    const supported = this.plugin.accessModes(this.source);
    if (given === undefined) {
      const ro = kplus.PersistentVolumeAccessMode.READ_ONLY_MANY;
      return [this.source.readOnly && supported.includes(ro) ? ro : supported[0] ?? kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE];
    }
    if (given.length === 0) {
      throw ValidationError.of(this, 'accessModes', given, `must name at least one access mode; ${this.plugin.name} supports ${supported.join(', ')}`);
    }
    given.forEach((m, i) => {
      if (!supported.includes(m)) {
        throw ValidationError.of(this, `accessModes[${i}]`, m, `is not supported by ${this.plugin.name}, which supports ${supported.join(', ')}`);
      }
    });
    return [...given];
  }
}

/** cdk8s gives every object the chart's namespace; PersistentVolume and StorageClass are cluster-scoped and must have none. */
function clusterScoped(obj: ApiObject): void {
  if (obj.metadata.namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}

function dropUndefined(o: { [k: string]: any }): { [k: string]: any } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Checks the runtime shape of `PersistentStorageProps` before the construct exists; returns them. */
function checkPersistentProps(scope: Construct, id: string, props: PersistentStorageProps): PersistentStorageProps {
  checkProps(pathOf(scope, id), 'PersistentStorageProps', props, {
    source: is.instanceOf(VolumeSource, 'e.g. VolumeSource.nfs({ server, path })'),
    capacity: is.string(),
    accessModes: is.arrayOf(is.oneOf(kplus.PersistentVolumeAccessMode, 'PersistentVolumeAccessMode')),
    reclaimPolicy: is.oneOf(kplus.PersistentVolumeReclaimPolicy, 'PersistentVolumeReclaimPolicy'),
    name: is.string(),
    volumeName: is.string(),
    namespace: is.string(),
    storageClass: is.struct('StorageClassOptions', {
      name: is.string(),
      provisioner: is.string(),
      parameters: is.mapOf(is.string()),
      volumeBindingMode: is.oneOf(VolumeBindingMode, 'VolumeBindingMode'),
      allowVolumeExpansion: is.boolean(),
    }, ['name']),
    storageClassName: is.string(),
    mountOptions: is.arrayOf(is.string()),
    volumeMode: is.oneOf(kplus.PersistentVolumeMode, 'PersistentVolumeMode'),
    useCsiDriver: is.boolean(),
  }, ['source', 'capacity']);
  return props;
}
