import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps } from 'cdk8s';
import { writeAtomically } from './atomic-output';
import { escapeForHelm, OutputFormat, outputFormatOf } from './helm-escape';
import { kustomizationWanted, writeKustomization } from './kustomization';
import { Rendered, renderedYaml, runPipeline, writeRendered } from './synth-pipeline';
import { ValidationError } from '../core/errors';
import { KUBE_VERSION_CONTEXT, KubeVersion } from '../core/kube-version';
import { markPipelineRoot } from '../core/warnings';

/** The environment variable that turns on strict mode for every PaasApp: `CDK8S_PAAS_STRICT=1`. */
export const STRICT_ENV = 'CDK8S_PAAS_STRICT';
/**
 * The environment variable naming the output folder, ahead of cdk8s's
 * `CDK8S_OUTDIR`: `cdk8s synth` removes its `output` folder before it runs the
 * app, so point `output` at a scratch folder and this at the real one to keep
 * a failed synth from touching it (see docs/validation.md).
 */
export const OUTDIR_ENV = 'CDK8S_PAAS_OUTDIR';

/**
 * Props of a `PaasApp`.
 */
export interface PaasAppProps extends AppProps {
  // `outdir` (from AppProps) defaults to $CDK8S_PAAS_OUTDIR, else $CDK8S_OUTDIR, else `dist`

  /**
   * The Kubernetes version of the target cluster, read by every construct of the app.
   *
   * @default KubeVersion.DEFAULT (1.27)
   */
  readonly kubeVersion?: KubeVersion;

  /**
   * Validate every synthesized object (strict schema, APIs removed in the
   * target version, Pod Security per namespace) and refuse to write anything
   * when one fails. Turn off only to measure its cost or to debug.
   *
   * @default true
   */
  readonly validation?: boolean;

  /**
   * Strict mode, for pipelines: every warning that is not acknowledged
   * (`Warnings.acknowledge(scope, id)`) fails the synth like an error.
   *
   * @default - true when the environment variable `CDK8S_PAAS_STRICT` is `1` or `true`, else false
   */
  readonly strict?: boolean;

  /**
   * What the manifests are written for. HELM escapes every `{{` in a string
   * (Prometheus alert templates) for Helm's template engine.
   *
   * @default - `CDK8S_PAAS_OUTPUT` (`helm` or `plain`) when set, else HELM when
   * the outdir is the `templates` folder of a Helm chart (`cdk8s synth --format helm`), else PLAIN
   */
  readonly outputFormat?: OutputFormat;

  /**
   * Also write a `kustomization.yaml` beside the manifests that lists them as
   * `resources`, so `kubectl kustomize <outdir>` (and `kubectl apply -k`)
   * builds the same objects. Never in the HELM output format.
   *
   * @default - true when `CDK8S_PAAS_KUSTOMIZATION=true`, else false
   */
  readonly kustomization?: boolean;
}

/**
 * A cdk8s `App` for cdk8s-paas: it carries the target Kubernetes version and
 * synthesizes in one explicit pipeline: *prepare* (tenant namespaces,
 * dependency edges), *validate* (every construct validation, then the
 * manifest checks of `ManifestValidator` and object identity on the final
 * JSON, warnings printed once each or failing in strict mode) and *write*
 * (atomically: a failed synth leaves the output folder exactly as it was).
 * See docs/validation.md.
 */
export class PaasApp extends App {
  /** The target Kubernetes version. */
  public readonly kubeVersion: KubeVersion;
  /** Whether synthesized objects are validated. */
  public readonly validation: boolean;
  /** Whether unacknowledged warnings fail the synth. */
  public readonly strict: boolean;
  private readonly recordMetadata: boolean;
  private readonly outputFormat?: OutputFormat;
  private readonly kustomization?: boolean;

  /**
   * @param props the app configuration (outdir, target Kubernetes version, validation, strict mode)
   */
  public constructor(props: PaasAppProps = {}) {
    super({ ...props, outdir: props.outdir ?? process.env[OUTDIR_ENV] ?? process.env.CDK8S_OUTDIR ?? 'dist' });
    const ext: unknown = props.outputFileExtension;
    if (ext !== undefined && (typeof ext !== 'string' || /[\\/\0]|\.\./.test(ext))) {
      throw ValidationError.of(this, 'outputFileExtension', ext, 'is not a file name suffix: expected e.g. ".k8s.yaml", without "/", "\\", ".." or NUL (the files stay in outdir)');
    }
    this.kubeVersion = props.kubeVersion ?? KubeVersion.DEFAULT;
    this.validation = props.validation ?? true;
    const env = process.env[STRICT_ENV];
    this.strict = props.strict ?? (env === '1' || env === 'true');
    this.outputFormat = props.outputFormat;
    this.kustomization = props.kustomization;
    this.node.setContext(KUBE_VERSION_CONTEXT, this.kubeVersion.toString());
    this.recordMetadata = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
    markPipelineRoot(this);
  }

  /**
   * Prepare, validate and write all charts to `outdir`; nothing is written
   * unless everything succeeds. Throws one `ValidationError` listing every
   * problem.
   */
  public synth(): void {
    const rendered = this.prepareAndValidate();
    const helm = outputFormatOf(this.outdir, this.outputFormat) === OutputFormat.HELM;
    const write = (dir: string) => {
      writeRendered(this, rendered, dir, this.recordMetadata, helm ? escapeForHelm : undefined);
      if (!helm && kustomizationWanted(this.kustomization)) writeKustomization(dir);
    };
    writeAtomically(this.outdir, write);
    if (helm) ignoreBookkeepingInChart(this.outdir);
    // under `cdk8s synth` with the documented set-up (CDK8S_PAAS_OUTDIR): cdk8s-cli
    // expects its scratch `output` folder (CDK8S_OUTDIR) too, and reads the manifests there
    const scratch = process.env.CDK8S_OUTDIR;
    if (process.env[OUTDIR_ENV] && scratch && path.resolve(scratch) !== path.resolve(this.outdir)) write(scratch);
  }

  /**
   * Prepare and validate as `synth()` does, and return every chart's objects
   * as one YAML string instead of writing files.
   */
  public synthYaml(): string {
    return renderedYaml(this.prepareAndValidate());
  }

  private prepareAndValidate(): Rendered {
    return runPipeline(this, { validation: this.validation, strict: this.strict });
  }
}

/**
 * The synth's own files in the output folder (`.cdk8s-paas-owned`, lock,
 * journal, staging) are not manifests: in a Helm chart's `templates/` they are
 * listed in the chart's `.helmignore`, so `helm install` and `helm package`
 * leave them out.
 */
function ignoreBookkeepingInChart(outdir: string): void {
  // the chart root: the nearest folder above outdir with a Chart.yaml (a Delivery writes templates/<env>/)
  let root = path.dirname(path.resolve(outdir));
  while (!fs.existsSync(path.join(root, 'Chart.yaml'))) {
    const up = path.dirname(root);
    if (up === root) return; // HELM asked for outside a chart: nothing to list
    root = up;
  }
  const file = path.join(root, '.helmignore');
  // no "/": .helmignore matches the name at any depth (templates/, templates/<env>/)
  const rule = '.cdk8s-paas*';
  try {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : '';
    if (text.split('\n').includes(rule)) return;
    fs.writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}# cdk8s-paas bookkeeping, not manifests\n${rule}\n`);
  } catch (e: any) {
    throw new ValidationError(`${file}: cannot write the chart's .helmignore: ${e?.message ?? String(e)}`, file, 'outdir');
  }
}
