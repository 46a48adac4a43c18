import { Duration } from 'cdk8s';
import { checkDigest, checkRegistry, invalid, pathScope, splitImage } from './image-ref';
import { TomcatResources } from '../app/tomcat-resources';
import { TomcatRuntime } from '../app/tomcat-runtime';
import { WarArtifact } from '../app/war-artifact';
import { joinImage } from '../core/image-ref';
import { checkDnsLabel, checkInteger } from '../validate/rules';

/**
 * Props of an `Environment`.
 */
export interface EnvironmentProps {
  /**
   * The environment's name: the output folder (`<outdir>/<name>`), the GitLab
   * environment and the prefix of its CI variables (`DEV_REGISTRY_USER` …).
   * A DNS label, e.g. 'dev', 'test', 'prod'.
   */
  readonly name: string;
  /**
   * The registry host the environment pulls images from, e.g.
   * 'registry.dev.example.com'. Images keep their repository path, tag and
   * digest; only this host changes from one environment to the next.
   */
  readonly registry: string;
  /**
   * The namespace every object of the environment goes to.
   */
  readonly namespace: string;
  /**
   * Desired pod count of the apps in this environment.
   *
   * @default 2
   */
  readonly replicas?: number;
  /**
   * CPU and memory of the Tomcat container in this environment.
   *
   * @default - the TomcatApp defaults (requests 500m / 768Mi, limits 2 / 1Gi)
   */
  readonly resources?: TomcatResources;
  /**
   * A person must approve in GitLab (a manual job) before the pipeline
   * promotes images to this environment and deploys it.
   *
   * @default false
   */
  readonly approval?: boolean;
  /**
   * Refuse artifact images without a digest: the environment only runs the
   * exact image that was built and tested, never whatever a tag points to now.
   *
   * @default - true for environments with `approval`, false otherwise
   */
  readonly requireDigest?: boolean;
  /**
   * The kubectl context the deploy job switches to (e.g. the GitLab agent
   * context `itil/agents:prod`).
   *
   * @default - the job's own kubeconfig (an environment-scoped `KUBECONFIG` CI variable)
   */
  readonly kubeContext?: string;
  /**
   * How long the deploy job waits for each Deployment's rollout before it
   * undoes the rollout and fails.
   *
   * @default Duration.minutes(10)
   */
  readonly rolloutTimeout?: Duration;
  /**
   * Create the namespace (with Pod Security admission labels) in the
   * environment's output.
   *
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * One stage of delivery (dev, test, prod): where the app runs, which
 * registry it pulls from, how many pods it gets and how big they are.
 *
 * The same app definition is built once per environment; an Environment
 * moves image references from one registry to another without touching
 * their repository, tag or digest.
 */
export class Environment {
  /**
   * An environment.
   *
   * @param props name, registry, namespace, replicas, resources …
   */
  public static of(props: EnvironmentProps): Environment {
    return new Environment(props);
  }

  /** Name (DNS label). */
  public readonly name: string;
  /** Registry host[:port]. */
  public readonly registry: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** Desired pod count. */
  public readonly replicas: number;
  /** Tomcat container resources, when set. */
  public readonly resources?: TomcatResources;
  /** Whether a manual approval gates the environment. */
  public readonly approval: boolean;
  /** Whether artifact images must carry a digest. */
  public readonly requireDigest: boolean;
  /** The kubectl context of the deploy job, when set. */
  public readonly kubeContext?: string;
  /** Rollout timeout of the deploy job. */
  public readonly rolloutTimeout: Duration;
  /** Whether the output creates the namespace. */
  public readonly createNamespace: boolean;

