import * as fs from 'fs';
import { IConstruct } from 'constructs';
import { manifestEntries } from './synth-validation';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';
import { KopsCluster } from '../operations/kops-cluster';
import { KopsRole } from '../operations/kops-instance-group';
import { ApiRemovals } from '../validate/api-removals';
import { dataPath, loadData } from '../validate/data';
import { describeObject, FindingSeverity, ManifestValidator } from '../validate/manifest-validator';
import { podTemplateOf, PodSecurityLevel } from '../validate/pod-security';
import { hasSchema, servedKinds } from '../validate/schema-store';
import { replacementOptions } from '../validate/served-api';

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
  /**
   * The node groups, upgraded one after the other once the control plane runs the new version.
   *
   * @default - the instance groups of `kops` with role Node; without kops, one group "nodes"
   */
  readonly nodeGroups?: string[];
  /**
   * The node label whose value names a node's group (`kubectl get nodes -l <label>=<group>`).
   *
   * @default 'kops.k8s.io/instancegroup'
   */
  readonly nodeGroupLabel?: string;
  /**
   * The kops cluster the app runs on: each step then carries its kops specs
   * (the Cluster at the step's version, the control-plane instance groups,
   * then the node groups) and the kops commands.
   *
   * @default - no kops: kubectl commands only
   */
  readonly kops?: KopsCluster;
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

/** An object whose apiVersion the step removes: how and when to migrate it. */
export interface ApiMigration {
  /** `Kind namespace/name`. */
  readonly object: string;
  /** The construct path (or file reference) of the object. */
  readonly path: string;
  /** The removed apiVersion, e.g. `flowcontrol.apiserver.k8s.io/v1beta2`. */
  readonly apiVersion: string;
  /** The kind. */
  readonly kind: string;
  /** The version that no longer serves it (the step's `to`). */
  readonly removedIn: string;
  /** The apiVersion to migrate to before the step: the newest replacement the cluster serves at the step's `from`. */
  readonly migrateTo: string;
  /**
   * The first version that serves `migrateTo`.
   *
   * @default - not recorded (served for a long time)
   */
  readonly migrateToServedSince?: string;
  /**
   * The step number (1-based) from whose start the migration is possible; 1 when the current version already serves the replacement.
   */
  readonly possibleFromStep: number;
  /**
   * A later replacement to move to once the cluster serves it (e.g. `flowcontrol.apiserver.k8s.io/v1` from 1.29).
   *
   * @default - none
   */
  readonly laterReplacement?: string;
  /** Field changes to make when migrating (empty when there are none). */
  readonly notableChanges: string[];
}

/** The upgrade of one node group in a step. */
export interface NodeGroupUpgrade {
  /** The group name (kops instance group). */
  readonly name: string;
  /** The commands, in order. */
  readonly commands: string[];
}

/** A resource whose objects must be rewritten after the control plane upgrade (new storage version). */
export interface StorageRewrite {
  /** The resource, e.g. `flowschemas.flowcontrol.apiserver.k8s.io`. */
  readonly resource: string;
  /** The API version before and after, e.g. `v1beta3 -> v1`. */
  readonly change: string;
  /** The command that rewrites every stored object. */
  readonly command: string;
}

/** Which of the app's objects validate against the step's target schema. */
export interface SchemaCheck {
  /** The version whose schema was used. */
  readonly version: string;
  /** False when the package ships no schema for that version (nothing was checked). */
  readonly checked: boolean;
  /** The objects (`Kind namespace/name`) valid on that version. */
  readonly valid: string[];
  /** The objects that are not, with the first problem of each. */
  readonly invalid: UpgradeBreakage[];
}

/** One minor-version step of an upgrade. */
export interface UpgradeStep {
  /** The version before the step. */
  readonly from: KubeVersion;
  /** The version after the step (one minor newer). */
  readonly to: KubeVersion;
  /** What to do, in order: manifests, control plane, each node group, storage rewrites, schema check (one line each). */
  readonly actions: string[];
  /** The app's objects that break at this step: migrate them before upgrading the control plane. */
  readonly breaks: UpgradeBreakage[];
  /** The apiVersion migrations this step needs before it. */
  readonly migrations: ApiMigration[];
  /** The control-plane commands, in order. */
  readonly controlPlane: string[];
  /** The node groups, in order. */
  readonly nodeGroups: NodeGroupUpgrade[];
  /** The app's PodDisruptionBudgets the drains honour (`namespace/name: budget`); a budget that allows no disruption blocks drains. */
  readonly disruptionBudgets: string[];
  /** The resources to rewrite once the control plane runs `to`. */
  readonly storageRewrites: StorageRewrite[];
  /** The app's objects checked against the `to` schema. */
  readonly schemaCheck: SchemaCheck;
  /**
   * The kops specs of the step (Cluster at `to`, control-plane instance groups, node instance groups), for `kops replace -f`.
   *
   * @default - none (no kops cluster given)
   */
  readonly kopsSpecs?: any[];
}

