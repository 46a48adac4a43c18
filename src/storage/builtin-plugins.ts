import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { inTreeAvailability } from './availability';
import { IVolumePlugin, PluginAvailability, VolumeScope } from './volume-plugin';
import { CsiOptions, VolumeSource } from './volume-source';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';
import { HOST_ADDRESS_RULE, isHostAddress } from '../core/names';
import { checkAbsolutePath, checkDnsSubdomain, checkInteger, checkPositiveQuantity } from '../validate/rules';

const RWO = kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE;
const ROX = kplus.PersistentVolumeAccessMode.READ_ONLY_MANY;
const RWX = kplus.PersistentVolumeAccessMode.READ_WRITE_MANY;
const RWOP = kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD;

/** Validates option values of one source, naming fields `source.<type>.<field>`. */
class Fields {
  constructor(readonly scope: IConstruct, readonly type: string, readonly o: { [k: string]: any }) {}

  private f(field: string): string {
    return `source.${this.type}.${field}`;
  }

  /** A required non-empty string. */
  str(field: string): string {
    const v = this.o[field];
    if (typeof v !== 'string' || v.trim() === '') {
      throw ValidationError.of(this.scope, this.f(field), v ?? '', 'is required: a non-empty string');
    }
    return v;
  }

  /** An optional string (non-empty when given). */
  optStr(field: string): string | undefined {
    return this.o[field] === undefined ? undefined : this.str(field);
  }

  path(field: string): string {
    return checkAbsolutePath(this.scope, this.f(field), this.o[field]);
  }

  optPath(field: string): string | undefined {
    return this.o[field] === undefined ? undefined : this.path(field);
  }

  int(field: string, min: number, max: number): number | undefined {
    return this.o[field] === undefined ? undefined : checkInteger(this.scope, this.f(field), this.o[field], min, max);
  }

  quantity(field: string): string | undefined {
    return this.o[field] === undefined ? undefined : checkPositiveQuantity(this.scope, this.f(field), this.o[field]);
  }

  /** The name of a Secret/ConfigMap/Endpoints object. */
  objName(field: string, optional = false): string | undefined {
    if (optional && this.o[field] === undefined) return undefined;
    return checkDnsSubdomain(this.scope, this.f(field), this.o[field]);
  }

  list(field: string): string[] {
    const v = this.o[field];
    if (!Array.isArray(v) || v.length === 0 || v.some(x => typeof x !== 'string' || x.trim() === '')) {
      throw ValidationError.of(this.scope, this.f(field), v ?? [], 'must list at least one non-empty string, e.g. ["10.0.0.1:6789"]');
    }
    return [...v];
  }

  /** A host address (`nfs.example.com`, `10.0.0.1:6789`): nothing a mount helper could read as more. */
  host(field: string): string {
    const v = this.str(field);
    if (!isHostAddress(v)) throw ValidationError.of(this.scope, this.f(field), v, HOST_ADDRESS_RULE);
    return v;
  }

  hostList(field: string): string[] {
    const v = this.list(field);
    v.forEach((h, i) => {
      if (!isHostAddress(h)) throw ValidationError.of(this.scope, `${this.f(field)}[${i}]`, h, HOST_ADDRESS_RULE);
    });
    return v;
  }

  optList(field: string): string[] | undefined {
    return this.o[field] === undefined ? undefined : this.list(field);
  }

  bool(field: string): boolean | undefined {
    return this.o[field] === undefined ? undefined : this.o[field] === true;
  }

  /** `secretRef` from `secretName` (+ `secretNamespace` in the PersistentVolume form). */
  secretRef(pv: boolean, nameField = 'secretName'): { name: string; namespace?: string } | undefined {
    const name = this.objName(nameField, true);
    if (name === undefined) return undefined;
    return pv ? compact({ name, namespace: this.objName('secretNamespace', true) }) : { name };
  }

  items(): Array<{ key: string; path: string }> | undefined {
    const items = this.o.items as { [k: string]: string } | undefined;
    if (items === undefined) return undefined;
    const seen = new Map<string, string>();
    return Object.keys(items).sort().map(key => {
      const p = items[key];
      if (typeof p !== 'string' || p === '' || p.startsWith('/') || p.split('/').includes('..')) {
        throw ValidationError.of(this.scope, this.f(`items.${key}`), p ?? '', 'must be a relative path without ".." segments, e.g. "conf/app.properties"');
      }
      const norm = p.split('/').filter(seg => seg !== '' && seg !== '.').join('/');
      const other = seen.get(norm);
      if (other !== undefined) {
        throw ValidationError.of(this.scope, this.f(`items.${key}`), p, `is also the path of key "${other}"; each item needs its own path in the volume`);
      }
      seen.set(norm, key);
      return { key, path: p };
    });
  }
}

