import { Environment } from './environment';
import { EnvironmentChart } from './environment-chart';
import { gitlabCiSchemaErrors } from './gitlab-schema';
import { checkImageTag, checkRepoPath, invalid, joinImage, shellQuote, splitImage } from './image-ref';
import { WarArtifact } from '../app/war-artifact';
import { renderYaml } from '../platform/manifest-yaml';

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

const DEFAULT_BUILDER_IMAGE: { [tool: string]: string } = {
  [ImageBuildTool.BUILDAH]: 'quay.io/buildah/stable:v1.37',
  [ImageBuildTool.KANIKO]: 'cgr.dev/chainguard/kaniko:latest-dev',
};

/** A job of the internal model (the subset of GitLab's keywords the pipeline uses). */
interface Job {
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
interface StagedJob {
  readonly name: string;
  readonly job: Job;
}

/**
 * The `.gitlab-ci.yml` of a delivery: analysis (SonarQube, tests, coverage),
 * compile (Maven), the artifact image (built without a Docker daemon and
 * pushed to the first environment's registry), synth, then per environment
 * in order: a manual approval when the environment asks for one, a
 * promotion of the image to the environment's registry by digest when the
 * registry changes, and a deploy that waits for every rollout and undoes
 * them all when one fails.
 */
export class GitlabPipeline {
  private readonly tool: ImageBuildTool;
  private readonly props: GitlabPipelineProps;
  private readonly environments: Environment[];
  private readonly repository: string;
  private readonly tag: string;
  private readonly warsDir: string;
  private readonly manifestsDir: string;
  private readonly dockerfile: string;
  private readonly ciConfigPath: string;
  private readonly images: Required<ToolImages>;

  /**
   * @param props the environments, the artifact and the tool images
   */
  public constructor(props: GitlabPipelineProps) {
    this.props = props;
    if (!props.charts || props.charts.length === 0) {
      throw invalid('GitlabPipeline', 'charts', props.charts ?? [], 'must name at least one environment chart');
    }
    this.environments = props.charts.map(c => c.environment);
    const seen = new Set<string>();
    for (const e of this.environments) {
      if (seen.has(e.name)) {
        throw invalid('GitlabPipeline', 'charts', e.name, 'is an environment name used twice; each environment needs its own name (its output folder and GitLab environment)');
      }
      seen.add(e.name);
    }
    const parts = splitImage('GitlabPipeline', 'artifact.image', props.artifact.image);
    this.repository = parts.repository;
    this.tag = checkImageTag('GitlabPipeline', 'imageTag', props.imageTag ?? parts.tag ?? '$CI_COMMIT_SHORT_SHA');
    // every value that reaches a job script has a grammar no shell can misread
    this.warsDir = checkRepoPath('GitlabPipeline', 'warsDir', props.warsDir ?? 'target');
    this.manifestsDir = checkRepoPath('GitlabPipeline', 'manifestsDir', props.manifestsDir ?? 'dist');
    this.dockerfile = checkRepoPath('GitlabPipeline', 'dockerfile', props.dockerfile ?? 'Dockerfile');
    this.ciConfigPath = checkRepoPath('GitlabPipeline', 'ciConfigPath', props.ciConfigPath ?? '.gitlab-ci.yml');
    const tool = this.tool = props.imageBuildTool ?? ImageBuildTool.BUILDAH;
    const im = props.images ?? {};
    this.images = {
      maven: im.maven ?? 'maven:3.9-eclipse-temurin-17',
      imageBuilder: im.imageBuilder ?? DEFAULT_BUILDER_IMAGE[tool],
      node: im.node ?? 'node:20-bookworm-slim',
      skopeo: im.skopeo ?? 'quay.io/skopeo/stable:v1.16',
      kubectl: im.kubectl ?? 'alpine/k8s:1.27.16',
      approval: im.approval ?? 'busybox:1.36.1',
    };
    for (const [k, v] of Object.entries(this.images)) splitImage('GitlabPipeline', `images.${k}`, v);
  }

  /** The stages, in order. */
  public get stages(): string[] {
    return [...new Set(this.jobs().map(j => j.job.stage))];
  }

  /** The pipeline as a JSON object (the `.gitlab-ci.yml` document). */
  public toJson(): any {
    const jobs = this.jobs();
    const doc: any = {
      stages: this.stages,
      variables: {
        MAVEN_OPTS: '-Dmaven.repo.local=$CI_PROJECT_DIR/.m2/repository',
      },
      default: { interruptible: true },
    };
    for (const { name, job } of jobs) doc[name] = job;
    return JSON.parse(JSON.stringify(doc));
  }

