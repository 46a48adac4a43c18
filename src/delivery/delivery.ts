import * as fs from 'fs';
import * as path from 'path';
import { ArtifactDockerfile, ArtifactDockerfileOptions } from './artifact-dockerfile';
import { Environment } from './environment';
import { EnvironmentChart, IAppDefinition } from './environment-chart';
import { GitlabPipeline } from './gitlab-pipeline';
import { ARTIFACT_DIGEST_VARIABLE, GitlabPipelineOptions, PLACEHOLDER_DIGEST } from './gitlab-pipeline-types';
import { invalid, pathScope } from './image-ref';
import { writeKustomizeOverlays } from './kustomize-overlays';
import { WarArtifact } from '../app/war-artifact';
import { KubeVersion } from '../core/kube-version';
import { writeAtomically } from '../platform/atomic-output';
import { outputFormatOf, OutputFormat } from '../platform/helm-escape';
import { kustomizationWanted } from '../platform/kustomization';
import { PaasApp } from '../platform/paas-app';
import { checkDnsLabel } from '../validate/rules';

/**
 * Props of a `Delivery`.
 */
export interface DeliveryProps {
  /**
   * The app's name: the chart id, so each environment's manifests are
   * `<outdir>/<environment>/<name>.k8s.yaml`.
   */
  readonly name: string;
  /** The app definition, built once per environment. */
  readonly definition: IAppDefinition;
  /** The environments in promotion order, e.g. dev, test, prod. At least one. */
  readonly environments: Environment[];
  /**
   * The artifact image the pipeline builds from the Maven project; each
   * environment gets it in its own registry.
   */
  readonly artifact: WarArtifact;
  /**
   * The digest of the artifact image to deploy (in the pipeline: the
   * `ARTIFACT_DIGEST` variable the image build job exports). Environments
   * with `requireDigest` refuse an artifact without one.
   *
   * @default - the artifact image's own digest, if any
   */
  readonly artifactDigest?: string;
  /**
   * Where `synth()` writes the environments' manifests, one folder per
   * environment: a build output (e.g. a git-ignored `dist/`), which the
   * pipeline's synth job recreates. Unless `pipeline.manifestsDir` is set,
   * the pipeline deploys from this folder, relative to `repositoryRoot`.
   *
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * Also write kustomize files: a `kustomization.yaml` in each environment's
   * folder, `<outdir>/base/` and `<outdir>/overlays/<env>/`, so that
   * `kubectl kustomize <outdir>/overlays/<env>` builds the environment's
   * manifests from one base (see docs/helm-kustomize.md).
   *
   * @default - true when `CDK8S_PAAS_KUSTOMIZATION=true`, else false
   */
  readonly kustomization?: boolean;
  /**
   * The repository's root folder, where the pipeline's jobs run: the paths in
   * the pipeline (Dockerfile, `.gitlab-ci.yml`, manifests) are relative to it.
   *
   * @default '.' (the current working directory)
   */
  readonly repositoryRoot?: string;
  /**
   * Where `synth()` writes `.gitlab-ci.yml` and the artifact image's
   * `Dockerfile`: a folder of the repository whose files are committed,
   * because GitLab reads the pipeline, and the image build uses the
   * Dockerfile, before the pipeline's synth runs. GitLab reads
   * `.gitlab-ci.yml` at the repository root unless the project's CI/CD
   * configuration file (`ci_config_path`) names another path. The pipeline's
   * `generated-files` job and `driftedFiles()` check that the committed files
   * are up to date.
   *
   * @default - repositoryRoot
   */
  readonly pipelineDir?: string;
  /**
   * The target Kubernetes version of every environment.
   *
   * @default KubeVersion.DEFAULT
   */
  readonly kubeVersion?: KubeVersion;
  /**
   * Options of the generated GitLab CI pipeline.
   *
   * @default - see GitlabPipelineOptions
   */
  readonly pipeline?: GitlabPipelineOptions;
  /**
   * Options of the artifact image's Dockerfile.
   *
   * @default - see ArtifactDockerfileOptions
   */
  readonly dockerfile?: ArtifactDockerfileOptions;
}

