import { ApiObject, Duration, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { RestrictedSecurityContext } from './restricted-security-context';
import { checkAutoscaling, cpuAutoscaler } from './tomcat-autoscaler';
import { TomcatAutoscaling } from './tomcat-autoscaling';
import { tomcatProbes } from './tomcat-probe-set';
import { TomcatProbes } from './tomcat-probes';
import { TomcatResources, tomcatResources } from './tomcat-resources';
import { TomcatRuntime } from './tomcat-runtime';
import { WarArtifact } from './war-artifact';
import { RegistryCredentials } from '../config/registry-credentials';
import { checkProps, checkScope, is, PropsSpec, Shape } from '../core/checks';
import { ValidationError } from '../core/errors';
import { cutLabel, dnsLabelFromId, labelValueOf } from '../core/names';
import { tenantNamespaceOf } from '../core/tenant-scope';
import { Warnings } from '../core/warnings';
import { ITomcatWorkload } from '../core/workload-target';
import {
  checkAbsolutePath, checkDnsLabel, checkEnvName, checkImage, checkInteger, checkLabelKey, checkLabelValue, checkPort, parseImage,
} from '../validate/rules';
import { requireServedApi } from '../validate/served-api';

/** Where init containers see the shared webapps emptyDir. */
const INIT_WEBAPPS_MOUNT = '/cdk8s-paas/webapps';
const WAR_NAME = /^[A-Za-z0-9][A-Za-z0-9._#-]*\.war$/;

const PERCENT_OR_ABSOLUTE_EXPECTED = 'a kplus.PercentOrAbsolute of zero or more (PercentOrAbsolute.absolute(1) or .percent(25))';
const PERCENT_OR_ABSOLUTE: Shape = {
  expected: PERCENT_OR_ABSOLUTE_EXPECTED,
  check(v, field, fail) {
    const value = v instanceof kplus.PercentOrAbsolute ? v.value : undefined;
    const ok = typeof value === 'number' ? Number.isInteger(value) && value >= 0 : typeof value === 'string' && /^[0-9]{1,3}%$/.test(value);
    if (!ok) fail(field, value ?? v, `must be ${PERCENT_OR_ABSOLUTE_EXPECTED}`);
  },
};

/** The runtime shape of `TomcatAppProps`, checked at the constructor. */
const DURATION = is.instanceOf(Duration, 'from Duration.seconds');
const PROBE_TIMING = is.struct('ProbeTiming', { initialDelay: DURATION, period: DURATION, timeout: DURATION, failureThreshold: is.number() });

const TOMCAT_APP_PROPS: PropsSpec = {
  artifacts: is.arrayOf(is.instanceOf(WarArtifact, 'from WarArtifact.fromImage')),
  runtime: is.instanceOf(TomcatRuntime, 'from TomcatRuntime.of'),
  name: is.string(),
  namespace: is.string(),
  replicas: is.number({ integer: true }),
  port: is.number({ integer: true }),
  serviceType: is.oneOf({ CLUSTER_IP: kplus.ServiceType.CLUSTER_IP, NODE_PORT: kplus.ServiceType.NODE_PORT, LOAD_BALANCER: kplus.ServiceType.LOAD_BALANCER }, 'ServiceType that selects pods'),
  healthCheckPath: is.string(),
  resources: is.struct('TomcatResources', {
    cpuRequest: is.string(), cpuLimit: is.string(), memoryRequest: is.string(), memoryLimit: is.string(),
  }),
  maxSurge: PERCENT_OR_ABSOLUTE,
  maxUnavailable: PERCENT_OR_ABSOLUTE,
  disruptionBudgetMaxUnavailable: is.number({ integer: true }),
  env: is.mapOf(is.string()),
  catalinaOpts: is.string(),
  javaOpts: is.string(),
  labels: is.labels(),
  serviceAccount: is.implementing('IServiceAccount', 'an AppServiceAccount or a kplus.ServiceAccount', ['name']),
  imagePullSecrets: is.arrayOf(is.instanceOf(RegistryCredentials, 'from RegistryCredentials.fromFile and friends')),
  // the values themselves are checked by checkAutoscaling and tomcatProbes
  autoscaling: is.struct('TomcatAutoscaling', { minReplicas: is.number(), maxReplicas: is.number(), cpuUtilization: is.number() }, ['maxReplicas']),
  probes: is.struct('TomcatProbes', { startup: PROBE_TIMING, readiness: PROBE_TIMING, liveness: PROBE_TIMING }),
};

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
   * Desired number of pods. Not with `autoscaling`.
   *
   * @default 2 (written by cdk8s-plus-27's Deployment, so a
   * `kplus.HorizontalPodAutoscaler` can still take the Deployment over)
   */
  readonly replicas?: number;
  /**
   * Scale the pods horizontally on CPU utilization: adds an `autoscaling/v2`
   * HorizontalPodAutoscaler and leaves `replicas` out of the Deployment.
   *
   * @default - no autoscaling: `replicas` pods
   */
  readonly autoscaling?: TomcatAutoscaling;
  /**
   * Timings of the startup, readiness and liveness probes.
   *
   * @default - startup every 5s up to 60 times, readiness every 10s, liveness every 20s (see `TomcatProbes`)
   */
  readonly probes?: TomcatProbes;
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
 * Every object carries the recommended `app.kubernetes.io/*` labels; created
 * inside a `Tenant`, the app lands in the tenant's namespace.
 */
export class TomcatApp extends Construct implements ITomcatWorkload {
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
  /** Desired pod count (with autoscaling: the autoscaler's minimum). */
  public readonly replicas: number;
  /** The HorizontalPodAutoscaler, when `autoscaling` is set. */
  public readonly horizontalPodAutoscaler?: kplus.k8s.KubeHorizontalPodAutoscalerV2;
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

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the configuration
   */
  public constructor(scope: Construct, id: string, props: TomcatAppProps) {
    super(checkScope(scope, id, 'TomcatApp'), id);
    checkProps(this, 'TomcatAppProps', props, TOMCAT_APP_PROPS, ['artifacts']);
    this.runtime = props.runtime ?? TomcatRuntime.of('9.0');
    this.name = props.name !== undefined ? checkServiceName(this, 'name', props.name) : defaultName(this);
    this.namespace = props.namespace !== undefined ? checkDnsLabel(this, 'namespace', props.namespace) : tenantNamespaceOf(this);
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 0, 10000);
    if (props.autoscaling && props.replicas !== undefined) {
      throw ValidationError.of(this, 'replicas', props.replicas, 'cannot be set together with autoscaling: the HorizontalPodAutoscaler sets the pod count between autoscaling.minReplicas and maxReplicas');
    }
    // checked here for autoscaling (the CPU request); written with the container below
    const resources = tomcatResources(this, props.resources ?? {});
    const autoscaling = props.autoscaling ? checkAutoscaling(this, props.autoscaling, resources.cpu) : undefined;
    this.replicas = autoscaling?.minReplicas ?? replicas;
    this.port = checkPort(this, 'port', props.port ?? 8080);
    checkRuntime(this, this.runtime);
    this.contextPaths = this.checkArtifacts(props.artifacts);
    this.healthCheckPath = props.healthCheckPath ?? defaultHealthPath(this.contextPaths[0]);
    if (!this.healthCheckPath.startsWith('/') || /\s/.test(this.healthCheckPath)) {
      throw ValidationError.of(this, 'healthCheckPath', this.healthCheckPath, 'must be an HTTP path starting with "/" and containing no whitespace, e.g. "/itil/"');
    }
    if (this.runtime.endOfLife) {
      Warnings.add(this, `runtime: "${this.runtime.image}" is end-of-life since ${this.runtime.endOfLife} and gets no security updates; move to TomcatRuntime.of('9.0') or newer`, 'cdk8s-paas:tomcat-end-of-life');
    }
    this.labels = this.makeLabels(props);
    const metadata = { name: this.name, namespace: this.namespace, labels: this.labels };

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata,
      // unset when not given: cdk8s-plus writes its default (2) unless an autoscaler takes over
      replicas: props.replicas,
      strategy: this.rollingUpdate(props),
      // `kubectl logs` / `kubectl exec` pick the Tomcat container, not the first by position
      podMetadata: { labels: this.labels, annotations: { 'kubectl.kubernetes.io/default-container': 'tomcat' } },
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
      // with the Deployment: values cdk8s-plus cannot write exactly are patched in as given
      resources: tomcatResources(this, props.resources ?? {}, this.deployment),
      ...tomcatProbes(this, this.healthCheckPath, props.probes),
    });
    this.container.mount(this.runtime.webappsDir, this.webappsVolume);
    for (const dir of this.runtime.writableDirs) {
      const volName = writableVolumeName(dir);
      this.container.mount(`${this.runtime.catalinaHome}/${dir}`, kplus.Volume.fromEmptyDir(this, volName, volName));
    }
    // The JVM writes hsperfdata under /tmp: keep it writable with a read-only root.
    this.container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', 'tmp'));
    this.addArtifactInitContainers(props.artifacts);
    (props.imagePullSecrets ?? []).forEach(c => c.addTo(this.deployment));

    for (const [k, v] of Object.entries(props.env ?? {})) {
      checkEnvName(this, `env.${k}`, k);
      // the JVM option variables are assembled from every contributor (metrics agents, config args …)
      if (k === 'CATALINA_OPTS') this.addCatalinaOpts(v);
      else if (k === 'JAVA_OPTS') this.addJavaOpts(v);
      else this.container.env.addVariable(k, kplus.EnvValue.fromValue(v));
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
    if (autoscaling) {
      this.horizontalPodAutoscaler = cpuAutoscaler(this, 'Autoscaler', this.deployment, autoscaling, metadata);
      checkDisruptionBudget(this, pdbMax, autoscaling.minReplicas);
    }
    this.podDisruptionBudget = new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata,
      spec: {
        maxUnavailable: kplus.k8s.IntOrString.fromNumber(pdbMax),
        selector: { matchLabels: this.deployment.matchLabels },
      },
    });
    requireServedApi(this.podDisruptionBudget);
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
    return RestrictedSecurityContext.containerProps({ user: this.runtime.user, group: this.runtime.group });
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

  private rollingUpdate(props: TomcatAppProps): kplus.DeploymentStrategy {
    const maxSurge = props.maxSurge ?? kplus.PercentOrAbsolute.absolute(1);
    const maxUnavailable = props.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(0);
    if (maxSurge.isZero() && maxUnavailable.isZero()) {
      throw ValidationError.of(this, 'maxSurge/maxUnavailable', '0/0', 'cannot both be zero: a rolling update needs room to add a pod or to remove one');
    }
    return kplus.DeploymentStrategy.rollingUpdate({ maxSurge, maxUnavailable });
  }

  private makeLabels(props: TomcatAppProps): { [key: string]: string } {
    for (const [k, v] of Object.entries(props.labels ?? {})) {
      checkLabelKey(this, `labels.${k}`, k);
      checkLabelValue(this, `labels.${k}`, v);
    }
    const tag = this.runtime.line ?? parseImage(this.runtime.image).tag;
    return {
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/instance': this.name,
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/part-of': this.name,
      'app.kubernetes.io/managed-by': 'cdk8s-paas',
      ...(tag ? { 'app.kubernetes.io/version': labelValueOf(tag) } : {}),
      ...(props.labels ?? {}),
    };
  }
}