  private constructor(props: EnvironmentProps) {
    const where = `Environment(${props.name})`;
    const scope = pathScope(where);
    this.name = checkDnsLabel(scope, 'name', props.name);
    this.registry = checkRegistry(where, 'registry', props.registry);
    this.namespace = checkDnsLabel(scope, 'namespace', props.namespace);
    this.replicas = checkInteger(scope, 'replicas', props.replicas ?? 2, 0, 10000);
    this.resources = props.resources;
    this.approval = props.approval ?? false;
    this.requireDigest = props.requireDigest ?? this.approval;
    if (props.kubeContext !== undefined && (!props.kubeContext.trim() || /[\s'"$`\\]/.test(props.kubeContext))) {
      throw invalid(where, 'kubeContext', props.kubeContext, 'is not a kubectl context name: non-empty, without whitespace, quotes, "$", "`" or "\\"');
    }
    this.kubeContext = props.kubeContext;
    this.rolloutTimeout = props.rolloutTimeout ?? Duration.minutes(10);
    if (!(this.rolloutTimeout instanceof Duration)) {
      throw invalid(where, 'rolloutTimeout', this.rolloutTimeout, 'must be a Duration, e.g. Duration.minutes(10)');
    }
    let ms = NaN;
    try {
      ms = this.rolloutTimeout.toMilliseconds();
    } catch {
      // cdk8s refuses NaN and Infinity here: reported below like any other invalid value
    }
    if (!Number.isFinite(ms)) {
      throw invalid(where, 'rolloutTimeout', '(NaN or Infinity)', 'must be a finite duration, e.g. Duration.minutes(10)');
    }
    if (ms < 1000) throw invalid(where, 'rolloutTimeout', `${ms}ms`, 'must be at least one second');
    this.createNamespace = props.createNamespace ?? true;
  }

  /**
   * The environment variable prefix of this environment's CI variables:
   * `prod` → `PROD`, `pre-prod` → `PRE_PROD`.
   */
  public get variablePrefix(): string {
    return this.name.toUpperCase().replace(/-/g, '_');
  }

  /**
   * The same image in this environment's registry: repository path, tag and
   * digest are kept, the registry host is replaced (or added).
   *
   * @param image e.g. 'registry.dev.example.com/itil/app:1.4.0@sha256:…'
   */
  public image(image: string): string {
    return joinImage({ ...splitImage(`Environment(${this.name})`, 'image', image), registry: this.registry });
  }

  /**
   * The artifact moved to this environment's registry, optionally pinned to
   * a digest.
   *
   * @param artifact the artifact as defined (any registry)
   * @param digest the digest the pipeline built, e.g. 'sha256:…'
   */
  public artifact(artifact: WarArtifact, digest?: string): WarArtifact {
    const where = `Environment(${this.name})`;
    const parts = splitImage(where, 'artifact.image', artifact.image);
    if (digest !== undefined) {
      checkDigest(where, 'digest', digest);
      if (parts.digest && parts.digest !== digest) {
        throw invalid(where, 'digest', digest, `differs from the digest "${parts.digest}" already pinned in the artifact image "${artifact.image}"; pin one digest`);
      }
    }
    const pinned = digest ?? parts.digest;
    if (this.requireDigest && !pinned) {
      throw invalid(where, 'artifact.image', artifact.image,
        `has no digest, and environment "${this.name}" runs only images pinned by digest: pass the digest the pipeline built (ARTIFACT_DIGEST) or pin "@sha256:…" (or set requireDigest: false)`);
    }
    return WarArtifact.fromImage(joinImage({ ...parts, registry: this.registry, digest: pinned }), {
      wars: artifact.wars,
      path: artifact.path,
      servletApi: artifact.servletApi,
    });
  }

  /**
   * A Tomcat runtime whose base image is pulled from this environment's
   * registry (a mirror of the base image must exist there; the pipeline
   * promotes only the artifact image).
   *
   * @param runtime e.g. TomcatRuntime.of('9.0')
   */
  public runtime(runtime: TomcatRuntime): TomcatRuntime {
    return TomcatRuntime.fromImage(this.image(runtime.image), {
      catalinaHome: runtime.catalinaHome,
      servletApi: runtime.servletApi,
      user: runtime.user,
      group: runtime.group,
      writableDirs: runtime.writableDirs,
      line: runtime.line,
    });
  }
}