/**
 * One application definition delivered to several environments.
 *
 * The definition runs once per environment, each time in a fresh `PaasApp`
 * with its own chart (namespace, registry, replicas, resources of that
 * environment); `synth()` writes every environment's manifests to `outdir`
 * and, to `pipelineDir` (committed files), the `.gitlab-ci.yml` that builds,
 * promotes and deploys them and the artifact image's Dockerfile — nothing
 * unless everything is valid.
 */
export class Delivery {
  /** The CI variable through which the pipeline hands the artifact image's digest to the synth. */
  public static readonly DIGEST_VARIABLE = ARTIFACT_DIGEST_VARIABLE;
  /**
   * The all-zero digest the pipeline's drift check synthesizes with; use it
   * as the fallback of a local synth (which regenerates the committed
   * pipeline files) when `ARTIFACT_DIGEST` is unset. The pipeline's synth job
   * refuses to run without the real digest.
   */
  public static readonly PLACEHOLDER_DIGEST = PLACEHOLDER_DIGEST;

  /** The environments, in promotion order. */
  public readonly environments: Environment[];
  /** One app per environment, in promotion order. */
  public readonly apps: PaasApp[];
  /** One chart per environment, in promotion order. */
  public readonly charts: EnvironmentChart[];
  /** The generated pipeline. */
  public readonly pipeline: GitlabPipeline;
  /** The artifact image's Dockerfile. */
  public readonly dockerfile: ArtifactDockerfile;
  /** The folder of the environments' manifests. */
  public readonly outdir: string;
  /** The folder of the committed `.gitlab-ci.yml` and `Dockerfile`. */
  public readonly pipelineDir: string;
  private readonly outputFormat: OutputFormat;
  private readonly kustomization: boolean;