interface VolumeRemoval {
  readonly plugin: string;
  readonly removedIn: KubeVersion;
  readonly note: string;
}

/**
 * The ordered steps to upgrade a cluster from one Kubernetes version to
 * another under the version-skew policy: one minor version at a time, and in
 * each step, in order, the manifest migrations it needs (APIs it removes,
 * with the replacement and the first step where the replacement is served),
 * the control plane, each node group (drains honour the app's
 * PodDisruptionBudgets), the objects to rewrite in their new storage
 * version, and which of the app's objects validate against the new
 * version's schema. With a kops cluster, each step carries its kops specs.
 */
export class UpgradePlan {
  /**
   * Plan the upgrade for the ApiObjects under `scope` (an App or a Chart).
   *
   * @param scope the app or chart whose objects are checked
   * @param props current and target versions
   */
  public static forApp(scope: IConstruct, props: UpgradePlanProps): UpgradePlan {
    // kops specs are for kops, not for the cluster's API: they are no app manifests
    const entries = manifestEntries(scope).filter(e => !isKopsObject(e.manifest));
    return new UpgradePlan(props.current ?? KubeVersion.of(scope), props, entries.map(e => e.manifest), entries.map(e => e.ref));
  }

  /**
   * Plan the upgrade for a list of manifests (for example parsed YAML files).
   *
   * @param manifests Kubernetes objects
   * @param props current and target versions
   */
  public static forManifests(manifests: any[], props: UpgradePlanProps): UpgradePlan {
    return new UpgradePlan(props.current ?? KubeVersion.DEFAULT, props, manifests, manifests.map(describeObject));
  }

  /** The version the cluster runs now. */
  public readonly current: KubeVersion;
  /** The version it is upgraded to. */
  public readonly target: KubeVersion;
  /** One step per minor version, oldest first. */
  public readonly steps: UpgradeStep[];
  /** Objects already broken on the current version (they use APIs it no longer serves). */
  public readonly brokenNow: UpgradeBreakage[];

  private constructor(current: KubeVersion, props: UpgradePlanProps, manifests: any[], refs: string[]) {
    const target = props.target;
    if (target.isOlderThan(current)) {
      throw ValidationError.unscoped('UpgradePlan', 'target', target.toString(),
        `is older than the current version ${current.minorString}: Kubernetes does not support downgrades, the target must be ${current.minorString} or newer`);
    }
    if (target.major !== current.major) {
      throw ValidationError.unscoped('UpgradePlan', 'target', target.toString(),
        `has another major version than ${current.minorString}: only minor upgrades within major version ${current.major} can be planned`);
    }
    this.current = KubeVersion.parse(current.minorString);
    this.target = KubeVersion.parse(target.minorString);
    this.brokenNow = breakages(manifests, refs, v => !this.current.isOlderThan(v));
    const ctx: PlanContext = {
      current: this.current,
      manifests,
      refs,
      kops: props.kops,
      label: props.nodeGroupLabel ?? 'kops.k8s.io/instancegroup',
      groups: props.nodeGroups ?? (props.kops ? props.kops.instanceGroups.filter(g => g.role !== KopsRole.CONTROL_PLANE).map(g => g.name) : ['nodes']),
      budgets: disruptionBudgets(manifests),
    };
    const steps: UpgradeStep[] = [];
    for (let from = this.current; from.isOlderThan(this.target); from = from.nextMinor()) {
      steps.push(planStep(ctx, from, steps.length + 1));
    }
    this.steps = steps;
  }

  /** True when no object breaks on the way (none is broken now, none fails a step's schema). */
  public get safe(): boolean {
    return this.brokenNow.length === 0 && this.steps.every(s => s.breaks.length === 0 && s.schemaCheck.invalid.length === 0);
  }

  /** The plan as plain JSON (versions as `MAJOR.MINOR` strings): what `upgrade-plan --format json` prints. */
  public toJson(): any {
    return {
      current: this.current.minorString,
      target: this.target.minorString,
      safe: this.safe,
      brokenNow: this.brokenNow,
      steps: this.steps.map((s, i) => ({ step: i + 1, ...s, from: s.from.minorString, to: s.to.minorString })),
    };
  }

