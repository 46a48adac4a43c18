// The benchmark's workloads: N Tomcat apps, each with a config, a secret, a
// network policy, a PodDisruptionBudget and a Service, written
//  - with cdk8s-paas (`ours`, synth-time validation on or off), and
//  - by hand with plain cdk8s-plus-27 in a plain cdk8s App (`hand`),
// producing byte-identical manifests (test/bench/identical.test.ts checks it).
// Each app lives in its own namespace. By default all apps are in one chart
// (one output file); with `chartPerApp` each app is its own chart (one file
// per app): see BENCHMARKS.md for why that layout is slow in cdk8s itself.
import { createHash, createHmac } from 'crypto';
import { ApiObject, App, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AppConfig, AppNetwork, AppSecret, ConfigTarget, PaasApp, PaasChart, Peer, SecretHashKey, TomcatApp, WarArtifact,
} from '../src';

/** The variable the benchmark's secret hash key is read from (set here: a fixed key keeps the output reproducible). */
export const BENCH_KEY_VARIABLE = 'CDK8S_PAAS_BENCH_SECRET_HASH_KEY';
const BENCH_KEY = 'cdk8s-paas-benchmark-secret-hash-key-0123456789';

/** What every app is made of (the same inputs for both variants). */
function appInputs(i: number) {
  return {
    chart: `app${i}`,
    namespace: `team-${i}`,
    name: `app${i}`,
    artifact: `registry.example.com/bench/app${i}-war:1.0.${i}`,
    config: { 'DB_URL': `jdbc:postgresql://db.team-${i}.svc:5432/app${i}`, 'LOG_LEVEL': 'INFO', 'FEATURE_FLAGS': 'search,export' },
    secret: { password: `s3cret-${i}` },
    ingressNamespace: 'ingress-nginx',
  };
}

/** A variant builds an app of `n` Tomcat apps writing into `outdir`; `synth()` is timed separately. */
export type Variant = (n: number, outdir: string) => App;

/** How the apps are laid out in charts. */
export interface Layout {
  /** One chart per app (one output file each) instead of one chart for all. */
  readonly chartPerApp?: boolean;
}

/** The scope each app is built in: its own chart, or a construct in the one chart of the app. */
function appScopes(app: App, n: number, layout: Layout, newChart: (scope: Construct, id: string) => Chart): Construct[] {
  const shared = layout.chartPerApp ? undefined : newChart(app, 'apps');
  const out: Construct[] = [];
  for (let i = 0; i < n; i++) {
    const id = appInputs(i).chart;
    out.push(shared ? new Construct(shared, id) : newChart(app, id));
  }
  return out;
}

/** cdk8s-paas: TomcatApp + AppConfig + AppSecret + AppNetwork.allowFrom. */
export function ours(n: number, outdir: string, validation = true, layout: Layout = {}): PaasApp {
  process.env[BENCH_KEY_VARIABLE] = BENCH_KEY;
  const app = new PaasApp({ outdir, validation });
  SecretHashKey.use(app, SecretHashKey.fromEnv(BENCH_KEY_VARIABLE));
  appScopes(app, n, layout, (scope, id) => new PaasChart(scope, id)).forEach((scope, i) => {
    const x = appInputs(i);
    const namespace = x.namespace;
    const tomcat = new TomcatApp(scope, 'tomcat', {
      name: x.name,
      namespace,
      artifacts: [WarArtifact.fromImage(x.artifact, { path: '/wars', wars: ['ROOT.war'] })],
    });
    const target = ConfigTarget.fromTomcatApp(tomcat);
    const config = new AppConfig(scope, 'config', { name: `${x.name}-config`, namespace, data: x.config });
    config.envFrom(target);
    const secret = AppSecret.fromLiterals(scope, 'secret', { name: `${x.name}-db`, namespace, data: x.secret, acknowledgePlaintext: true });
    secret.envVars(target, { DB_PASSWORD: 'password' });
    AppNetwork.allowFrom(tomcat, Peer.namespace(x.ingressNamespace));
  });
  return app;
}

// --- the same manifests by hand, with cdk8s-plus-27 ---

const UID = 10001;

function containerSecurity(): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    user: UID,
    group: UID,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL' as kplus.Capability] },
  };
}

function probe(periodSeconds: number, failureThreshold: number, timeoutSeconds: number): kplus.Probe {
  return kplus.Probe.fromHttpGet('/', {
    port: 8080,
    periodSeconds: Duration.seconds(periodSeconds),
    failureThreshold,
    timeoutSeconds: Duration.seconds(timeoutSeconds),
  });
}

/** sha256 over the sorted keys and values, the way the pod-template annotation is defined. */
function contentHash(objectName: string, data: { [key: string]: string }, key?: string): string {
  const canonical = JSON.stringify(Object.keys(data).sort().map(k => [k, 't', data[k]]));
  const combined = JSON.stringify([[objectName, canonical]]);
  return key
    ? `hmac-sha256:${createHmac('sha256', key).update(combined).digest('hex')}`
    : `sha256:${createHash('sha256').update(combined).digest('hex')}`;
}

