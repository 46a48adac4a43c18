import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { KubeVersion } from './kube-version';
import { PodSecurity } from './pod-security-opt-in';
import { topology } from './topology';
import { FindingSeverity, formatReports, ManifestEntry, ObjectReport, validateManifests } from '../validate/manifest-validator';
import { PodSecurityLevel } from '../validate/pod-security';

/** The ApiObjects of an app, as entries for `validateManifests` (their final `toJson()`, escape-hatch patches applied). */
export function manifestEntries(root: IConstruct): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  for (const c of root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    const optIn = PodSecurity.levelOf(c);
    out.push({
      manifest: c.toJson(),
      ref: c.node.path,
      kubeVersion: KubeVersion.of(c),
      optIn,
      optInReasons: optIn === PodSecurityLevel.RESTRICTED ? undefined : PodSecurity.reasonsOf(c),
    });
  }
  return out;
}

/**
 * Validates every ApiObject under `root`; returns the errors as construct
 * validation messages (one string, grouped by object) and prints warnings.
 */
export function validateApp(root: IConstruct): string[] {
  const reports = validateManifests(manifestEntries(root));
  printWarnings(reports);
  const blocks = formatReports(reports, FindingSeverity.ERROR);
  if (blocks.length === 0) return [];
  const errors = reports.reduce((n, r) => n + r.findings.filter(f => f.severity === FindingSeverity.ERROR).length, 0);
  return [`manifest validation: ${errors} error${errors > 1 ? 's' : ''} in ${blocks.length} object${blocks.length > 1 ? 's' : ''}, nothing was written\n  ${blocks.join('\n  ')}`];
}

function printWarnings(reports: ObjectReport[]): void {
  if (process.env.CDK8S_PAAS_QUIET_WARNINGS === '1') return;
  for (const r of reports) {
    for (const f of r.findings) {
      if (f.severity === FindingSeverity.WARNING) process.stderr.write(`[cdk8s-paas] warning: ${r.ref}: ${f.message}\n`);
    }
  }
}

/**
 * One `PaasApp.synth()`: while it lasts, each ApiObject's `toJson()` is
 * computed once (validation and the YAML writer share the result), the app's
 * manifest validation runs once, and each chart renders its objects without
 * validating the whole app and resolving its dependencies again: `App.synth()`
 * has done both before it asks the first chart, and cdk8s would otherwise
 * repeat them for every chart it writes (quadratic in the number of charts).
 */
export class SynthRun {
  private readonly patched: IConstruct[] = [];
  private result?: string[];

  /**
   * @param root the app
   * @param transform applied to each chart's objects as they are written (e.g. `escapeForHelm`)
   */
  public constructor(root: IConstruct, transform: (manifest: any) => any = m => m) {
    // the App's charts in dependency order (App.charts), without computing every construct path
    Object.defineProperty(root, 'charts', { configurable: true, get: () => topology(root).filter(Chart.isChart) });
    this.patched.push(root);
    for (const c of root.node.findAll()) {
      if (ApiObject.isApiObject(c)) {
        const original = c.toJson;
        let cached: any;
        this.patch(c, () => (cached === undefined ? (cached = original.call(c)) : cached));
      } else if (Chart.isChart(c)) {
        // what cdk8s's App._synthChart returns, minus its whole-app validate and resolveDependencies
        this.patch(c, () => chartObjects(c).map(o => transform(o.toJson())));
      }
    }
  }

  /** The validation result of this synth, computed on first call. */
  public validate(root: IConstruct): string[] {
    if (!this.result) this.result = validateApp(root);
    return this.result;
  }

  /** Restores the App's own `charts` and the ApiObjects' and Charts' own `toJson()`. */
  public end(): void {
    for (const c of this.patched) {
      delete (c as any).toJson;
      delete (c as any).charts;
    }
  }

  private patch(c: IConstruct, toJson: () => any): void {
    Object.defineProperty(c, 'toJson', { configurable: true, writable: true, value: toJson });
    this.patched.push(c);
  }
}

/** The ApiObjects a chart renders, in dependency order (cdk8s's `chartToKube`). */
function chartObjects(chart: Chart): ApiObject[] {
  return topology(chart)
    .filter((x): x is ApiObject => ApiObject.isApiObject(x))
    .filter(x => Chart.of(x) === chart);
}
