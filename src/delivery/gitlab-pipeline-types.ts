import { EnvironmentChart } from './environment-chart';
import { WarArtifact } from '../app/war-artifact';

/** The CI variable that carries the artifact image's digest from the build job to the later jobs. */
export const ARTIFACT_DIGEST_VARIABLE = 'ARTIFACT_DIGEST';

/**
 * The digest the drift check synthesizes with: the pipeline files do not depend
 * on it, but environments that require a digest refuse to synthesize without one.
 */
export const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`;

/**
 * The tool that builds the artifact image without a Docker daemon.
 */
export enum ImageBuildTool {
  /** Buildah (`buildah build` with the vfs storage driver and chroot isolation). */
  BUILDAH = 'buildah',
  /** Kaniko's `executor` (upstream is archived: use a maintained fork's image). */
  KANIKO = 'kaniko',
}

/**
 * The container images of the pipeline's jobs. Pin them (ideally by digest,
 * in your own registry mirror); every one is replaceable.
 */
export interface ToolImages {
  /**
   * Maven with a JDK: SonarQube analysis, tests, coverage and the WAR build.
   *
   * @default 'maven:3.9-eclipse-temurin-17'
   */
  readonly maven?: string;
  /**
   * The image builder (buildah, or a kaniko image with a shell).
   *
   * @default - 'quay.io/buildah/stable:v1.37' for BUILDAH, 'cgr.dev/chainguard/kaniko:latest-dev' (Chainguard's maintained fork) for KANIKO
   */
  readonly imageBuilder?: string;
  /**
   * Node.js for `cdk8s synth`.
   *
   * @default 'node:20-bookworm-slim'
   */
  readonly node?: string;
  /**
   * skopeo, which copies the artifact image to the next registry by digest.
   *
   * @default 'quay.io/skopeo/stable:v1.16'
   */
  readonly skopeo?: string;
  /**
   * kubectl with a POSIX shell, for the deploy jobs.
   *
   * @default 'alpine/k8s:1.27.16'
   */
  readonly kubectl?: string;
  /**
   * A minimal image with a shell for the manual approval jobs.
   *
   * @default 'busybox:1.36.1'
   */
  readonly approval?: string;
}

/**
 * Options of the generated GitLab CI pipeline.
 */
export interface GitlabPipelineOptions {
  /**
   * The jobs' container images.
   *
   * @default - see ToolImages
   */
  readonly images?: ToolImages;
  /**
   * The daemonless image builder.
   *
   * @default ImageBuildTool.BUILDAH
   */
  readonly imageBuildTool?: ImageBuildTool;
  /**
   * Commands of the synth job, run from the repository root; they must
   * write each environment's manifests to `<manifestsDir>/<environment>`.
   *
   * @default ['npm ci', 'npx cdk8s synth --no-check-upgrade']
   */
  readonly synthCommands?: string[];
  /**
   * Where the synth job writes the environments' manifests, relative to the
   * repository root.
   *
   * @default 'dist'
   */
  readonly manifestsDir?: string;
  /**
   * The artifact image's Dockerfile (see ArtifactDockerfile), relative to the
   * repository root. It must be committed: the image build runs before the
   * pipeline's synth. A `Delivery` sets it from its `pipelineDir`.
   *
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;
  /**
   * Where this `.gitlab-ci.yml` is committed, relative to the repository
   * root: GitLab reads `.gitlab-ci.yml` at the root unless the project's CI/CD
   * configuration file setting (`ci_config_path`) names another path. The
   * drift check compares it with what the synth regenerates. A `Delivery`
   * sets it from its `pipelineDir`.
   *
   * @default '.gitlab-ci.yml'
   */
  readonly ciConfigPath?: string;
  /**
   * Add the `generated-files` job to the first stage: it runs the synth
   * commands (with a placeholder digest) and fails when the committed
   * `.gitlab-ci.yml` or Dockerfile differ from what the definition generates,
   * before anything is built with a stale Dockerfile.
   *
   * @default true
   */
  readonly driftCheck?: boolean;
  /**
   * The folder Maven writes the WAR files to: the image build's context.
   *
   * @default 'target'
   */
  readonly warsDir?: string;
  /**
   * Fail the analysis job when the SonarQube quality gate fails.
   *
   * @default true
   */
  readonly sonarQualityGate?: boolean;
  /**
   * The tag the artifact image is pushed with (its digest is what deploys).
   *
   * @default - the artifact's tag, else '$CI_COMMIT_SHORT_SHA'
   */
  readonly imageTag?: string;
  /**
   * The rule under which images are pushed, promoted and deployed.
   *
   * @default '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'
   */
  readonly deployRule?: string;
}

/**
 * Props of a `GitlabPipeline`.
 */
export interface GitlabPipelineProps extends GitlabPipelineOptions {
  /** The environments' charts, in promotion order (dev, test, prod). */
  readonly charts: EnvironmentChart[];
  /** The artifact image the pipeline builds (its registry is replaced by each environment's). */
  readonly artifact: WarArtifact;
}

export const DEFAULT_BUILDER_IMAGE: { [tool: string]: string } = {
  [ImageBuildTool.BUILDAH]: 'quay.io/buildah/stable:v1.37',
  [ImageBuildTool.KANIKO]: 'cgr.dev/chainguard/kaniko:latest-dev',
};

/** A job of the internal model (the subset of GitLab's keywords the pipeline uses). */
export interface Job {
  readonly stage: string;
  readonly image: string | { name: string; entrypoint: string[] };
  readonly variables?: { [name: string]: string };
  readonly script: string[];
  readonly rules?: Array<{ if: string; when?: string }>;
  readonly allow_failure?: boolean;
  readonly manual_confirmation?: string;
  readonly environment?: { name: string; action?: string };
  readonly resource_group?: string;
  readonly interruptible?: boolean;
  readonly cache?: { key: string; paths: string[] };
  readonly artifacts?: any;
}

/** A job and its stage's name. */
export interface StagedJob {
  readonly name: string;
  readonly job: Job;
}