  /** The `.gitlab-ci.yml` text, with a header naming the CI variables to set. */
  public toYaml(): string {
    const vars = [
      'SONAR_HOST_URL, SONAR_TOKEN (masked)',
      ...this.registryHops().map(e => `${e.variablePrefix}_REGISTRY_USER, ${e.variablePrefix}_REGISTRY_PASSWORD (masked): push/pull on ${e.registry}`),
      'KUBECONFIG (file, scoped to each GitLab environment) unless the environment sets a kubeContext',
    ];
    const header = [
      '# Generated by cdk8s-paas (Delivery / GitlabPipeline): do not edit, re-run the synth and commit it.',
      ...(this.ciConfigPath === '.gitlab-ci.yml' ? [] : [
        `# GitLab reads it only if the project's CI/CD configuration file (ci_config_path) is ${this.ciConfigPath}.`,
      ]),
      '# CI/CD variables to set in the project settings:',
      ...vars.map(v => `#   ${v}`),
    ].join('\n');
    return `${header}\n${renderYaml(this.toJson())}`;
  }

  /** Violations of GitLab's CI schema (`data/gitlab-ci-schema.json`); empty when the pipeline is valid. */
  public validate(): string[] {
    return gitlabCiSchemaErrors(this.toJson());
  }

  /** Every job, in stage order; built on demand so that the charts are complete. */
  private jobs(): StagedJob[] {
    return [
      { name: 'sonarqube', job: this.analysisJob() },
      ...(this.props.driftCheck ?? true ? [{ name: 'generated-files', job: this.driftCheckJob() }] : []),
      { name: 'compile', job: this.compileJob() },
      { name: 'artifact-image', job: this.tool === ImageBuildTool.KANIKO ? this.kanikoJob() : this.buildahJob() },
      { name: 'synth', job: this.synthJob() },
      ...this.environmentJobs(),
    ];
  }

  /** The first environment that uses `env`'s registry: its name prefixes the registry's CI variables. */
  private registryOwner(env: Environment): Environment {
    return this.environments.find(e => e.registry === env.registry)!;
  }

  /** The environments whose registry differs from the previous one's (the first always): where images are pushed or promoted. */
  private registryHops(): Environment[] {
    return this.environments.filter((e, i) => i === 0 || this.environments[i - 1].registry !== e.registry);
  }

  /** The artifact image, by tag, in an environment's registry. */
  private taggedImage(env: Environment): string {
    return joinImage({ registry: env.registry, repository: this.repository, tag: this.tag });
  }

  private deployRules(when?: string): Array<{ if: string; when?: string }> {
    return [{ if: this.props.deployRule ?? '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', ...(when ? { when } : {}) }];
  }

  private analysisJob(): Job {
    const gate = this.props.sonarQualityGate ?? true;
    return {
      stage: 'analysis',
      image: this.images.maven,
      variables: { SONAR_USER_HOME: '$CI_PROJECT_DIR/.sonar', GIT_DEPTH: '0' },
      cache: { key: 'maven', paths: ['.m2/repository', '.sonar/cache'] },
      script: [
        'mvn -B -ntp org.jacoco:jacoco-maven-plugin:prepare-agent verify org.jacoco:jacoco-maven-plugin:report '
        + 'org.sonarsource.scanner.maven:sonar-maven-plugin:sonar '
        + `-Dsonar.coverage.jacoco.xmlReportPaths=target/site/jacoco/jacoco.xml -Dsonar.qualitygate.wait=${gate}`,
      ],
      artifacts: {
        when: 'always',
        reports: {
          junit: ['target/surefire-reports/TEST-*.xml'],
          coverage_report: { coverage_format: 'jacoco', path: 'target/site/jacoco/jacoco.xml' },
        },
      },
    };
  }

  private compileJob(): Job {
    return {
      stage: 'compile',
      image: this.images.maven,
      cache: { key: 'maven', paths: ['.m2/repository'] },
      script: ['mvn -B -ntp package -DskipTests'],
      artifacts: { paths: [`${this.warsDir}/*.war`], expire_in: '1 week' },
    };
  }

  /** Fails the build when a WAR the artifact declares is missing from the build context. */
  private checkWars(): string {
    const wars = this.props.artifact.wars.map(shellQuote).join(' ');
    return `for war in ${wars}; do test -f "${this.warsDir}/$war" || { echo "missing ${this.warsDir}/$war (declared by the WarArtifact)" >&2; exit 1; }; done`;
  }

