import { deploymentsOf, deployScript } from './deploy-script';
import { Environment } from './environment';
import { EnvironmentChart } from './environment-chart';
import { ARTIFACT_DIGEST_VARIABLE, GitlabPipelineProps, ImageBuildTool, Job, PLACEHOLDER_DIGEST, StagedJob, ToolImages } from './gitlab-pipeline-types';
import { shellQuote } from './image-ref';
import { joinImage } from '../core/image-ref';

/** The checked settings of a pipeline, which its jobs are built from. */
export interface PipelineSettings {
  readonly tool: ImageBuildTool;
  readonly props: GitlabPipelineProps;
  readonly environments: Environment[];
  readonly repository: string;
  readonly tag: string;
  readonly warsDir: string;
  readonly manifestsDir: string;
  readonly dockerfile: string;
  readonly ciConfigPath: string;
  readonly images: Required<ToolImages>;
}

/**
 * Internal: the job builders of a `GitlabPipeline` (analysis, drift check,
 * compile, the artifact image with buildah or kaniko, synth, and per
 * environment approval, promotion and deploy).
 */
export class GitlabJobs {
  constructor(private readonly s: PipelineSettings) {}

  /** Every job, in stage order; built on demand so that the charts are complete. */
  public jobs(): StagedJob[] {
    return [
      { name: 'sonarqube', job: this.analysisJob() },
      ...(this.s.props.driftCheck ?? true ? [{ name: 'generated-files', job: this.driftCheckJob() }] : []),
      { name: 'compile', job: this.compileJob() },
      { name: 'artifact-image', job: this.s.tool === ImageBuildTool.KANIKO ? this.kanikoJob() : this.buildahJob() },
      { name: 'synth', job: this.synthJob() },
      ...this.environmentJobs(),
    ];
  }

  /** The first environment that uses `env`'s registry: its name prefixes the registry's CI variables. */
  private registryOwner(env: Environment): Environment {
    return this.s.environments.find(e => e.registry === env.registry)!;
  }

  /** The environments whose registry differs from the previous one's (the first always): where images are pushed or promoted. */
  public registryHops(): Environment[] {
    return this.s.environments.filter((e, i) => i === 0 || this.s.environments[i - 1].registry !== e.registry);
  }

  /** The artifact image, by tag, in an environment's registry. */
  private taggedImage(env: Environment): string {
    return joinImage({ registry: env.registry, repository: this.s.repository, tag: this.s.tag });
  }

  private deployRules(when?: string): Array<{ if: string; when?: string }> {
    return [{ if: this.s.props.deployRule ?? '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', ...(when ? { when } : {}) }];
  }

  private analysisJob(): Job {
    const gate = this.s.props.sonarQualityGate ?? true;
    return {
      stage: 'analysis',
      image: this.s.images.maven,
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
      image: this.s.images.maven,
      cache: { key: 'maven', paths: ['.m2/repository'] },
      script: ['mvn -B -ntp package -DskipTests'],
      artifacts: { paths: [`${this.s.warsDir}/*.war`], expire_in: '1 week' },
    };
  }

  /** Fails the build when a WAR the artifact declares is missing from the build context. */
  private checkWars(): string {
    const wars = this.s.props.artifact.wars.map(shellQuote).join(' ');
    return `for war in ${wars}; do test -f "${this.s.warsDir}/$war" || { echo "missing ${this.s.warsDir}/$war (declared by the WarArtifact)" >&2; exit 1; }; done`;
  }

