import { App, AppProps } from 'cdk8s';
import { ValidationError } from '../errors';
import { writeAtomically } from './atomic-output';
import { escapeForHelm, OutputFormat, outputFormatOf } from './helm-escape';
import { KUBE_VERSION_CONTEXT, KubeVersion } from './kube-version';
import { kustomizationWanted, writeKustomization } from './kustomization';
import { SynthRun, validateApp } from './synth-validation';

/**
 * Props of a `PaasApp`.
 */
export interface PaasAppProps extends AppProps {
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
 * A cdk8s `App` for cdk8s-paas: it carries the target Kubernetes version,
 * validates every ApiObject the way the target cluster would (see
 * `ManifestValidator`) and synthesizes atomically, so a failed synth (a
 * validation error, a serialization error) leaves the output folder exactly
 * as it was.
 */
export class PaasApp extends App {
  /** The target Kubernetes version. */
  public readonly kubeVersion: KubeVersion;
  /** Whether synthesized objects are validated. */
  public readonly validation: boolean;
  private run?: SynthRun;
  private readonly outputFormat?: OutputFormat;
  private readonly kustomization?: boolean;

  /**
   * @param props the app configuration (outdir, target Kubernetes version, validation)
   */
  public constructor(props: PaasAppProps = {}) {
    super(props);
    this.kubeVersion = props.kubeVersion ?? KubeVersion.DEFAULT;
    this.validation = props.validation ?? true;
    this.outputFormat = props.outputFormat;
    this.kustomization = props.kustomization;
    this.node.setContext(KUBE_VERSION_CONTEXT, this.kubeVersion.toString());
    // runs with every construct validation, so all problems are reported at once
    this.node.addValidation({
      validate: () => {
        if (!this.validation) return [];
        return this.run ? this.run.validate(this) : validateApp(this);
      },
    });
  }

  /**
   * Validate every construct and object and write all charts; nothing is
   * written unless everything succeeds.
   */
  public synth(): void {
    const self = this as { outdir: string };
    const finalDir = this.outdir;
    const helm = outputFormatOf(finalDir, this.outputFormat) === OutputFormat.HELM;
    writeAtomically(finalDir, (staging) => {
      self.outdir = staging;
      this.run = new SynthRun(this, helm ? escapeForHelm : undefined);
      try {
        super.synth();
        if (!helm && kustomizationWanted(this.kustomization)) writeKustomization(staging);
      } catch (e: any) {
        // cdk8s gathers every construct validation into one plain Error: give
        // it the library's single error type, message unchanged
        if (e instanceof Error && /^Validation failed/.test(e.message)) {
          throw new ValidationError(e.message, this.node.path, 'validation');
        }
        throw e;
      } finally {
        this.run?.end();
        this.run = undefined;
        self.outdir = finalDir;
      }
    });
  }
}
