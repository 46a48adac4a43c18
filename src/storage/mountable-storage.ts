import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IVolumePlugin, PluginStatus, VolumeScope } from './volume-plugin';
import { VolumePlugins } from './volume-plugins';
import { VolumeSource } from './volume-source';
import { TomcatApp } from '../app/tomcat-app';
import { checkProps, checkScope, checkValue, is } from '../core/checks';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';
import { PodSecurity } from '../platform/pod-security-opt-in';
import { Warnings } from '../core/warnings';
import { checkPodSecurity, PodSecurityLevel } from '../validate/pod-security';
import { checkAbsolutePath } from '../validate/rules';

/** Options of `mount` and `mountInApp`. */
export interface StorageMountOptions extends kplus.MountOptions {
  /**
   * The container that mounts the volume.
   *
   * @default - the workload's first container (the Tomcat container for `mountInApp`)
   */
  readonly container?: kplus.Container;
}

interface Mount {
  readonly workload: kplus.AbstractPod;
  readonly readOnly: boolean;
}

const MOUNT_OPTIONS = {
  container: is.instanceOf(kplus.Container, 'a container of the workload'),
  propagation: is.oneOf(kplus.MountPropagation, 'MountPropagation'),
  readOnly: is.boolean(),
  subPath: is.string(),
  subPathExpr: is.string(),
};

/**
 * Throws unless `path` is free in `container` (no second volume on one path,
 * which the API server refuses, and none over the image's own mounts such as
 * Tomcat's `/tmp`) and `subPath` stays inside the volume.
 */
function checkMountPath(scope: Construct, container: kplus.Container, path: string, subPath: string | undefined): void {
  const norm = (p: string) => p.replace(/\/+$/, '') || '/';
  const taken = container.mounts.find(m => norm(m.path) === norm(path));
  if (taken) {
    throw ValidationError.of(scope, 'path', path,
      `is already the mount path of volume "${taken.volume.name}" in container "${container.name}"; each path can hold one volume: choose another path (e.g. "/data/${scope.node.id.toLowerCase()}")`);
  }
  if (subPath !== undefined && (subPath.startsWith('/') || subPath.split('/').some(seg => seg === '..') || /[\0\n]/.test(subPath))) {
    throw ValidationError.of(scope, 'subPath', subPath, 'must be a relative path inside the volume without ".." segments, e.g. "logs" or "app/config"');
  }
}

/** Whether a Deployment's rollout starts a new pod before the old one stops (Recreate or maxSurge 0 do not). */
function surges(d: kplus.Deployment): boolean {
  let strategy: any;
  try {
    strategy = ApiObject.of(d).toJson()?.spec?.strategy;
  } catch {
    return true;
  }
  if (strategy?.type === 'Recreate') return false;
  const surge = strategy?.rollingUpdate?.maxSurge;
  return !(surge === 0 || surge === '0%' || surge === '0');
}

/** How many pods a workload runs, as far as volume sharing is concerned. */
function podCount(w: kplus.AbstractPod): { count: number; what: string; perNode: boolean } {
  if (w instanceof kplus.Deployment || w instanceof kplus.StatefulSet) {
    if (w.hasAutoscaler) return { count: Infinity, what: 'is autoscaled (more than one replica)', perNode: false };
    const n = w.replicas ?? (w instanceof kplus.Deployment ? 2 : 1);
    return { count: n, what: `runs ${n} replicas`, perNode: false };
  }
  if (w instanceof kplus.DaemonSet) return { count: Infinity, what: 'runs one pod per node', perNode: true };
  return { count: 1, what: 'runs one pod', perNode: false };
}

/**
 * Storage a workload can mount: the shared part of `InlineVolume` and
 * `PersistentStorage`. It checks, when the app synthesizes, that the plugin
 * works on the target Kubernetes version, that storage which attaches to one
 * node is not mounted by several replicas, and that the pod's Pod Security
 * level allows the volume type.
 */
export abstract class MountableStorage extends Construct {
  /** What the volume is made of. */
  public readonly source: VolumeSource;
  /** The registered plugin that supports `source`. */
  public readonly plugin: IVolumePlugin;
  /** The pod volume that `mount` adds to workloads. */
  public abstract readonly volume: kplus.Volume;

  private readonly mounts: Mount[] = [];

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param source what the volume is made of
   */
  protected constructor(scope: Construct, id: string, source: VolumeSource) {
    super(checkScope(scope, id, 'storage'), id);
    this.source = source;
    this.plugin = VolumePlugins.of(this).findPlugin(this, source);
    this.node.addValidation({ validate: () => this.validateMounts() });
  }

