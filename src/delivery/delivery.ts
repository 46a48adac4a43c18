import * as fs from 'fs';
import * as path from 'path';
import { ArtifactDockerfile, ArtifactDockerfileOptions } from './artifact-dockerfile';
import { Environment } from './environment';
import { EnvironmentChart, IAppDefinition } from './environment-chart';
import { ARTIFACT_DIGEST_VARIABLE, GitlabPipeline, GitlabPipelineOptions } from './gitlab-pipeline';
import { invalid, pathScope } from './image-ref';
import { WarArtifact } from '../app/war-artifact';
import { writeAtomically } from '../platform/atomic-output';
import { KubeVersion } from '../platform/kube-version';
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
   * Where `synth()` writes: one folder per environment, plus
   * `.gitlab-ci.yml` and `Dockerfile`.
   *
   * @default 'dist'
   */
  readonly outdir?: string;
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
 * environment); `synth()` writes every environment's manifests, the
 * `.gitlab-ci.yml` that builds, promotes and deploys them, and the artifact
 * image's Dockerfile — all or nothing.
 */
export class Delivery {
  /** The CI variable through which the pipeline hands the artifact image's digest to the synth. */
  public static readonly DIGEST_VARIABLE = ARTIFACT_DIGEST_VARIABLE;

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
  /** The output folder. */
  public readonly outdir: string;

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
    const registries = [...new Set(envs.map(e => e.registry))];
    this.apps = [];
    this.charts = [];
    for (const env of envs) {
      const app = new PaasApp({ outdir: path.join(this.outdir, env.name), kubeVersion: props.kubeVersion });
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
    this.pipeline = new GitlabPipeline({ ...props.pipeline, charts: this.charts, artifact: props.artifact });
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
   * Validate every environment and the pipeline, then write
   * `<outdir>/<environment>/*.k8s.yaml`, `<outdir>/.gitlab-ci.yml` and
   * `<outdir>/Dockerfile`. Nothing is written unless everything is valid.
   */
  public synth(): void {
    const problems = this.pipeline.validate();
    if (problems.length > 0) {
      throw invalid('Delivery', 'pipeline', '.gitlab-ci.yml', `does not match GitLab's CI schema: ${problems.join('; ')}`);
    }
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
      fs.writeFileSync(path.join(staging, '.gitlab-ci.yml'), this.pipeline.toYaml());
      fs.writeFileSync(path.join(staging, 'Dockerfile'), this.dockerfile.render());
    });
  }
}