  private buildahJob(): Job {
    const first = this.s.environments[0];
    const image = this.taggedImage(first);
    return {
      stage: 'artifact-image',
      image: this.s.images.imageBuilder,
      variables: { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' },
      rules: this.deployRules(),
      script: [
        this.checkWars(),
        login('buildah', first),
        `buildah build --file ${shellQuote(this.s.dockerfile)} --tag "${image}" ${shellQuote(this.s.warsDir)}`,
        `buildah push --digestfile artifact-digest "${image}"`,
        `echo "${ARTIFACT_DIGEST_VARIABLE}=$(cat artifact-digest)" > artifact.env`,
      ],
      artifacts: { reports: { dotenv: 'artifact.env' } },
    };
  }

  private kanikoJob(): Job {
    const first = this.s.environments[0];
    const image = this.taggedImage(first);
    const p = first.variablePrefix;
    return {
      stage: 'artifact-image',
      image: { name: this.s.images.imageBuilder, entrypoint: [''] },
      variables: { DOCKER_CONFIG: '/tmp/.docker' },
      rules: this.deployRules(),
      script: [
        this.checkWars(),
        'mkdir -p "$DOCKER_CONFIG"',
        `printf '{"auths":{"%s":{"auth":"%s"}}}' ${shellQuote(first.registry)} "$(printf '%s:%s' "$${p}_REGISTRY_USER" "$${p}_REGISTRY_PASSWORD" | base64 | tr -d '\\n')" > "$DOCKER_CONFIG/config.json"`,
        `executor --context "dir://$CI_PROJECT_DIR/${this.s.warsDir}" --dockerfile "$CI_PROJECT_DIR/${this.s.dockerfile}" --destination "${image}" --digest-file artifact-digest`,
        `echo "${ARTIFACT_DIGEST_VARIABLE}=$(cat artifact-digest)" > artifact.env`,
      ],
      artifacts: { reports: { dotenv: 'artifact.env' } },
    };
  }

  private get synthCommands(): string[] {
    return this.s.props.synthCommands ?? ['npm ci', 'npx cdk8s synth --no-check-upgrade'];
  }

  /**
   * Keeps a copy of the committed `.gitlab-ci.yml` and Dockerfile, runs the
   * synth (with a placeholder digest: these files do not depend on it) and
   * fails with a diff when the synth changed either.
   */
  private driftCheckJob(): Job {
    const files = [this.s.ciConfigPath, this.s.dockerfile];
    const list = files.join(' and ');
    return {
      stage: 'analysis',
      image: this.s.images.node,
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
      image: this.s.images.node,
      rules: this.deployRules(),
      script: [
        `test -n "$${ARTIFACT_DIGEST_VARIABLE}"`,
        ...this.synthCommands,
        ...this.s.environments.map(e => `test -d ${shellQuote(`${this.s.manifestsDir}/${e.name}`)}`),
      ],
      artifacts: { paths: [this.s.manifestsDir], expire_in: '1 month' },
    };
  }

  private environmentJobs(): StagedJob[] {
    const out: StagedJob[] = [];
    this.s.props.charts.forEach((chart, i) => {
      const env = chart.environment;
      if (env.approval) {
        out.push({ name: `approve-${env.name}`, job: this.approvalJob(env) });
      }
      if (i > 0 && this.s.environments[i - 1].registry !== env.registry) {
        out.push({ name: `promote-${env.name}`, job: this.promotionJob(this.s.environments[i - 1], env) });
      }
      out.push({ name: `deploy-${env.name}`, job: this.deployJob(chart) });
    });
    return out;
  }

  private approvalJob(env: Environment): Job {
    return {
      stage: `approve-${env.name}`,
      image: this.s.images.approval,
      rules: this.deployRules('manual'),
      allow_failure: false,
      manual_confirmation: `Release this pipeline's artifact image to ${env.name} (${env.registry}, namespace ${env.namespace})?`,
      environment: { name: env.name, action: 'prepare' },
      interruptible: false,
      script: [`echo "release to ${env.name} approved by $GITLAB_USER_LOGIN"`],
    };
  }

  private promotionJob(from: Environment, to: Environment): Job {
    const src = `docker://${from.registry}/${this.s.repository}@$${ARTIFACT_DIGEST_VARIABLE}`;
    const dest = `docker://${this.taggedImage(to)}`;
    return {
      stage: `promote-${to.name}`,
      image: { name: this.s.images.skopeo, entrypoint: [''] },
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
      image: { name: this.s.images.kubectl, entrypoint: [''] },
      rules: this.deployRules(),
      environment: { name: env.name },
      resource_group: `deploy-${env.name}`,
      interruptible: false,
      script: [
        ...(env.kubeContext ? [`kubectl config use-context ${shellQuote(env.kubeContext)}`] : []),
        deployScript(`${this.s.manifestsDir}/${env.name}`, env, deploymentsOf(chart)),
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

