import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { Environment } from './environment';
import { splitImage } from './image-ref';
import { WarArtifact } from '../app/war-artifact';
import { ValidationError } from '../core/errors';
import { KubeVersion } from '../core/kube-version';
import { PodSecurity } from '../core/pod-security-opt-in';
import { PaasChart } from '../platform/paas-chart';
import { PodSecurityLevel } from '../validate/pod-security';

/**
 * Props of an `EnvironmentChart`.
 */
export interface EnvironmentChartProps {
  /** The environment the chart is built for. */
  readonly environment: Environment;
  /** The artifact as defined; the chart exposes it moved to the environment's registry. */
  readonly artifact: WarArtifact;
  /**
   * The digest the pipeline built the artifact image with.
   *
   * @default - the artifact image's own digest, if any
   */
  readonly artifactDigest?: string;
  /**
   * Registry hosts of the other environments of the delivery: an image from
   * one of them in this chart is a mistake (prod pulling from the dev registry).
   *
   * @default - none checked
   */
  readonly foreignRegistries?: string[];
  /**
   * The Kubernetes version this chart targets.
   *
   * @default - the App's target version
   */
  readonly kubeVersion?: KubeVersion;
}

/**
 * The chart an app definition fills for one environment: its namespace is
 * the environment's, and it hands the definition the environment and the
 * artifact already moved to the environment's registry (and pinned by digest).
 *
 * At synth it fails when a container image comes from another environment's
 * registry.
 */
export class EnvironmentChart extends PaasChart {
  /** The environment. */
  public readonly environment: Environment;
  /** The artifact in this environment's registry, pinned by digest when one is known. */
  public readonly artifact: WarArtifact;
  /** The namespace object, when the environment creates it. */
  public readonly namespaceObject?: kplus.Namespace;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, { namespace: props.environment.namespace, kubeVersion: props.kubeVersion });
    this.environment = props.environment;
    this.artifact = props.environment.artifact(props.artifact, props.artifactDigest);
    if (this.environment.createNamespace) {
      this.namespaceObject = new kplus.Namespace(this, 'Namespace', {
        metadata: { name: this.environment.namespace, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-paas' } },
      });
      // a cluster-scoped object: the chart's namespace must not land on it
      ApiObject.of(this.namespaceObject).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      this.namespaceObject.metadata.addLabel('pod-security.kubernetes.io/enforce', this.podSecurityLevel() as unknown as string);
      this.namespaceObject.metadata.addLabel('pod-security.kubernetes.io/enforce-version', `v${this.kubeVersion.minorString}`);
    }
    const foreign = (props.foreignRegistries ?? []).filter(r => r !== this.environment.registry);
    this.node.addValidation({ validate: () => this.checkRegistries(foreign) });
  }

  /** Every container image of the chart's workloads (init containers first per pod). */
  public containerImages(): string[] {
    return containerImagesOf(this.manifests());
  }

  /**
   * The chart's objects as JSON, without running validation (which
   * `toJson()` does, so a validation cannot call it).
   */
  public manifests(): any[] {
    return this.node.findAll().filter(ApiObject.isApiObject).map(o => o.toJson());
  }

  private podSecurityLevel(): any {
    // resolved at synth, once every construct of the chart exists
    return Lazy.any({
      produce: () => this.node.findAll().reduce<PodSecurityLevel>(
        (level, c: IConstruct) => PodSecurity.leastStrict(level, PodSecurity.levelOf(c)), PodSecurityLevel.RESTRICTED),
    });
  }

  private checkRegistries(foreign: string[]): string[] {
    if (foreign.length === 0) return [];
    const errors: string[] = [];
    for (const image of this.containerImages()) {
      const registry = splitImage(this.node.path, 'image', image).registry;
      if (registry && foreign.includes(registry)) {
        errors.push(ValidationError.format(`${this.environment.name}/${this.node.path}`, 'image', image,
          `comes from registry "${registry}" of another environment; environment "${this.environment.name}" pulls from "${this.environment.registry}": use chart.artifact or environment.image()`));
      }
    }
    return errors;
  }
}

/** The images of every container and init container in a list of manifests. */
export function containerImagesOf(manifests: any[]): string[] {
  const images: string[] = [];
  for (const m of manifests) {
    const pod = m?.kind === 'Pod' ? m.spec : (m?.spec?.jobTemplate?.spec?.template?.spec ?? m?.spec?.template?.spec);
    for (const c of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      if (typeof c.image === 'string') images.push(c.image);
    }
  }
  return images;
}

/**
 * An application definition: builds the app into the chart of one
 * environment. The same definition runs once per environment.
 */
export interface IAppDefinition {
  /**
   * Build the app for one environment.
   *
   * @param chart the environment's chart: `chart.environment` (replicas,
   *   resources, namespace) and `chart.artifact` (the artifact in the
   *   environment's registry)
   */
  define(chart: EnvironmentChart): void;
}
