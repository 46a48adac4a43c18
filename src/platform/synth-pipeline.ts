import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { renderManifests, writeManifestFile } from './manifest-yaml';
import { manifestEntries } from './synth-validation';
import { topology } from './topology';
import { ValidationError } from '../core/errors';
import { formatWarning, warningRecords, WarningRecord, Warnings, warningsQuiet } from '../core/warnings';
import { prepareTenancy, releaseTenancy } from '../tenancy/namespace-index';
import { FindingSeverity, formatReports, validateManifests } from '../validate/manifest-validator';

// The synth pipeline of PaasApp (internal), on cdk8s's and constructs' public API:
//   prepare  — every mutation: tenant namespaces, dependency edges
//   render   — each ApiObject's final JSON, once (`ApiObject.toJson()`)
//   validate — read-only: construct validations (`node.validate()`), the
//              manifest checks and object identity on the final JSON,
//              warnings (printed once each, or errors when strict)
//   write    — the charts' YAML into a staging folder, then swapped in
// Nothing is written unless every step succeeds.

/** What the pipeline is asked to do. */
export interface PipelineOptions {
  /** Run the manifest checks (schema, removed APIs, Pod Security). */
  readonly validation: boolean;
  /** Unacknowledged warnings fail the synth. */
  readonly strict: boolean;
}

/** One chart, rendered. */
interface RenderedChart {
  readonly chart: Chart;
  readonly objects: ApiObject[];
}

/** The result of prepare, render and validate: what `write` writes. */
export interface Rendered {
  /** The charts in dependency order, each with its objects in dependency order. */
  readonly charts: RenderedChart[];
  /** The final JSON of every rendered object. */
  readonly json: Map<ApiObject, any>;
  /** Whether some chart depends on another (file names get an index prefix, as cdk8s does). */
  readonly dependantCharts: boolean;
}

/** Runs prepare, render and validate on `app`; throws one ValidationError listing every problem. */
export function runPipeline(app: App, options: PipelineOptions): Rendered {
  const all = app.node.findAll();
  const tenancy = prepareTenancy(app, all);
  try {
    const dependantCharts = addDependencyEdges(all);
    const rendered = render(app, dependantCharts);
    tenancy.jsonOf = obj => rendered.json.get(obj) ?? obj.toJson();
    validate(app, all, rendered, options);
    return rendered;
  } finally {
    releaseTenancy(app);
  }
}

/**
 * The dependency edges cdk8s's synth derives, added with `addDependency`: a
 * chart depends on its nested charts and on the charts its constructs depend
 * on; each ApiObject under a construct depends on each ApiObject under the
 * constructs that construct depends on (within their charts).
 */
function addDependencyEdges(all: IConstruct[]): boolean {
  let dependant = false;
  for (const parent of all) {
    if (!Chart.isChart(parent)) continue;
    for (const child of parent.node.children) {
      if (Chart.isChart(child)) {
        parent.node.addDependency(child);
        dependant = true;
      }
    }
  }
  const deps: Array<[IConstruct, IConstruct]> = [];
  for (const c of all) for (const d of c.node.dependencies) deps.push([c, d]);
  for (const [source, target] of deps) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      dependant = true;
    }
    // most dependencies are between two childless ApiObjects of one chart: nothing to derive
    if (ApiObject.isApiObject(source) && ApiObject.isApiObject(target) && sourceChart === targetChart
      && source.node.children.length === 0 && target.node.children.length === 0) continue;
    const targets = target.node.findAll().filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === targetChart);
    const sources = source.node.findAll().filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === sourceChart);
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
  return dependant;
}

/** Each chart's ApiObjects in dependency order, as cdk8s orders them, and each object's JSON computed once. */
function render(app: App, dependantCharts: boolean): Rendered {
  const charts: RenderedChart[] = [];
  const json = new Map<ApiObject, any>();
  for (const chart of topology(app).filter(Chart.isChart)) {
    const objects = topology(chart).filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart);
    for (const o of objects) json.set(o, o.toJson());
    charts.push({ chart, objects });
  }
  return { charts, json, dependantCharts };
}