function handApp(parent: Construct, i: number): void {
  const x = appInputs(i);
  const namespace = x.namespace;
  const scope = new Construct(parent, 'tomcat');
  const labels = {
    'app.kubernetes.io/name': x.name,
    'app.kubernetes.io/instance': x.name,
    'app.kubernetes.io/component': 'web',
    'app.kubernetes.io/part-of': x.name,
    'app.kubernetes.io/managed-by': 'cdk8s-paas',
    'app.kubernetes.io/version': '9.0',
  };
  const metadata = { name: x.name, namespace, labels };
  const configName = `${x.name}-config`;
  const secretName = `${x.name}-db`;

  const deployment = new kplus.Deployment(scope, 'Deployment', {
    metadata,
    replicas: 2,
    strategy: kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: kplus.PercentOrAbsolute.absolute(1),
      maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
    }),
    podMetadata: {
      labels,
      annotations: {
        'cdk8s-paas.io/config-hash': contentHash(configName, x.config),
        'cdk8s-paas.io/secret-hash': contentHash(secretName, x.secret, BENCH_KEY),
        'kubectl.kubernetes.io/default-container': 'tomcat',
      },
    },
    automountServiceAccountToken: false,
    securityContext: { ensureNonRoot: true, user: UID, group: UID, fsGroup: UID },
  });
  ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
  const webapps = kplus.Volume.fromEmptyDir(scope, 'webapps', 'webapps');
  const container = deployment.addContainer({
    name: 'tomcat',
    image: 'tomcat:9.0',
    ports: [{ number: 8080, name: 'http' }],
    securityContext: containerSecurity(),
    resources: {
      cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(2000) },
      memory: { request: Size.mebibytes(768), limit: Size.gibibytes(1) },
    },
    startup: probe(5, 60, 3),
    readiness: probe(10, 3, 3),
    liveness: probe(20, 3, 5),
  });
  container.mount('/usr/local/tomcat/webapps', webapps);
  for (const dir of ['logs', 'temp', 'work', 'conf/Catalina']) {
    const volName = `tomcat-${dir.replace('/', '-').toLowerCase()}`;
    container.mount(`/usr/local/tomcat/${dir}`, kplus.Volume.fromEmptyDir(scope, volName, volName));
  }
  container.mount('/tmp', kplus.Volume.fromEmptyDir(scope, 'tmp', 'tmp'));
  deployment.addInitContainer({
    name: `copy-wars-0-${x.name}-war`,
    image: x.artifact,
    command: ['cp', '/wars/ROOT.war', '/cdk8s-paas/webapps/'],
    securityContext: containerSecurity(),
    resources: {
      cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
      memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
    },
  }).mount('/cdk8s-paas/webapps', webapps);

  new kplus.Service(scope, 'Service', {
    metadata,
    type: kplus.ServiceType.CLUSTER_IP,
    selector: deployment,
    ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
  });
  new kplus.k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
    metadata,
    spec: {
      maxUnavailable: kplus.k8s.IntOrString.fromNumber(1),
      selector: { matchLabels: deployment.matchLabels },
    },
  });

  const configMap = new kplus.ConfigMap(parent, 'config', { metadata: { name: configName, namespace }, data: x.config });
  const secret = new kplus.Secret(parent, 'secret', { metadata: { name: secretName, namespace }, type: 'Opaque', stringData: x.secret });
  container.env.copyFrom(kplus.Env.fromConfigMap(configMap));
  container.env.addVariable('DB_PASSWORD', kplus.EnvValue.fromSecretValue({ secret, key: 'password' }));
  container.env.addVariable('CATALINA_OPTS', kplus.EnvValue.fromValue(''));
  container.env.addVariable('JAVA_OPTS', kplus.EnvValue.fromValue(''));

  const addr = deployment.matchLabels['cdk8s.io/metadata.addr'];
  new ApiObject(scope, 'AllowFromIngress', {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: `${x.name}-allow-0`, namespace },
    spec: {
      order: 50, // PresetOrder.APP_EXCEPTION: AppNetwork.allowFrom comes before isolated groups
      selector: `cdk8s.io/metadata.addr == "${addr}"`,
      types: ['Ingress'],
      ingress: [{
        action: 'Allow',
        protocol: 'TCP',
        source: { namespaceSelector: `kubernetes.io/metadata.name == "${x.ingressNamespace}"` },
        destination: { ports: [8080] },
      }],
    },
  });
}

/** Plain cdk8s-plus-27 in a plain cdk8s App. */
export function hand(n: number, outdir: string, layout: Layout = {}): App {
  const app = new App({ outdir });
  appScopes(app, n, layout, (scope, id) => new Chart(scope, id)).forEach((scope, i) => handApp(scope, i));
  return app;
}

/** The variants by name, as the worker takes them. */
export const VARIANTS: { [name: string]: Variant } = {
  'ours': (n, outdir) => ours(n, outdir, true),
  'ours-novalidate': (n, outdir) => ours(n, outdir, false),
  'hand': (n, outdir) => hand(n, outdir),
  'ours@chart-per-app': (n, outdir) => ours(n, outdir, true, { chartPerApp: true }),
  'hand@chart-per-app': (n, outdir) => hand(n, outdir, { chartPerApp: true }),
};
