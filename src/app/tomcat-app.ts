import { ApiObject, Duration, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationError } from '../errors';
import { TomcatRuntime } from './tomcat-runtime';
import { WarArtifact } from './war-artifact';
import { RegistryCredentials } from '../config/registry-credentials';
import { Warnings } from '../platform/warnings';
import { tenantNamespaceOf } from '../tenancy/tenant-scope';
import {
  checkAbsolutePath, checkDnsLabel, checkEnvName, checkImage, checkInteger, checkPort, checkQuantity, parseImage,
} from '../validate/rules';

/** Where init containers see the shared webapps emptyDir. */
const INIT_WEBAPPS_MOUNT = '/cdk8s-paas/webapps';
const WAR_NAME = /^[A-Za-z0-9][A-Za-z0-9._#-]*\.war$/;

/**
 * CPU and memory of the Tomcat container.
 */
export interface TomcatResources {
  /** @default '500m' */
  readonly cpuRequest?: string;
  /** @default '2' */
  readonly cpuLimit?: string;
  /** @default '768Mi' */
  readonly memoryRequest?: string;
  /** @default '1Gi' */
  readonly memoryLimit?: string;
}

/**
 * Props of a `TomcatApp`.
 */
export interface TomcatAppProps {
  /**
   * The artifact images carrying the WAR files. At least one.
   */
  readonly artifacts: WarArtifact[];
  /**
   * The Tomcat base image the WARs run on.
   *
   * @default TomcatRuntime.of('9.0')
   */
  readonly runtime?: TomcatRuntime;
  /**
   * Name of the Deployment, Service and PodDisruptionBudget, and the
   * `app.kubernetes.io/name` label.
   *
   * @default - a DNS label derived from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of every object.
   *
   * @default - the namespace of the enclosing Tenant, else none (the namespace of the kubectl context)
   */
  readonly namespace?: string;
  /**
   * Desired number of pods.
   *
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Port the Service exposes (it targets Tomcat's HTTP connector, 8080).
   *
   * @default 8080
   */
  readonly port?: number;
  /**
   * The Service type.
   *
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly serviceType?: kplus.ServiceType;
  /**
   * The HTTP path of the readiness, liveness and startup probes.
   *
   * @default - the first WAR's context path, e.g. '/itil/' or '/'
   */
  readonly healthCheckPath?: string;
  /**
   * CPU and memory requests and limits of the Tomcat container.
   *
   * @default - requests 500m CPU / 768Mi, limits 2 CPU / 1Gi
   */
  readonly resources?: TomcatResources;
  /**
   * Pods above `replicas` during a rolling update.
   *
   * @default kplus.PercentOrAbsolute.absolute(1)
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;
  /**
   * Pods below `replicas` allowed during a rolling update.
   *
   * @default kplus.PercentOrAbsolute.absolute(0) (never below the desired count)
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
  /**
   * Pods the PodDisruptionBudget lets a drain evict at once.
   *
   * @default 1
   */
  readonly disruptionBudgetMaxUnavailable?: number;
  /**
   * Environment variables of the Tomcat container.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * `CATALINA_OPTS`: JVM options for `catalina.sh run` only (heap, GC, agents).
   *
   * @default - none
   */
  readonly catalinaOpts?: string;
  /**
   * `JAVA_OPTS`: JVM options for every catalina.sh command (also `stop`).
   *
   * @default - none
   */
  readonly javaOpts?: string;
  /**
   * Extra labels on every object and pod.
   *
   * @default - only the recommended `app.kubernetes.io/*` labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * The ServiceAccount the pods run as, e.g. an `AppServiceAccount` carrying
   * pull secrets. The pods never mount its API token.
   *
   * @default - the namespace's default ServiceAccount
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * Registry credentials the pods pull the Tomcat and artifact images with.
   *
   * @default - none
   */
  readonly imagePullSecrets?: RegistryCredentials[];
}

/**
 * A Java web application: WAR artifact images composed with a Tomcat base
 * image in one pod.
 *
 * Each artifact image becomes an init container that copies its WARs into an
 * emptyDir mounted at `$CATALINA_HOME/webapps`; Tomcat serves them from there.
 * The pod meets Pod Security Standard `restricted`: non-root, no privilege
 * escalation, all capabilities dropped, seccomp RuntimeDefault and a read-only
 * root filesystem, with emptyDirs for every directory Tomcat writes.
 */
export class TomcatApp extends Construct {
  /** The Deployment running Tomcat. */
  public readonly deployment: kplus.Deployment;
  /** The Tomcat container. */
  public readonly container: kplus.Container;
  /** The Service in front of the pods. */
  public readonly service: kplus.Service;
  /** The PodDisruptionBudget that keeps the app serving during drains. */
  public readonly podDisruptionBudget: kplus.k8s.KubePodDisruptionBudget;
  /** The runtime the app runs on. */
  public readonly runtime: TomcatRuntime;
  /** The app's name (object names and `app.kubernetes.io/name`). */
  public readonly name: string;
  /** The namespace of the app's objects, when set. */
  public readonly namespace?: string;
  /** Desired pod count. */
  public readonly replicas: number;
  /** Context paths served, in artifact order, e.g. ['/itil', '/']. */
  public readonly contextPaths: string[];
  /** The probes' HTTP path. */
  public readonly healthCheckPath: string;
  /** The Service port. */
  public readonly port: number;
  /** The labels on every object and pod of the app. */
  public readonly labels: { [key: string]: string };
  /** The shared emptyDir that becomes `$CATALINA_HOME/webapps`. */
  public readonly webappsVolume: kplus.Volume;

  private readonly catalinaOpts: string[] = [];
  private readonly javaOpts: string[] = [];

  public constructor(scope: Construct, id: string, props: TomcatAppProps) {
    super(scope, id);
    this.runtime = props.runtime ?? TomcatRuntime.of('9.0');
    this.name = props.name !== undefined ? checkDnsLabel(this, 'name', props.name) : defaultName(this);
    this.namespace = props.namespace !== undefined ? checkDnsLabel(this, 'namespace', props.namespace) : tenantNamespaceOf(this);
    this.replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 0, 10000);
    this.port = checkPort(this, 'port', props.port ?? 8080);
    checkImage(this, 'runtime.image', this.runtime.image);
    checkAbsolutePath(this, 'runtime.catalinaHome', this.runtime.catalinaHome);
    checkInteger(this, 'runtime.user', this.runtime.user, 1, 2147483647);
    checkInteger(this, 'runtime.group', this.runtime.group, 1, 2147483647);
    this.contextPaths = this.checkArtifacts(props.artifacts);
    this.healthCheckPath = props.healthCheckPath ?? defaultHealthPath(this.contextPaths[0]);
    if (!this.healthCheckPath.startsWith('/') || /\s/.test(this.healthCheckPath)) {
      throw ValidationError.of(this, 'healthCheckPath', this.healthCheckPath, 'must be an HTTP path starting with "/" and containing no whitespace, e.g. "/itil/"');
    }
    if (this.runtime.endOfLife) {
      Warnings.add(this, `runtime: "${this.runtime.image}" is end-of-life since ${this.runtime.endOfLife} and gets no security updates; move to TomcatRuntime.of('9.0') or newer`);
    }
    this.labels = this.makeLabels(props);
    const metadata = { name: this.name, namespace: this.namespace, labels: this.labels };

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata,
      replicas: this.replicas,
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: props.maxSurge ?? kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: props.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(0),
      }),
      podMetadata: { labels: this.labels },
      automountServiceAccountToken: false,
      serviceAccount: props.serviceAccount,
      securityContext: {
        ensureNonRoot: true,
        user: this.runtime.user,
        group: this.runtime.group,
        fsGroup: this.runtime.group,
      },
    });
    // cdk8s-plus-27 has no seccompProfile: add it to the pod security context.
    ApiObject.of(this.deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));

    this.webappsVolume = kplus.Volume.fromEmptyDir(this, 'webapps', 'webapps');
    this.container = this.deployment.addContainer({
      name: 'tomcat',
      image: this.runtime.image,
      ports: [{ number: 8080, name: 'http' }],
      securityContext: this.containerSecurity(),
      resources: this.tomcatResources(props.resources ?? {}),
      startup: kplus.Probe.fromHttpGet(this.healthCheckPath, {
        port: 8080, periodSeconds: Duration.seconds(5), failureThreshold: 60, timeoutSeconds: Duration.seconds(3),
      }),
      readiness: kplus.Probe.fromHttpGet(this.healthCheckPath, {
        port: 8080, periodSeconds: Duration.seconds(10), failureThreshold: 3, timeoutSeconds: Duration.seconds(3),
      }),
      liveness: kplus.Probe.fromHttpGet(this.healthCheckPath, {
        port: 8080, periodSeconds: Duration.seconds(20), failureThreshold: 3, timeoutSeconds: Duration.seconds(5),
      }),
    });
    this.container.mount(this.runtime.webappsDir, this.webappsVolume);
    for (const dir of this.runtime.writableDirs) {
      const volName = `tomcat-${dir.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
      this.container.mount(`${this.runtime.catalinaHome}/${dir}`, kplus.Volume.fromEmptyDir(this, volName, volName));
    }
    // The JVM writes hsperfdata under /tmp: keep it writable with a read-only root.
    this.container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp'));
    this.addArtifactInitContainers(props.artifacts);
    (props.imagePullSecrets ?? []).forEach(c => c.addTo(this.deployment));

    for (const [k, v] of Object.entries(props.env ?? {})) {
      this.container.env.addVariable(checkEnvName(this, `env.${k}`, k), kplus.EnvValue.fromValue(v));
    }
    if (props.catalinaOpts) this.addCatalinaOpts(props.catalinaOpts);
    if (props.javaOpts) this.addJavaOpts(props.javaOpts);
    this.container.env.addVariable('CATALINA_OPTS', kplus.EnvValue.fromValue(Lazy.any({ produce: () => this.catalinaOpts.join(' ') }) as any));
    this.container.env.addVariable('JAVA_OPTS', kplus.EnvValue.fromValue(Lazy.any({ produce: () => this.javaOpts.join(' ') }) as any));

    this.service = new kplus.Service(this, 'Service', {
      metadata,
      type: props.serviceType ?? kplus.ServiceType.CLUSTER_IP,
      selector: this.deployment,
      ports: [{ name: 'http', port: this.port, targetPort: 8080 }],
    });

    const pdbMax = checkInteger(this, 'disruptionBudgetMaxUnavailable', props.disruptionBudgetMaxUnavailable ?? 1, 0, 10000);
    this.podDisruptionBudget = new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata,
      spec: {
        maxUnavailable: kplus.k8s.IntOrString.fromNumber(pdbMax),
        selector: { matchLabels: this.deployment.matchLabels },
      },
    });
  }

  /**
   * Append JVM options to `CATALINA_OPTS` (used by `catalina.sh run` only).
   *
   * @param opts e.g. '-Xmx768m' or '-javaagent:/agents/jmx.jar=9404:/etc/jmx/config.yaml'
   */
  public addCatalinaOpts(opts: string): void {
    this.catalinaOpts.push(opts);
  }

  /**
   * Append JVM options to `JAVA_OPTS` (used by every catalina.sh command).
   *
   * @param opts e.g. '-Djava.security.egd=file:/dev/urandom'
   */
  public addJavaOpts(opts: string): void {
    this.javaOpts.push(opts);
  }

  private containerSecurity(): kplus.ContainerSecurityContextProps {
    return {
      ensureNonRoot: true,
      user: this.runtime.user,
      group: this.runtime.group,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      // cdk8s-plus-27's Capability enum lacks ALL; the value is passed through as is
      capabilities: { drop: ['ALL' as kplus.Capability] },
    };
  }

  private tomcatResources(r: TomcatResources): kplus.ContainerResources {
    return {
      cpu: {
        request: kplus.Cpu.millis(cpuMillis(this, 'resources.cpuRequest', r.cpuRequest ?? '500m')),
        limit: kplus.Cpu.millis(cpuMillis(this, 'resources.cpuLimit', r.cpuLimit ?? '2')),
      },
      memory: {
        request: memory(this, 'resources.memoryRequest', r.memoryRequest ?? '768Mi'),
        limit: memory(this, 'resources.memoryLimit', r.memoryLimit ?? '1Gi'),
      },
    };
  }

  private checkArtifacts(artifacts: WarArtifact[]): string[] {
    if (!artifacts || artifacts.length === 0) {
      throw ValidationError.of(this, 'artifacts', artifacts ?? [], 'must name at least one WarArtifact');
    }
    const seen = new Map<string, number>();
    const paths: string[] = [];
    artifacts.forEach((a, i) => {
      checkImage(this, `artifacts[${i}].image`, a.image);
      checkAbsolutePath(this, `artifacts[${i}].path`, a.path);
      if (a.wars.length === 0) {
        throw ValidationError.of(this, `artifacts[${i}].wars`, a.wars, 'must name at least one WAR file, e.g. ["ROOT.war"]');
      }
      if (a.servletApi && a.servletApi !== this.runtime.servletApi) {
        throw ValidationError.of(this, `artifacts[${i}].servletApi`, a.servletApi,
          `does not match the runtime "${this.runtime.image}", which provides the ${this.runtime.servletApi} servlet API: `
          + 'Tomcat 10 and newer implement Jakarta EE (jakarta.servlet.*) and Tomcat 9 and older Java EE (javax.servlet.*), so the WAR\'s servlets would fail to load; '
          + 'use a runtime of the matching line or migrate the WAR (e.g. with the Apache Tomcat migration tool for Jakarta EE)');
      }
      a.wars.forEach((w, j) => {
        const field = `artifacts[${i}].wars[${j}]`;
        if (typeof w !== 'string' || !WAR_NAME.test(w)) {
          throw ValidationError.of(this, field, w, 'is not a WAR file name: it must end in ".war", contain no "/" and use only letters, digits, ".", "_", "-" and "#"');
        }
        const prev = seen.get(w);
        if (prev !== undefined) {
          throw ValidationError.of(this, field, w, `is also provided by artifacts[${prev}]; each WAR name must be unique within an app`);
        }
        seen.set(w, i);
        paths.push(WarArtifact.contextPath(w));
      });
    });
    return paths;
  }

  private addArtifactInitContainers(artifacts: WarArtifact[]): void {
    artifacts.forEach((a, i) => {
      const repo = parseImage(a.image).name.split('/').pop()!.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
      const init = this.deployment.addInitContainer({
        name: `copy-wars-${i}-${repo}`.slice(0, 63).replace(/-+$/, ''),
        image: a.image,
        command: ['cp', ...a.wars.map(w => `${a.path.replace(/\/$/, '')}/${w}`), `${INIT_WEBAPPS_MOUNT}/`],
        securityContext: this.containerSecurity(),
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
        },
      });
      init.mount(INIT_WEBAPPS_MOUNT, this.webappsVolume);
    });
  }

  private makeLabels(props: TomcatAppProps): { [key: string]: string } {
    const tag = this.runtime.line ?? parseImage(this.runtime.image).tag;
    return {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/part-of': this.name,
      'app.kubernetes.io/managed-by': 'cdk8s-paas',
      ...(tag ? { 'app.kubernetes.io/version': tag.slice(0, 63).replace(/[^A-Za-z0-9._-]/g, '-') } : {}),
      ...(props.labels ?? {}),
    };
  }
}

function defaultName(scope: Construct): string {
  const id = scope.node.id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return checkDnsLabel(scope, 'name (derived from the construct id; set `name`)', id);
}

function defaultHealthPath(contextPath: string): string {
  return contextPath === '/' ? '/' : `${contextPath}/`;
}

function cpuMillis(scope: Construct, field: string, value: string): number {
  checkQuantity(scope, field, value);
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(value);
  if (!m) {
    throw ValidationError.of(scope, field, value, 'is not a CPU quantity: cores ("2", "0.5") or millicores ("500m")');
  }
  const millis = m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
  if (!Number.isInteger(millis) || millis <= 0) {
    throw ValidationError.of(scope, field, value, 'must be a positive whole number of millicores, e.g. "250m" or "1"');
  }
  return millis;
}

const MEMORY_UNITS: { [suffix: string]: (n: number) => Size } = {
  Ki: n => Size.kibibytes(n),
  Mi: n => Size.mebibytes(n),
  Gi: n => Size.gibibytes(n),
  Ti: n => Size.tebibytes(n),
};

function memory(scope: Construct, field: string, value: string): Size {
  checkQuantity(scope, field, value);
  const m = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(value);
  if (!m || Number(m[1]) <= 0) {
    throw ValidationError.of(scope, field, value, 'is not a memory size this library accepts: a positive integer with Ki, Mi, Gi or Ti, e.g. "768Mi" or "1Gi"');
  }
  return MEMORY_UNITS[m[2]](Number(m[1]));
}