function validate(app: App, all: IConstruct[], rendered: Rendered, options: PipelineOptions): void {
  const errors: string[] = [];
  for (const c of all) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  const warnings: WarningRecord[] = [];
  if (options.validation) {
    const objects = [...rendered.json.keys()];
    const reports = validateManifests(manifestEntries(objects, o => rendered.json.get(o)));
    reports.forEach((r, i) => {
      for (const f of r.findings) {
        if (f.severity === FindingSeverity.WARNING) warnings.push({ scope: objects[i], id: `cdk8s-paas:${f.check}`, text: `${r.ref}: ${f.message}` });
      }
    });
    const blocks = formatReports(reports, FindingSeverity.ERROR);
    if (blocks.length > 0) {
      const n = reports.reduce((s, r) => s + r.findings.filter(f => f.severity === FindingSeverity.ERROR).length, 0);
      errors.push(`[${app.node.path}] manifest validation: ${n} error${n > 1 ? 's' : ''} in ${blocks.length} object${blocks.length > 1 ? 's' : ''}, nothing was written\n  ${blocks.join('\n  ')}`);
    }
  }
  errors.push(...identityClashes(rendered));
  warnings.push(...warningRecords(app, all));
  for (const w of warnings) {
    if (Warnings.isAcknowledged(w.scope, w.id)) continue;
    if (options.strict) {
      errors.push(`[${w.scope.node.path}] strict mode: warning ${w.id} is an error: ${w.text}; fix it, or acknowledge it with Warnings.acknowledge(scope, '${w.id}')`);
    } else if (!warningsQuiet()) {
      process.stderr.write(formatWarning(w));
    }
  }
  if (errors.length > 0) {
    throw new ValidationError(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`, app.node.path, 'validation');
  }
}

/** Two objects with the same apiVersion group, kind, namespace and name: `kubectl apply` would keep only one. */
function identityClashes(rendered: Rendered): string[] {
  const seen = new Map<string, ApiObject>();
  const out: string[] = [];
  for (const [obj, json] of rendered.json) {
    const apiVersion: string = json?.apiVersion ?? '';
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const ns: string | undefined = json?.metadata?.namespace;
    const name = json?.metadata?.name;
    const key = `${group}\n${json?.kind}\n${ns ?? ''}\n${name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, obj);
      continue;
    }
    out.push(`[${obj.node.path}] ${ValidationError.format(obj.node.path, 'metadata.name', name,
      `is also the name of the ${json.kind}${group ? ` (${group})` : ''} ${ns ? `in namespace "${ns}" ` : ''}at ${first.node.path}: `
      + '`kubectl apply` would overwrite one with the other; give each object its own name (or namespace)')}`);
  }
  return out;
}

/**
 * Writes the rendered charts into `outdir` as cdk8s lays them out
 * (`yamlOutputType`, `outputFileExtension`); `transform` is applied to each
 * validated object as it is written (e.g. `escapeForHelm`).
 */
export function writeRendered(app: App, rendered: Rendered, outdir: string, recordConstructMetadata: boolean,
  transform: (manifest: any) => any = m => m): void {
  const ext = app.outputFileExtension;
  const save = (file: string, docs: any[]) => writeManifestFile(file, docs.map(transform));
  const docsOf = (c: RenderedChart) => c.objects.map(o => rendered.json.get(o));
  const resourceFile = (json: any) => `${json.kind}.${json.metadata.name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + ext;
  let index = 0;
  const chartName = (chart: Chart) => rendered.dependantCharts ? `${String(index++).padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart);
  fs.mkdirSync(outdir, { recursive: true });
  switch (app.yamlOutputType) {
    case YamlOutputType.FILE_PER_APP:
      if (rendered.charts.length > 0) save(path.join(outdir, `app${ext}`), rendered.charts.flatMap(docsOf));
      break;
    case YamlOutputType.FILE_PER_CHART:
      for (const c of rendered.charts) save(path.join(outdir, chartName(c.chart) + ext), docsOf(c));
      break;
    case YamlOutputType.FILE_PER_RESOURCE:
      for (const json of rendered.charts.flatMap(docsOf)) save(path.join(outdir, resourceFile(json)), [json]);
      break;
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      for (const c of rendered.charts) {
        const dir = path.join(outdir, chartName(c.chart));
        fs.mkdirSync(dir, { recursive: true });
        for (const json of docsOf(c)) save(path.join(dir, resourceFile(json)), [json]);
      }
      break;
    default:
      throw ValidationError.unscoped(app.node.path, 'yamlOutputType', app.yamlOutputType,
        'is not an output layout this version of cdk8s-paas knows: use a YamlOutputType of cdk8s 2.70');
  }
  if (recordConstructMetadata) {
    const resources: { [name: string]: { path: string } } = {};
    for (const c of rendered.charts) for (const o of c.objects) resources[o.name] = { path: o.node.path };
    fs.writeFileSync(path.join(outdir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources }));
  }
}

/** All rendered documents, in chart order (what `App.synthYaml()` returns, as YAML). */
export function renderedYaml(rendered: Rendered): string {
  return renderManifests(rendered.charts.flatMap(c => c.objects.map(o => rendered.json.get(o))));
}