  /** The plan as text: one numbered section per step, each phase in order with its commands. */
  public toString(): string {
    const lines = [`upgrade plan ${this.current.minorString} -> ${this.target.minorString}: ${this.steps.length} step${this.steps.length === 1 ? '' : 's'}`];
    if (this.brokenNow.length > 0) {
      lines.push(`already broken on ${this.current.minorString}:`, ...this.brokenNow.map(b => `  - ${b.object} (${b.path}): ${b.field}: ${b.reason}`));
    }
    const listed = new Set<string>();
    this.steps.forEach((s, i) => {
      const n = i + 1;
      lines.push(`step ${n}: ${s.from.minorString} -> ${s.to.minorString}`);
      lines.push(`  1. ${s.actions[0]}`);
      const volumeBreaks = s.breaks.filter(b => b.field !== 'apiVersion');
      if (s.migrations.length === 0 && volumeBreaks.length === 0) {
        lines.push(`  2. manifests: nothing in the app breaks on ${s.to.minorString}`);
      } else {
        lines.push(`  2. manifests: breaks on ${s.to.minorString}, migrate before step ${n}:`);
        for (const m of s.migrations) {
          const when = m.possibleFromStep <= 1 ? 'now' : `once step ${m.possibleFromStep - 1} is done (the cluster serves it from ${m.migrateToServedSince})`;
          const later = m.laterReplacement ? `; then ${m.laterReplacement} once the cluster runs ${laterSince(m)}` : '';
          lines.push(`    - ${m.object} (${m.path}): apiVersion: "${m.apiVersion}" is not served for ${m.kind} from ${m.removedIn}: use ${m.migrateTo}`
            + `${m.migrateToServedSince ? ` (served since ${m.migrateToServedSince})` : ''}, possible ${when}${later}`
            + `${m.notableChanges.length ? `; note: ${m.notableChanges.join('; ')}` : ''}`);
        }
        for (const b of volumeBreaks) lines.push(`    - ${b.object} (${b.path}): ${b.field}: ${b.reason}`);
      }
      lines.push(`  3. control plane to ${s.to.minorString}:`, ...s.controlPlane.map(c => `       ${c}`));
      let k = 4;
      for (const g of s.nodeGroups) {
        lines.push(`  ${k++}. node group "${g.name}":`, ...g.commands.map(c => `       ${c}`));
      }
      if (s.disruptionBudgets.length > 0) lines.push(`     drains honour the PodDisruptionBudgets: ${s.disruptionBudgets.join(', ')}`);
      if (s.storageRewrites.length === 0) {
        lines.push(`  ${k++}. storage: no built-in resource changes its preferred version on ${s.to.minorString}`);
      } else {
        lines.push(`  ${k++}. storage: rewrite the objects of resources whose preferred version changes:`,
          ...s.storageRewrites.map(r => `       ${r.resource} (${r.change}): ${r.command}`));
      }
      const c = s.schemaCheck;
      if (!c.checked) {
        lines.push(`  ${k++}. schema ${c.version}: not checked (cdk8s-paas ships no ${c.version} schema)`);
      } else {
        // an object already listed at an earlier step is counted, not repeated
        const fresh = c.invalid.filter(b => !listed.has(b.path));
        const again = c.invalid.length - fresh.length;
        fresh.forEach(b => listed.add(b.path));
        lines.push(`  ${k++}. schema ${c.version}: ${c.valid.length} of ${c.valid.length + c.invalid.length} objects validate`
          + (again ? `; ${again} listed at an earlier step still do not` : '')
          + (fresh.length ? `; not valid on ${c.version}:` : ''), ...fresh.map(b => `       - ${b.object} (${b.path}): ${b.reason}`));
      }
      if (s.kopsSpecs) lines.push(`     kops specs: ${s.kopsSpecs.map(o => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
    });
    return lines.join('\n');
  }
}

interface PlanContext {
  readonly current: KubeVersion;
  readonly manifests: any[];
  readonly refs: string[];
  readonly kops?: KopsCluster;
  readonly label: string;
  readonly groups: string[];
  readonly budgets: string[];
}

function planStep(ctx: PlanContext, from: KubeVersion, n: number): UpgradeStep {
  const to = from.nextMinor();
  const migrations = apiMigrations(ctx, from, to);
  const breaks = breakages(ctx.manifests, ctx.refs, v => v.compare(to) === 0);
  const controlPlane = controlPlaneCommands(ctx, to, n);
  const nodeGroups = ctx.groups.map(g => ({ name: g, commands: nodeGroupCommands(ctx, g, to) }));
  const storageRewrites = storageRewritesAt(from, to);
  const schemaCheck = checkSchema(ctx, to);
  const actions = [
    `before: every kube-apiserver, kube-controller-manager, kube-scheduler and cloud-controller-manager runs ${from.minorString}, every kubelet and kube-proxy ${from.major}.${from.minor - 1} or ${from.minorString}, admission webhooks handle the ${to.minorString} API, and the objects listed below are migrated`,
    migrations.length === 0 ? `manifests: nothing to migrate before ${to.minorString}`
      : `manifests: migrate ${migrations.map(m => `${m.object} to ${m.migrateTo}`).join(', ')} before ${to.minorString}`,
    `upgrade every kube-apiserver to ${to.minorString} (one minor version at a time, never skipping one)`,
    `upgrade kube-controller-manager, kube-scheduler and cloud-controller-manager to ${to.minorString} once every kube-apiserver they reach runs ${to.minorString}`,
    ...nodeGroups.map(g => `node group "${g.name}", node by node: drain the node (kubectl drain --ignore-daemonsets, which honours the PodDisruptionBudgets), upgrade its kubelet and kube-proxy to ${to.minorString}, uncordon it (in-place minor kubelet upgrades are not supported)`),
    storageRewrites.length === 0 ? 'storage: nothing to rewrite'
      : `storage: rewrite ${storageRewrites.map(r => r.resource).join(', ')} in their new storage version`,
    schemaCheck.checked ? `schema: ${schemaCheck.valid.length} of ${schemaCheck.valid.length + schemaCheck.invalid.length} objects validate against the ${to.minorString} schema`
      : `schema: not checked (no ${to.minorString} schema shipped)`,
  ];
  const kopsSpecs = ctx.kops ? ctx.kops.specsAt(to) : undefined;
  return { from, to, actions, breaks, migrations, controlPlane, nodeGroups, disruptionBudgets: ctx.budgets, storageRewrites, schemaCheck, kopsSpecs };
}

function apiMigrations(ctx: PlanContext, from: KubeVersion, to: KubeVersion): ApiMigration[] {
  const out: ApiMigration[] = [];
  ctx.manifests.forEach((m, i) => {
    const removal = typeof m?.apiVersion === 'string' ? ApiRemovals.find(m.apiVersion, m.kind) : undefined;
    if (!removal || KubeVersion.parse(removal.removedIn).compare(to) !== 0) return;
    const options = replacementOptions(removal);
    // the newest replacement served on `from` (where the migration happens), and one served only later
    const servedAtFrom = options.filter(o => !o.since || from.isAtLeast(o.since));
    const best = servedAtFrom.sort((a, b) => (b.since?.minor ?? 0) - (a.since?.minor ?? 0))[0];
    const later = options.find(o => o.since && o.since.isOlderThan(to.nextMinor()) && !from.isAtLeast(o.since));
    const possibleFrom = best?.since && ctx.current.isOlderThan(best.since) ? best.since.minor - ctx.current.minor + 1 : 1;
    out.push({
      object: describeObject(m),
      path: ctx.refs[i],
      apiVersion: m.apiVersion,
      kind: m.kind,
      removedIn: removal.removedIn,
      migrateTo: best?.apiVersion ?? removal.replacement,
      migrateToServedSince: best?.since?.minorString,
      possibleFromStep: possibleFrom,
      laterReplacement: later?.apiVersion,
      notableChanges: removal.notableChanges,
    });
  });
  return out;
}

function laterSince(m: ApiMigration): string {
  const r = ApiRemovals.find(m.apiVersion, m.kind);
  const o = r ? replacementOptions(r).find(x => x.apiVersion === m.laterReplacement) : undefined;
  return o?.since?.minorString ?? m.removedIn;
}

function controlPlaneCommands(ctx: PlanContext, to: KubeVersion, n: number): string[] {
  if (ctx.kops) {
    const name = ctx.kops.clusterName;
    const cps = ctx.kops.instanceGroups.filter(g => g.role === KopsRole.CONTROL_PLANE).map(g => g.name);
    return [
      `kops replace -f kops-step-${n}.yaml   # the step's kops specs: Cluster kubernetesVersion ${ctx.kops.kubernetesVersionAt(to)}`,
      `kops update cluster --name ${name} --yes`,
      `kops rolling-update cluster --name ${name} --instance-group ${cps.join(',')} --yes   # control plane first, one instance at a time`,
      'kubectl version   # every kube-apiserver reports the new version before the nodes move',
    ];
  }
  return [
    `upgrade each kube-apiserver to ${to.minorString}, one instance at a time`,
    `then kube-controller-manager, kube-scheduler and cloud-controller-manager to ${to.minorString}`,
    'kubectl version   # every kube-apiserver reports the new version before the nodes move',
  ];
}

function nodeGroupCommands(ctx: PlanContext, group: string, to: KubeVersion): string[] {
  if (ctx.kops) {
    return [`kops rolling-update cluster --name ${ctx.kops.clusterName} --instance-group ${group} --yes   # drains each node (evictions honour PodDisruptionBudgets), replaces it with a ${to.minorString} node`];
  }
  const sel = `${ctx.label}=${group}`;
  return [
    `kubectl get nodes -l ${sel}`,
    'for each node N of the group, one at a time:',
    '  kubectl drain N --ignore-daemonsets --delete-emptydir-data --timeout=15m   # evictions: waits for the PodDisruptionBudgets, never --disable-eviction',
    `  upgrade kubelet and kube-proxy on N to ${to.minorString}, restart the kubelet`,
    '  kubectl uncordon N',
    `kubectl get nodes -l ${sel} -o wide   # every node Ready with kubelet ${to.minorString}`,
  ];
}

/**
 * The resources whose preferred version (the storage version the apiserver
 * writes) changes from `from` to `to`, by the shipped schemas; alpha APIs
 * (off by default) are left out. Objects stay stored in the old version
 * until written again: rewriting them all is what `update-storage-objects` did.
 */
function storageRewritesAt(from: KubeVersion, to: KubeVersion): StorageRewrite[] {
  if (!hasSchema(from) || !hasSchema(to)) return [];
  const before = servedKinds(from);
  const out: StorageRewrite[] = [];
  for (const [key, k] of servedKinds(to)) {
    const prev = before.get(key);
    if (!prev || prev.versions[0] === k.versions[0]) continue;
    // alpha APIs are off by default: no stored objects to speak of
    if (/alpha/.test(prev.versions[0]) || /alpha/.test(k.versions[0])) continue;
    const resource = `${pluralOf(k.kind)}${k.group ? `.${k.group}` : ''}`;
    out.push({ resource, change: `${prev.versions[0]} -> ${k.versions[0]}`, command: `kubectl get ${resource} -A -o json | kubectl replace -f -` });
  }
  return out.sort((a, b) => a.resource.localeCompare(b.resource));
}

function pluralOf(kind: string): string {
  const l = kind.toLowerCase();
  if (l.endsWith('s')) return l === 'endpoints' ? l : `${l}es`;
  if (/[^aeiou]y$/.test(l)) return `${l.slice(0, -1)}ies`;
  return `${l}s`;
}

function checkSchema(ctx: PlanContext, to: KubeVersion): SchemaCheck {
  if (!hasSchema(to)) return { version: to.minorString, checked: false, valid: [], invalid: [] };
  const valid: string[] = [];
  const invalid: UpgradeBreakage[] = [];
  ctx.manifests.forEach((m, i) => {
    // schema and served APIs only: pod security does not change with the version
    const errors = ManifestValidator.validateObject(m, { kubeVersion: to, podSecurity: PodSecurityLevel.PRIVILEGED })
      .filter(f => f.severity === FindingSeverity.ERROR);
    if (errors.length === 0) valid.push(describeObject(m));
    else invalid.push({ object: describeObject(m), path: ctx.refs[i], field: errors[0].field, reason: errors.map(e => e.message).join('; ') });
  });
  return { version: to.minorString, checked: true, valid, invalid };
}

function disruptionBudgets(manifests: any[]): string[] {
  return manifests.filter(m => m?.kind === 'PodDisruptionBudget').map(m => {
    const spec = m.spec ?? {};
    const budget = spec.maxUnavailable !== undefined ? `maxUnavailable ${spec.maxUnavailable}` : spec.minAvailable !== undefined ? `minAvailable ${spec.minAvailable}` : 'no budget';
    const blocks = spec.maxUnavailable === 0 || spec.maxUnavailable === '0%' || spec.minAvailable === '100%' ? ' (allows no disruption: drains block until it is relaxed)' : '';
    return `${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name}: ${budget}${blocks}`;
  });
}

function isKopsObject(m: any): boolean {
  return typeof m?.apiVersion === 'string' && m.apiVersion.startsWith('kops.k8s.io/');
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