/** Drops undefined values (and empty nested objects) so the output carries only fields that were set. */
function compact<T extends { [k: string]: any }>(o: T): T {
  const out: { [k: string]: any } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

type Render = (f: Fields, pv: boolean) => { [k: string]: any };

/** Internal description of one built-in. */
interface BuiltinSpec {
  readonly type: string;
  readonly name: string;
  readonly scope: VolumeScope;
  readonly modes: kplus.PersistentVolumeAccessMode[];
  readonly render: Render;
  /** false when the plugin cannot back a PersistentVolume. */
  readonly persistent: boolean;
  readonly csi?: (f: Fields) => CsiOptions;
}

const HOST_PATH_TYPES = ['DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];

const blockFields = (f: Fields) => ({ fsType: f.optStr('fsType'), readOnly: f.bool('readOnly') });

const SPECS: BuiltinSpec[] = [
  {
    type: 'emptyDir',
    name: 'kubernetes.io/empty-dir',
    scope: VolumeScope.POD,
    modes: [],
    persistent: false,
    render: f => ({ medium: f.o.medium ? oneOf(f, 'medium', ['Memory']) : undefined, sizeLimit: f.quantity('sizeLimit') }),
  },
  {
    type: 'hostPath',
    name: 'kubernetes.io/host-path',
    scope: VolumeScope.NODE,
    modes: [RWO],
    persistent: true,
    render: f => ({ path: f.path('path'), type: f.o.type ? oneOf(f, 'type', HOST_PATH_TYPES) : undefined }),
  },
  {
    type: 'gcePersistentDisk',
    name: 'kubernetes.io/gce-pd',
    scope: VolumeScope.ATTACHED,
    modes: [RWO, ROX],
    persistent: true,
    render: f => ({ pdName: f.str('pdName'), ...blockFields(f), partition: f.int('partition', 0, 128) }),
    csi: f => ({
      driver: 'pd.csi.storage.gke.io',
      volumeHandle: `projects/UNSPECIFIED/zones/UNSPECIFIED/disks/${f.str('pdName')}`,
      ...blockFields(f),
      volumeAttributes: partitionAttr(f),
    }),
  },
  {
    type: 'awsElasticBlockStore',
    name: 'kubernetes.io/aws-ebs',
    scope: VolumeScope.ATTACHED,
    modes: [RWO],
    persistent: true,
    render: f => ({ volumeID: f.str('volumeId'), ...blockFields(f), partition: f.int('partition', 0, 128) }),
    // csi-translation-lib aws_ebs.go: the handle is the bare volume ID (an aws://zone/ prefix is dropped)
    csi: f => ({ driver: 'ebs.csi.aws.com', volumeHandle: f.str('volumeId').replace(/^aws:\/\/[^/]*\//, ''), ...blockFields(f), volumeAttributes: partitionAttr(f) }),
  },
  {
    type: 'iscsi',
    name: 'kubernetes.io/iscsi',
    scope: VolumeScope.ATTACHED,
    modes: [RWO, ROX],
    persistent: true,
    render: (f, pv) => ({
      targetPortal: f.host('targetPortal'),
      iqn: f.str('iqn'),
      lun: checkLun(f),
      iscsiInterface: f.optStr('iscsiInterface'),
      ...blockFields(f),
      portals: f.o.portals === undefined ? undefined : f.hostList('portals'),
      chapAuthDiscovery: f.bool('chapAuthDiscovery'),
      chapAuthSession: f.bool('chapAuthSession'),
      secretRef: f.secretRef(pv),
      initiatorName: f.optStr('initiatorName'),
    }),
  },
  {
    type: 'rbd',
    name: 'kubernetes.io/rbd',
    scope: VolumeScope.ATTACHED,
    modes: [RWO, ROX],
    persistent: true,
    render: (f, pv) => ({
      monitors: f.hostList('monitors'),
      image: f.str('image'),
      ...blockFields(f),
      pool: f.optStr('pool'),
      user: f.optStr('user'),
      keyring: f.optPath('keyring'),
      secretRef: f.secretRef(pv),
    }),
  },
  {
    type: 'azureFile',
    name: 'kubernetes.io/azure-file',
    scope: VolumeScope.ATTACHED,
    modes: [RWX, ROX, RWO],
    persistent: true,
    render: (f, pv) => ({
      secretName: f.objName('secretName'),
      shareName: f.str('shareName'),
      readOnly: f.bool('readOnly'),
      secretNamespace: pv ? f.objName('secretNamespace', true) : undefined,
    }),
    // csi-translation-lib azure_file.go: handle "<resource group>#<account>#<share>#<disk>#<secret namespace>"
    csi: f => {
      const secret = f.objName('secretName')!;
      const account = /^azure-storage-account-(.+)-secret$/.exec(secret)?.[1] ?? '';
      const ns = f.objName('secretNamespace', true) ?? 'default';
      return {
        driver: 'file.csi.azure.com',
        volumeHandle: `#${account}#${f.str('shareName')}##${ns}`,
        readOnly: f.bool('readOnly'),
        volumeAttributes: { shareName: f.str('shareName') },
        nodeStageSecretName: secret,
        secretNamespace: ns,
      };
    },
  },
  {
    type: 'azureDisk',
    name: 'kubernetes.io/azure-disk',
    scope: VolumeScope.ATTACHED,
    modes: [RWO],
    persistent: true,
    render: f => ({
      diskName: f.str('diskName'),
      diskURI: f.str('diskUri'),
      cachingMode: oneOf(f, 'cachingMode', ['None', 'ReadOnly', 'ReadWrite']),
      ...blockFields(f),
      kind: oneOf(f, 'kind', ['Shared', 'Dedicated', 'Managed']),
    }),
    csi: f => ({
      driver: 'disk.csi.azure.com',
      volumeHandle: f.str('diskUri'),
      ...blockFields(f),
      volumeAttributes: f.optStr('cachingMode') ? { cachingMode: f.str('cachingMode') } : undefined,
    }),
  },
  {
    type: 'nfs',
    name: 'kubernetes.io/nfs',
    scope: VolumeScope.ATTACHED,
    modes: [RWX, ROX, RWO],
    persistent: true,
    render: f => ({ server: f.host('server'), path: f.path('path'), readOnly: f.bool('readOnly') }),
  },
  {
    type: 'glusterfs',
    name: 'kubernetes.io/glusterfs',
    scope: VolumeScope.ATTACHED,
    modes: [RWX, ROX, RWO],
    persistent: true,
    render: (f, pv) => ({
      endpoints: f.objName('endpoints'),
      path: f.str('path'),
      readOnly: f.bool('readOnly'),
      endpointsNamespace: pv ? f.objName('endpointsNamespace', true) : undefined,
    }),
  },
  {
    type: 'flocker',
    name: 'kubernetes.io/flocker',
    scope: VolumeScope.ATTACHED,
    modes: [RWO],
    persistent: true,
    render: f => {
      const out = { datasetName: f.optStr('datasetName'), datasetUUID: f.optStr('datasetUuid') };
      if ((out.datasetName === undefined) === (out.datasetUUID === undefined)) {
        throw ValidationError.of(f.scope, 'source.flocker', out, 'must set exactly one of datasetName and datasetUuid');
      }
      return out;
    },
  },
  {
    type: 'cephfs',
    name: 'kubernetes.io/cephfs',
    scope: VolumeScope.ATTACHED,
    modes: [RWX, ROX, RWO],
    persistent: true,
    render: (f, pv) => ({
      monitors: f.hostList('monitors'),
      path: f.optPath('path'),
      user: f.optStr('user'),
      secretFile: f.optPath('secretFile'),
      secretRef: f.secretRef(pv),
      readOnly: f.bool('readOnly'),
    }),
  },
  {
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
  },
  {
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
  },
  {
    type: 'vsphereVolume',
    name: 'kubernetes.io/vsphere-volume',
    scope: VolumeScope.ATTACHED,
    modes: [RWO],
    persistent: true,
    render: f => ({
      volumePath: f.str('volumePath'),
      fsType: f.optStr('fsType'),
      storagePolicyName: f.optStr('storagePolicyName'),
      storagePolicyID: f.optStr('storagePolicyId'),
    }),
    csi: f => ({
      driver: 'csi.vsphere.vmware.com',
      volumeHandle: f.str('volumePath'),
      fsType: f.optStr('fsType'),
      volumeAttributes: f.optStr('storagePolicyName') ? { storagepolicyname: f.str('storagePolicyName') } : undefined,
    }),
  },
  {
    type: 'cinder',
    name: 'kubernetes.io/cinder',
    scope: VolumeScope.ATTACHED,
    modes: [RWO],
    persistent: true,
    render: (f, pv) => ({ volumeID: f.str('volumeId'), ...blockFields(f), secretRef: f.secretRef(pv) }),
    csi: f => ({ driver: 'cinder.csi.openstack.org', volumeHandle: f.str('volumeId'), ...blockFields(f) }),
  },
  {
    type: 'csi',
    name: 'kubernetes.io/csi',
    scope: VolumeScope.POD,
    modes: [RWO, ROX, RWX, RWOP],
    persistent: true,
    render: (f, pv) => {
      const common = {
        driver: f.str('driver'),
        fsType: f.optStr('fsType'),
        readOnly: f.bool('readOnly'),
        volumeAttributes: f.o.volumeAttributes,
        nodePublishSecretRef: f.secretRef(pv, 'nodePublishSecretName'),
      };
      if (!pv) {
        for (const k of ['volumeHandle', 'nodeStageSecretName']) {
          if (f.o[k] !== undefined) {
            throw ValidationError.of(f.scope, `source.csi.${k}`, f.o[k], 'applies to a PersistentVolume only: an inline (ephemeral) CSI volume has no volume handle or stage secret; use PersistentStorage');
          }
        }
        return common;
      }
      return { ...common, volumeHandle: f.str('volumeHandle'), nodeStageSecretRef: f.secretRef(true, 'nodeStageSecretName') };
    },
  },
];


function checkLun(f: Fields): number {
  const lun = f.int('lun', 0, 255);
  if (lun === undefined) throw ValidationError.of(f.scope, 'source.iscsi.lun', '', 'is required: an integer from 0 to 255');
  return lun;
}

function oneOf(f: Fields, field: string, allowed: string[]): string | undefined {
  const v = f.optStr(field);
  if (v !== undefined && !allowed.includes(v)) {
    throw ValidationError.of(f.scope, `source.${f.type}.${field}`, v, `must be one of ${allowed.join(', ')}`);
  }
  return v;
}

function partitionAttr(f: Fields): { [k: string]: string } | undefined {
  const p = f.int('partition', 0, 128);
  return p ? { partition: String(p) } : undefined;
}

/**
 * The in-tree volume plugins Kubernetes documents, each rendering the exact
 * Kubernetes fields of its volume type, with the access modes of the
 * PersistentVolume documentation and the availability of
 * data/volume-plugins.json. Every `VolumePlugins` registry starts with all of them.
 */
export class BuiltinVolumePlugin implements IVolumePlugin {
  /** Every built-in plugin, in the order of the Kubernetes volume types page. */
  public static all(): BuiltinVolumePlugin[] {
    return SPECS.map(s => new BuiltinVolumePlugin(s));
  }

  /** The source types the built-ins support (the Kubernetes volume field names). */
  public static types(): string[] {
    return SPECS.map(s => s.type);
  }

  /** @inheritdoc */
  public readonly name: string;
  /** @inheritdoc */
  public readonly scope: VolumeScope;
  /** The source type (Kubernetes volume field) this plugin handles, e.g. `nfs`. */
  public readonly type: string;

  private constructor(private readonly spec: BuiltinSpec) {
    this.name = spec.name;
    this.scope = spec.scope;
    this.type = spec.type;
  }

  public canSupport(source: VolumeSource): boolean {
    return source.type === this.spec.type;
  }

  public renderPodVolume(scope: IConstruct, source: VolumeSource): { [key: string]: any } {
    return { [this.spec.type]: compact(this.spec.render(new Fields(scope, this.spec.type, source.options), false)) };
  }

  public renderPersistentVolume(scope: IConstruct, source: VolumeSource): { [key: string]: any } | undefined {
    if (!this.spec.persistent) return undefined;
    return { [this.spec.type]: compact(this.spec.render(new Fields(scope, this.spec.type, source.options), true)) };
  }

  public accessModes(_source: VolumeSource): kplus.PersistentVolumeAccessMode[] {
    return [...this.spec.modes];
  }

  public availability(version: KubeVersion): PluginAvailability {
    return inTreeAvailability(this.spec.type, version);
  }

  public toCsi(scope: IConstruct, source: VolumeSource): VolumeSource | undefined {
    if (!this.spec.csi) return undefined;
    return VolumeSource.csi(compact(this.spec.csi(new Fields(scope, this.spec.type, source.options))));
  }
}