  /**
   * Mount the volume into a container of any cdk8s-plus workload.
   *
   * @param workload the Deployment, StatefulSet, DaemonSet, Job or Pod
   * @param path where the container sees the volume
   * @param options container, readOnly, subPath …
   */
  public mount(workload: kplus.AbstractPod, path: string, options: StorageMountOptions = {}): void {
    checkValue(this, 'workload', workload, is.instanceOf(kplus.AbstractPod, 'a Deployment, StatefulSet, DaemonSet, Job or Pod'));
    checkAbsolutePath(this, 'path', path);
    checkProps(this, 'StorageMountOptions', options, MOUNT_OPTIONS);
    const container = options.container ?? workload.containers[0];
    if (!container) {
      throw ValidationError.of(this, 'workload', workload.node.path, 'has no container to mount into; add a container first or pass options.container');
    }
    const { container: _c, ...mountOptions } = options;
    checkMountPath(this, container, path, options.subPath);
    container.mount(path, this.volume, mountOptions);
    this.mounts.push({ workload, readOnly: options.readOnly === true });
    this.safeRollout(workload, options.readOnly === true);
  }

  /**
   * Mount the volume into the Tomcat container of a `TomcatApp`.
   *
   * @param app the app
   * @param path where Tomcat sees the volume, e.g. `/data/shared`
   * @param options readOnly, subPath …
   */
  public mountInApp(app: TomcatApp, path: string, options: StorageMountOptions = {}): void {
    checkValue(this, 'app', app, is.instanceOf(TomcatApp, 'new TomcatApp(...)'));
    this.mount(app.deployment, path, { container: app.container, ...options });
  }

  /**
   * A rolling update with surge runs the new pod next to the old one; a
   * volume that attaches to one node (ReadWriteOnce) cannot follow it to
   * another node, so the rollout hangs. A one-replica Deployment mounting
   * such a volume therefore replaces its pod instead (maxSurge 0,
   * maxUnavailable 1: a short gap per rollout), with a warning that says so.
   */
  private safeRollout(workload: kplus.AbstractPod, readOnly: boolean): void {
    if (!(workload instanceof kplus.Deployment) || podCount(workload).count !== 1 || this.sharingScope() !== VolumeScope.ATTACHED) return;
    const modes = this.sharingModes();
    if (modes.includes(kplus.PersistentVolumeAccessMode.READ_WRITE_MANY)
      || ((readOnly || this.source.readOnly) && modes.includes(kplus.PersistentVolumeAccessMode.READ_ONLY_MANY))) return;
    if (!surges(workload)) return;
    const zero = kplus.k8s.IntOrString.fromNumber(0);
    const one = kplus.k8s.IntOrString.fromNumber(1);
    ApiObject.of(workload).addJsonPatch(JsonPatch.replace('/spec/strategy', { type: 'RollingUpdate', rollingUpdate: { maxSurge: zero, maxUnavailable: one } }));
    Warnings.add(this, `mounts: ${workload.node.path} runs one replica on volume "${this.volume.name}" (${modes.join(', ') || this.source.type}), which attaches to one node: `
      + 'its rollout replaces the pod (maxSurge 0, maxUnavailable 1), so each rollout has a short gap; use a ReadWriteMany volume to roll without one');
  }

  /** The access modes that decide whether several pods may share the volume. */
  protected abstract sharingModes(): kplus.PersistentVolumeAccessMode[];

  /** The sharing scope of the pod volume (the plugin's, for inline volumes). */
  protected abstract sharingScope(): VolumeScope;

  /**
   * The namespace the mounting pods must run in (a claim's), if any.
   */
  protected requiredNamespace(): string | undefined {
    return undefined;
  }

  /** The pod volume as Kubernetes JSON, without `name` (for the Pod Security check). */
  protected abstract podVolumeJson(): { [key: string]: any };

