import * as fs from 'fs';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { KubeVersion } from './kube-version';
import { manifestEntries } from './synth-validation';
import { ApiRemovals } from '../validate/api-removals';
import { dataPath, loadData } from '../validate/data';
import { describeObject } from '../validate/manifest-validator';
import { podTemplateOf } from '../validate/pod-security';

/** Props of an `UpgradePlan`. */
export interface UpgradePlanProps {
  /**
   * The version the cluster runs now.
   *
   * @default - `UpgradePlan.forApp`: the scope's target version (`KubeVersion.of(scope)`); `UpgradePlan.forManifests`: KubeVersion.DEFAULT
   */
  readonly current?: KubeVersion;
  /** The version to upgrade to (newer than `current`, or equal for an empty plan). */
  readonly target: KubeVersion;
}

/** An object of the app that stops working at an upgrade step. */
export interface UpgradeBreakage {
  /** `Kind namespace/name`. */
  readonly object: string;
  /** The construct path (or file reference) of the object. */
  readonly path: string;
  /** The field that breaks: `apiVersion`, or a volume such as `spec.template.spec.volumes[0].rbd`. */
  readonly field: string;
  /** What breaks and what to do before the step. */
  readonly reason: string;
}

/** One minor-version step of an upgrade. */
export interface UpgradeStep {
  /** The version before the step. */
  readonly from: KubeVersion;
  /** The version after the step (one minor newer). */
  readonly to: KubeVersion;
  /** What to do, in order (version-skew policy: control plane first, then drain and upgrade nodes). */
  readonly actions: string[];
  /** The app's objects that break at this step: migrate them before upgrading the control plane. */
  readonly breaks: UpgradeBreakage[];
}

interface VolumeRemoval {
  readonly plugin: string;
  readonly removedIn: KubeVersion;
  readonly note: string;
}

/**
 * The ordered steps to upgrade a cluster from one Kubernetes version to
 * another under the version-skew policy (one minor version at a time; each
 * time the kube-apiserver first, then the controllers, then node by node:
 * drain, upgrade the kubelet and kube-proxy, uncordon), with, per step, the
 * objects of the app that break there (APIs that version stops serving;
 * in-tree volume plugins it removes, when the package ships
 * `data/volume-plugins.json`).
 */
export class UpgradePlan {
  /**
   * Plan the upgrade for the ApiObjects under `scope` (an App or a Chart).
   *
   * @param scope the app or chart whose objects are checked
   * @param props current and target versions
   */
  public static forApp(scope: IConstruct, props: UpgradePlanProps): UpgradePlan {
    const entries = manifestEntries(scope);
    return new UpgradePlan(props.current ?? KubeVersion.of(scope), props.target, entries.map(e => e.manifest), entries.map(e => e.ref));
  }

  /**
   * Plan the upgrade for a list of manifests (for example parsed YAML files).
   *
   * @param manifests Kubernetes objects
   * @param props current and target versions
   */
  public static forManifests(manifests: any[], props: UpgradePlanProps): UpgradePlan {
    return new UpgradePlan(props.current ?? KubeVersion.DEFAULT, props.target, manifests, manifests.map(describeObject));
  }

  /** The version the cluster runs now. */
  public readonly current: KubeVersion;
  /** The version it is upgraded to. */
  public readonly target: KubeVersion;
  /** One step per minor version, oldest first. */
  public readonly steps: UpgradeStep[];
  /** Objects already broken on the current version (they use APIs it no longer serves). */
  public readonly brokenNow: UpgradeBreakage[];

  private constructor(current: KubeVersion, target: KubeVersion, manifests: any[], refs: string[]) {
    if (target.isOlderThan(current)) {
      throw new ValidationError(ValidationError.format('UpgradePlan', 'target', target.toString(),
        `is older than the current version ${current.minorString}: Kubernetes does not support downgrades, the target must be ${current.minorString} or newer`), 'UpgradePlan', 'target');
    }
    if (target.major !== current.major) {
      throw new ValidationError(ValidationError.format('UpgradePlan', 'target', target.toString(),
        `has another major version than ${current.minorString}: only minor upgrades within major version ${current.major} can be planned`), 'UpgradePlan', 'target');
    }
    this.current = KubeVersion.parse(current.minorString);
    this.target = KubeVersion.parse(target.minorString);
    this.brokenNow = breakages(manifests, refs, v => !this.current.isOlderThan(v));
    const steps: UpgradeStep[] = [];
    for (let from = this.current; from.isOlderThan(this.target); from = from.nextMinor()) {
      const to = from.nextMinor();
      steps.push({
        from,
        to,
        actions: stepActions(from, to),
        breaks: breakages(manifests, refs, v => v.compare(to) === 0),
      });
    }
    this.steps = steps;
  }

  /** True when no object breaks on the way (and none is broken now). */
  public get safe(): boolean {
    return this.brokenNow.length === 0 && this.steps.every(s => s.breaks.length === 0);
  }