  /**
   * @param props the app definition, its artifact and the environments
   */
  public constructor(props: DeliveryProps) {
    const name = checkDnsLabel(pathScope('Delivery'), 'name', props.name);
    const envs = props.environments ?? [];
    if (envs.length === 0) {
      throw invalid('Delivery', 'environments', envs, 'must name at least one Environment, e.g. dev, test and prod in promotion order');
    }
    const names = envs.map(e => e.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) {
        throw invalid('Delivery', `environments[${i}].name`, n, `is also the name of environments[${names.indexOf(n)}]; each environment needs its own name (its output folder)`);
      }
    });
    this.environments = [...envs];
    this.outdir = props.outdir ?? 'dist';
    // the environments' folders sit inside outdir: a Helm chart's templates/ is outdir itself
    this.outputFormat = outputFormatOf(this.outdir);
    this.kustomization = kustomizationWanted(props.kustomization) && this.outputFormat !== OutputFormat.HELM;
    const root = props.repositoryRoot ?? '.';
    this.pipelineDir = props.pipelineDir ?? root;
    const pipelineDirInRepo = repoPath(root, this.pipelineDir, 'pipelineDir');
    const registries = [...new Set(envs.map(e => e.registry))];
    this.apps = [];
    this.charts = [];
    for (const env of envs) {
      const app = new PaasApp({
        outdir: path.join(this.outdir, env.name), kubeVersion: props.kubeVersion, outputFormat: this.outputFormat, kustomization: this.kustomization,
      });
      const chart = new EnvironmentChart(app, name, {
        environment: env,
        artifact: props.artifact,
        artifactDigest: props.artifactDigest,
        foreignRegistries: registries,
      });
      props.definition.define(chart);
      this.apps.push(app);
      this.charts.push(chart);
    }
    const given = props.pipeline ?? {};
    for (const field of ['manifestsDir', 'warsDir'] as const) {
      if (given[field] !== undefined) inRepository(`pipeline.${field}`, given[field]);
    }
    this.pipeline = new GitlabPipeline({
      ...given,
      manifestsDir: given.manifestsDir ?? repoPath(root, this.outdir, 'outdir', 'or set pipeline.manifestsDir to where the pipeline\'s synth commands write'),
      dockerfile: sameFile('dockerfile', given.dockerfile, path.posix.join(pipelineDirInRepo, DOCKERFILE)),
      ciConfigPath: sameFile('ciConfigPath', given.ciConfigPath, path.posix.join(pipelineDirInRepo, CI_CONFIG)),
      charts: this.charts,
      artifact: props.artifact,
    });
    this.dockerfile = ArtifactDockerfile.fromArtifact(props.artifact, props.dockerfile);
  }

  /** The chart of an environment. */
  public chartOf(environmentName: string): EnvironmentChart {
    const chart = this.charts.find(c => c.environment.name === environmentName);
    if (!chart) {
      throw invalid('Delivery', 'environmentName', environmentName, `is not an environment of this delivery; environments are ${this.environments.map(e => e.name).join(', ')}`);
    }
    return chart;
  }

  /**
   * The committed pipeline files (`<pipelineDir>/.gitlab-ci.yml` and
   * `<pipelineDir>/Dockerfile`) that are missing or differ from what this
   * delivery generates; empty when they are up to date. Assert it in a test
   * so that a change to the definition without a re-synth fails before the
   * pipeline runs.
   */
  public driftedFiles(): string[] {
    return Object.entries(this.pipelineFiles())
      .filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf-8') !== text)
      .map(([file]) => file);
  }

  /**
   * Validate every environment and the pipeline, then write
   * `<outdir>/<environment>/*.k8s.yaml`, `<pipelineDir>/.gitlab-ci.yml` and
   * `<pipelineDir>/Dockerfile`. Nothing is written unless everything is valid.
   */
  public synth(): void {
    const files = this.pipelineFiles();
    writeAtomically(this.outdir, (staging) => {
      this.apps.forEach((app, i) => {
        const self = app as { outdir: string };
        const finalDir = app.outdir;
        self.outdir = path.join(staging, this.environments[i].name);
        try {
          app.synth();
        } finally {
          self.outdir = finalDir;
        }
      });
      if (this.kustomization) writeKustomizeOverlays(staging, this.environments.map(e => e.name));
    });
    fs.mkdirSync(this.pipelineDir, { recursive: true });
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(file, text);
  }

  /** The pipeline files by path: what `synth()` writes to `pipelineDir`; throws when GitLab would refuse the pipeline. */
  private pipelineFiles(): { [file: string]: string } {
    const problems = this.pipeline.validate();
    if (problems.length > 0) {
      throw invalid('Delivery', 'pipeline', CI_CONFIG, `does not match GitLab's CI schema: ${problems.join('; ')}`);
    }
    return {
      [path.join(this.pipelineDir, CI_CONFIG)]: this.pipeline.toYaml(),
      [path.join(this.pipelineDir, DOCKERFILE)]: this.dockerfile.render(),
    };
  }
}

const CI_CONFIG = '.gitlab-ci.yml';
const DOCKERFILE = 'Dockerfile';

/** `target` relative to the repository root, with `/`; throws when it lies outside the repository. */
function repoPath(root: string, target: string, field: string, hint = ''): string {
  const rel = path.relative(path.resolve(root), path.resolve(target)).split(path.sep).join('/');
  if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) {
    throw invalid('Delivery', field, target, `is outside repositoryRoot "${root}": the pipeline's jobs only see the repository; use a folder inside it${hint ? ` ${hint}` : ''}`);
  }
  return rel || '.';
}

/** Throws unless `value` is a folder inside the repository, relative to its root (the jobs see nothing else). */
function inRepository(field: string, value: unknown): void {
  const norm = typeof value === 'string' ? path.posix.normalize(value) : '';
  if (typeof value !== 'string' || value === '' || path.posix.isAbsolute(value) || norm === '..' || norm.startsWith('../') || /[\0\n]/.test(value)) {
    throw invalid('Delivery', field, value, 'must be a folder inside the repository, relative to its root and without leading ".." (e.g. "dist" or "target"): the pipeline\'s jobs only see the repository');
  }
}

/** The pipeline's path of a file Delivery writes; an explicit `pipeline.<field>` must name the same file. */
function sameFile(field: string, given: string | undefined, written: string): string {
  if (given !== undefined && path.posix.normalize(given) !== written) {
    throw invalid('Delivery', `pipeline.${field}`, given, `is not where Delivery writes that file ("${written}", from pipelineDir): set pipelineDir instead, or leave pipeline.${field} unset`);
  }
  return written;
}