  /**
   * Records a warning, or a synth error, for the plugin's availability at the
   * target Kubernetes version.
   *
   * @param csiHint how to emit the CSI form instead (shown when the plugin has a CSI translation)
   */
  protected checkAvailability(csiHint: string): void {
    const plugin = this.plugin;
    const hint = plugin.toCsi(this, this.source) ? csiHint : '';
    const version = KubeVersion.of(this);
    const a = plugin.availability(version);
    const what = `"${this.source.type}" (${plugin.name})`;
    const driver = a.csiDriver ? `the CSI driver ${a.csiDriver}` : a.replacement;
    switch (a.status) {
      case PluginStatus.REMOVED:
        this.node.addValidation({
          validate: () => [ValidationError.format(this.node.path, 'source.type', this.source.type,
            `is not functional on Kubernetes ${version.minorString}: the in-tree ${plugin.name} plugin was removed in ${a.removedIn ?? 'an earlier release'}; `
            + `replace it with ${a.replacement ?? 'a supported volume type'}`)],
        });
        break;
      case PluginStatus.CSI_MIGRATED:
        Warnings.add(this, `source.type: ${what} is CSI-migrated on Kubernetes ${version.minorString}`
          + `${a.removedIn && version.isAtLeast(KubeVersion.parse(a.removedIn)) ? ` (its in-tree driver was removed in ${a.removedIn})` : ''}: `
          + `every operation goes to ${driver}, which must be installed in the cluster${hint}`, 'cdk8s-paas:volume-plugin-csi-migrated');
        break;
      case PluginStatus.DEPRECATED:
        Warnings.add(this, `source.type: ${what} is deprecated${a.deprecatedIn ? ` since Kubernetes ${a.deprecatedIn}` : ''}; move to ${driver}${hint}`, 'cdk8s-paas:volume-plugin-deprecated');
        break;
      default:
        break;
    }
  }

  private validateMounts(): string[] {
    const errors: string[] = [];
    const scope = this.sharingScope();
    const modes = this.sharingModes();
    const required = requiredLevel(this.podVolumeJson());
    this.mounts.forEach((m, i) => {
      const pods = podCount(m.workload);
      const readOnly = m.readOnly || this.source.readOnly;
      const shareable = scope === VolumeScope.POD
        || (scope === VolumeScope.NODE && pods.perNode)
        || (scope === VolumeScope.ATTACHED && (modes.includes(kplus.PersistentVolumeAccessMode.READ_WRITE_MANY)
          || (readOnly && modes.includes(kplus.PersistentVolumeAccessMode.READ_ONLY_MANY))));
      if (pods.count > 1 && !shareable) {
        const kind = scope === VolumeScope.NODE ? 'node-local: each replica would see the disk of its own node'
          : `${modes.join(', ') || 'not shareable'}: it attaches to one node at a time`;
        errors.push(ValidationError.format(this.node.path, `mounts[${i}]`, m.workload.node.path,
          `${pods.what}, but volume "${this.volume.name}" (${this.source.type}) is ${kind}; `
          + 'use a ReadWriteMany plugin (nfs, cephfs, azureFile, a shared CSI driver), mount it read-only with ReadOnlyMany, or run one replica'));
      }
      const ns = this.requiredNamespace();
      const podNs = m.workload.metadata.namespace ?? Chart.of(m.workload).namespace;
      if (ns !== undefined && podNs !== undefined && podNs !== ns) {
        errors.push(ValidationError.format(this.node.path, `mounts[${i}]`, m.workload.node.path,
          `runs in namespace "${podNs}", but the claim "${this.volume.name}" is in namespace "${ns}"; a pod can mount only claims of its own namespace`));
      }
      const level = PodSecurity.levelOf(m.workload);
      if (PodSecurity.leastStrict(level, required) !== level) {
        errors.push(ValidationError.format(this.node.path, 'source.type', this.source.type,
          `makes the pods of ${m.workload.node.path} fail Pod Security "${level}": ${this.source.type} volumes need "${required}"; `
          + (required === PodSecurityLevel.PRIVILEGED
            ? 'opt in with PodSecurity.allow(app, PodSecurityLevel.PRIVILEGED, reason) only for a node agent that needs the host\'s files'
            : 'mount it through PersistentStorage (a persistentVolumeClaim volume is allowed by "restricted") or opt in with PodSecurity.allow(app, PodSecurityLevel.BASELINE, reason)')));
      }
    });
    return errors;
  }
}

/** The least strict Pod Security level a pod volume needs, by the library's own PSS check. */
function requiredLevel(volume: { [key: string]: any }): PodSecurityLevel {
  const pod = { kind: 'Pod', spec: { volumes: [{ name: 'v', ...volume }] } };
  const volumeFindings = (level: PodSecurityLevel) => checkPodSecurity(pod, level)
    .filter(f => f.check === 'restrictedVolumes' || f.check === 'hostPathVolumes');
  if (volumeFindings(PodSecurityLevel.RESTRICTED).length === 0) return PodSecurityLevel.RESTRICTED;
  if (volumeFindings(PodSecurityLevel.BASELINE).length === 0) return PodSecurityLevel.BASELINE;
  return PodSecurityLevel.PRIVILEGED;
}