  private buildahJob(): Job {
    const first = this.environments[0];
    const image = this.taggedImage(first);
    return {
      stage: 'artifact-image',
      image: this.images.imageBuilder,
      variables: { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
      rules: this.deployRules(),
      script: [
        this.checkWars(),
        login('buildah', first),
        `buildah build --file ${shellQuote(this.dockerfile)} --tag "${image}" ${shellQuote(this.warsDir)}`,
        `buildah push --digestfile artifact-digest "${image}"`,
        `echo "${ARTIFACT_DIGEST_VARIABLE}=$(cat artifact-digest)" > artifact.env`,
      ],
      artifacts: { reports: { dotenv: 'artifact.env' } },
    };
  }

  private kanikoJob(): Job {
    const first = this.environments[0];
    const image = this.taggedImage(first);
    const p = first.variablePrefix;
    return {
      stage: 'artifact-image',
      image: { name: this.images.imageBuilder, entrypoint: [''] },
      variables: { DOCKER_CONFIG: '/tmp/.docker' },
      rules: this.deployRules(),
      script: [
        this.checkWars(),
        'mkdir -p "$DOCKER_CONFIG"',
        `printf '{"auths":{"%s":{"auth":"%s"}}}' ${shellQuote(first.registry)} "$(printf '%s:%s' "$${p}_REGISTRY_USER" "$${p}_REGISTRY_PASSWORD" | base64 | tr -d '\\n')" > "$DOCKER_CONFIG/config.json"`,
        `executor --context "dir://$CI_PROJECT_DIR/${this.warsDir}" --dockerfile "$CI_PROJECT_DIR/${this.dockerfile}" --destination "${image}" --digest-file artifact-digest`,
        `echo "${ARTIFACT_DIGEST_VARIABLE}=$(cat artifact-digest)" > artifact.env`,
      ],
      artifacts: { reports: { dotenv: 'artifact.env' } },
    };
  }

  private get synthCommands(): string[] {
    return this.props.synthCommands ?? ['npm ci', 'npx cdk8s synth --no-check-upgrade'];
  }

  /**
   * Keeps a copy of the committed `.gitlab-ci.yml` and Dockerfile, runs the
   * synth (with a placeholder digest: these files do not depend on it) and
   * fails with a diff when the synth changed either.
   */
  private driftCheckJob(): Job {
    const files = [this.ciConfigPath, this.dockerfile];
    const list = files.join(' and ');
    return {
      stage: 'analysis',
      image: this.images.node,
      variables: { [ARTIFACT_DIGEST_VARIABLE]: PLACEHOLDER_DIGEST },
      script: [
        'committed="$(mktemp -d)"',
        ...files.map((f, i) => `cp ${shellQuote(f)} "$committed/${i}" || { echo "${f} is not committed: run the synth and commit it" >&2; exit 1; }`),
        ...this.synthCommands,
        [
          'ok=true',
          ...files.map((f, i) => `diff -u "$committed/${i}" ${shellQuote(f)} || ok=false`),
          'if ! $ok; then',
          `  echo "the committed ${list} differ from what the definition generates: run the synth and commit them" >&2`,
          '  exit 1',
          'fi',
          '',
        ].join('\n'),
      ],
    };
  }

  private synthJob(): Job {
    return {
      stage: 'synth',
      image: this.images.node,
      rules: this.deployRules(),
      script: [
        `test -n "$${ARTIFACT_DIGEST_VARIABLE}"`,
        ...this.synthCommands,
        ...this.environments.map(e => `test -d ${shellQuote(`${this.manifestsDir}/${e.name}`)}`),
      ],
      artifacts: { paths: [this.manifestsDir], expire_in: '1 month' },
    };
  }

  private environmentJobs(): StagedJob[] {
    const out: StagedJob[] = [];
    this.props.charts.forEach((chart, i) => {
      const env = chart.environment;
      if (env.approval) {
        out.push({ name: `approve-${env.name}`, job: this.approvalJob(env) });
      }
      if (i > 0 && this.environments[i - 1].registry !== env.registry) {
        out.push({ name: `promote-${env.name}`, job: this.promotionJob(this.environments[i - 1], env) });
      }
      out.push({ name: `deploy-${env.name}`, job: this.deployJob(chart) });
    });
    return out;
  }

  private approvalJob(env: Environment): Job {
    return {
      stage: `approve-${env.name}`,
      image: this.images.approval,
      rules: this.deployRules('manual'),
      allow_failure: false,
      manual_confirmation: `Release this pipeline's artifact image to ${env.name} (${env.registry}, namespace ${env.namespace})?`,
      environment: { name: env.name, action: 'prepare' },
      interruptible: false,
      script: [`echo "release to ${env.name} approved by $GITLAB_USER_LOGIN"`],
    };
  }

  private promotionJob(from: Environment, to: Environment): Job {
    const src = `docker://${from.registry}/${this.repository}@$${ARTIFACT_DIGEST_VARIABLE}`;
    const dest = `docker://${this.taggedImage(to)}`;
    return {
      stage: `promote-${to.name}`,
      image: { name: this.images.skopeo, entrypoint: [''] },
      rules: this.deployRules(),
      interruptible: false,
      script: [
        `test -n "$${ARTIFACT_DIGEST_VARIABLE}"`,
        login('skopeo', this.registryOwner(from)),
        login('skopeo', this.registryOwner(to)),
        `skopeo copy --all --preserve-digests "${src}" "${dest}"`,
        `skopeo inspect --raw "${dest}" > promoted-manifest.json`,
        `test "$(skopeo manifest-digest promoted-manifest.json)" = "$${ARTIFACT_DIGEST_VARIABLE}"`,
      ],
    };
  }

  private deployJob(chart: EnvironmentChart): Job {
    const env = chart.environment;
    return {
      stage: `deploy-${env.name}`,
      image: { name: this.images.kubectl, entrypoint: [''] },
      rules: this.deployRules(),
      environment: { name: env.name },
      resource_group: `deploy-${env.name}`,
      interruptible: false,
      script: [
        ...(env.kubeContext ? [`kubectl config use-context ${shellQuote(env.kubeContext)}`] : []),
        deployScript(`${this.manifestsDir}/${env.name}`, env, deploymentsOf(chart)),
      ],
    };
  }
}

/**
 * `printf '%s' "$PREFIX_REGISTRY_PASSWORD" | <tool> login …`: credentials never on a command line.
 * `owner` is the first environment that uses the registry: its name prefixes the variables.
 */
function login(tool: string, owner: Environment): string {
  const p = owner.variablePrefix;
  return `printf '%s' "$${p}_REGISTRY_PASSWORD" | ${tool} login --username "$${p}_REGISTRY_USER" --password-stdin ${shellQuote(owner.registry)}`;
}

/** A Deployment of a chart: namespace and name. */
export interface DeploymentRef {
  readonly namespace: string;
  readonly name: string;
}

/** The Deployments a chart synthesizes, in manifest order. */
export function deploymentsOf(chart: EnvironmentChart): DeploymentRef[] {
  return chart.manifests()
    .filter((m: any) => m.apiVersion === 'apps/v1' && m.kind === 'Deployment')
    .map((m: any) => ({ namespace: m.metadata.namespace ?? chart.environment.namespace, name: m.metadata.name }));
}

/**
 * The deploy job's script (POSIX sh): record each Deployment's revision,
 * apply the environment's manifests, wait for every rollout; when the apply
 * or a rollout fails, undo every Deployment to its recorded revision, wait
 * for that, and fail.
 */
export function deployScript(dir: string, env: Environment, deployments: DeploymentRef[]): string {
  const timeout = `${Math.ceil(env.rolloutTimeout.toMilliseconds() / 1000)}s`;
  const kubectl = (d: DeploymentRef, verb: string) => `kubectl -n ${shellQuote(d.namespace)} ${verb} ${shellQuote(`deployment/${d.name}`)}`;
  const lines: string[] = [
    '# revisions before this deploy: what a failed rollout returns to',
    ...deployments.map((d, i) => `rev_${i}="$(${kubectl(d, 'get')} --ignore-not-found -o jsonpath='{.metadata.annotations.deployment\\.kubernetes\\.io/revision}')"`),
    'ok=true',
    `kubectl apply --recursive -f ${shellQuote(dir)} || ok=false`,
    ...deployments.map(d => `if $ok; then ${kubectl(d, 'rollout status')} --timeout=${timeout} || ok=false; fi`),
    'if ! $ok; then',
    `  echo "deploy to ${env.name} failed: undoing the rollouts" >&2`,
    ...deployments.flatMap((d, i) => [
      `  if [ -n "$rev_${i}" ]; then`,
      `    ${kubectl(d, 'rollout undo')} --to-revision="$rev_${i}" || echo ${shellQuote(`undo of deployment/${d.name} failed`)} >&2`,
      `    ${kubectl(d, 'rollout status')} --timeout=${timeout} || true`,
      '  fi',
    ]),
    '  exit 1',
    'fi',
  ];
  return `${lines.join('\n')}\n`;
}