  /** The plan as text: one numbered section per step, its actions and what breaks. */
  public toString(): string {
    const lines = [`upgrade plan ${this.current.minorString} -> ${this.target.minorString}: ${this.steps.length} step${this.steps.length === 1 ? '' : 's'}`];
    if (this.brokenNow.length > 0) {
      lines.push(`already broken on ${this.current.minorString}:`, ...this.brokenNow.map(b => `  - ${b.object} (${b.path}): ${b.field}: ${b.reason}`));
    }
    this.steps.forEach((s, i) => {
      lines.push(`step ${i + 1}: ${s.from.minorString} -> ${s.to.minorString}`);
      s.actions.forEach((a, j) => lines.push(`  ${j + 1}. ${a}`));
      if (s.breaks.length === 0) lines.push(`  nothing in the app breaks on ${s.to.minorString}`);
      else lines.push(`  breaks on ${s.to.minorString} (migrate before step 1):`, ...s.breaks.map(b => `    - ${b.object} (${b.path}): ${b.field}: ${b.reason}`));
    });
    return lines.join('\n');
  }
}

// The order follows the version-skew policy's upgrade_order
// (shared/reference/version-skew.json; a test checks it against that file).
function stepActions(from: KubeVersion, to: KubeVersion): string[] {
  const kubeletMin = from.minor - 1;
  return [
    `before: every kube-apiserver, kube-controller-manager, kube-scheduler and cloud-controller-manager runs ${from.minorString}, every kubelet and kube-proxy ${from.major}.${kubeletMin} or ${from.minorString}, admission webhooks handle the ${to.minorString} API, and the objects listed below are migrated`,
    `upgrade every kube-apiserver to ${to.minorString} (one minor version at a time, never skipping one)`,
    `upgrade kube-controller-manager, kube-scheduler and cloud-controller-manager to ${to.minorString} once every kube-apiserver they reach runs ${to.minorString}`,
    `node by node: drain the node (kubectl drain --ignore-daemonsets), upgrade its kubelet and kube-proxy to ${to.minorString}, uncordon it (in-place minor kubelet upgrades are not supported)`,
  ];
}

function breakages(manifests: any[], refs: string[], at: (removedIn: KubeVersion) => boolean): UpgradeBreakage[] {
  const out: UpgradeBreakage[] = [];
  const volumes = volumeRemovals();
  manifests.forEach((m, i) => {
    const removal = typeof m?.apiVersion === 'string' ? ApiRemovals.find(m.apiVersion, m.kind) : undefined;
    if (removal && at(KubeVersion.parse(removal.removedIn))) {
      out.push({
        object: describeObject(m),
        path: refs[i],
        field: 'apiVersion',
        reason: `"${m.apiVersion}" is not served for ${m.kind} from ${removal.removedIn}: use ${removal.replacement}`,
      });
    }
    for (const v of volumesOf(m)) {
      const r = volumes.find(p => p.plugin === v.type && at(p.removedIn));
      if (r) out.push({ object: describeObject(m), path: refs[i], field: v.field, reason: `the in-tree ${r.plugin} volume plugin is removed in ${r.removedIn.minorString}: ${r.note}` });
    }
  });
  return out;
}

function volumesOf(m: any): Array<{ type: string; field: string }> {
  const out: Array<{ type: string; field: string }> = [];
  const t = podTemplateOf(m);
  if (t) {
    (t.pod?.spec?.volumes ?? []).forEach((v: any, i: number) => {
      for (const type of Object.keys(v ?? {}).filter(k => k !== 'name')) out.push({ type, field: `${t.prefix ? `${t.prefix}.` : ''}spec.volumes[${i}].${type}` });
    });
  }
  if (m?.kind === 'PersistentVolume') {
    for (const type of Object.keys(m.spec ?? {})) out.push({ type, field: `spec.${type}` });
  }
  return out;
}

let volumeData: VolumeRemoval[] | undefined;

/** Replace the volume-plugin table (tests); `undefined` reloads it from data/ on next use. */
export function useVolumePluginData(data: any | undefined): void {
  volumeData = data === undefined ? undefined : volumeRemovals(data);
}

/**
 * The in-tree volume plugins with a removal version, from the optional
 * `data/volume-plugins.json` (same shape as shared/reference/volume-plugins.json);
 * none when the package does not ship it.
 */
export function volumeRemovals(data?: any): VolumeRemoval[] {
  if (data === undefined && volumeData) return volumeData;
  const raw = data ?? (fs.existsSync(dataPath('volume-plugins.json')) ? loadData('volume-plugins.json') : { plugins: [] });
  const out: VolumeRemoval[] = [];
  for (const p of raw.plugins ?? []) {
    const removed = /^v?(\d+\.\d+)/.exec(String(p.removed ?? ''));
    const plugin = /\.(\w+)$/.exec(String(p.field ?? ''));
    if (!removed || !plugin) continue;
    out.push({
      plugin: plugin[1],
      removedIn: KubeVersion.parse(removed[1]),
      note: p.csi_driver
        ? `operations go to the CSI driver ${p.csi_driver}, which must be installed (or move to a CSI volume)`
        : 'the volume stops working: move the data to a CSI volume',
    });
  }
  if (data === undefined) volumeData = out;
  return out;
}