function defaultName(scope: Construct): string {
  // never cut: an id too long for a name is refused with a hint to set `name`
  const id = dnsLabelFromId(scope.node.id);
  return checkServiceName(scope, 'name (derived from the construct id; set `name`)', id);
}

/** Service names are DNS-1035 labels: a DNS-1123 label that starts with a letter. */
function checkServiceName(scope: Construct, field: string, value: string): string {
  checkDnsLabel(scope, field, value);
  if (!/^[a-z]/.test(value)) {
    throw ValidationError.of(scope, field, value, 'must start with a letter: it names a Service, whose name is a DNS-1035 label (e.g. "app-9lives" rather than "9lives")');
  }
  return value;
}

function checkRuntime(scope: Construct, runtime: TomcatRuntime): void {
  checkImage(scope, 'runtime.image', runtime.image);
  checkAbsolutePath(scope, 'runtime.catalinaHome', runtime.catalinaHome);
  if (runtime.catalinaHome === '/') {
    throw ValidationError.of(scope, 'runtime.catalinaHome', runtime.catalinaHome, 'must be the folder Tomcat is installed in, not the root directory, e.g. "/usr/local/tomcat"');
  }
  checkInteger(scope, 'runtime.user', runtime.user, 1, 2147483647);
  checkInteger(scope, 'runtime.group', runtime.group, 1, 2147483647);
  const volumes = new Map<string, string>();
  runtime.writableDirs.forEach((dir, i) => {
    const field = `runtime.writableDirs[${i}]`;
    if (typeof dir !== 'string' || dir.startsWith('/') || dir.split('/').some(seg => seg === '' || seg === '.' || seg === '..') || dir === 'webapps') {
      throw ValidationError.of(scope, field, dir, 'must be a relative directory under CATALINA_HOME without "." or ".." segments, other than "webapps" (always writable), e.g. "logs" or "conf/Catalina"');
    }
    const vol = writableVolumeName(dir);
    const prev = volumes.get(vol);
    if (prev !== undefined) {
      throw ValidationError.of(scope, field, dir, `maps to the same volume "${vol}" as "${prev}"; list each directory once`);
    }
    volumes.set(vol, dir);
  });
}

/**
 * With autoscaling the PDB's maxUnavailable is checked against the floor:
 * at minReplicas pods a drain must leave at least one serving (a single-pod
 * floor may lose its pod, or no drain could ever finish).
 */
function checkDisruptionBudget(scope: Construct, maxUnavailable: number, minReplicas: number): void {
  const most = Math.max(1, minReplicas - 1);
  if (maxUnavailable > most) {
    throw ValidationError.of(scope, 'disruptionBudgetMaxUnavailable', maxUnavailable,
      `is too high for autoscaling.minReplicas ${minReplicas}: at the autoscaler's floor a drain could evict every pod; use at most ${most}`);
  }
}

function writableVolumeName(dir: string): string {
  return cutLabel(`tomcat-${dir.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`, 63);
}

function defaultHealthPath(contextPath: string): string {
  return contextPath === '/' ? '/' : `${contextPath}/`;
}
