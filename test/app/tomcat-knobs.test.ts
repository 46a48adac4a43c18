import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Size, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  PaasApp, PaasChart, RestrictedSecurityContext, Tenant, TomcatApp, TomcatAppProps, ValidationError, WarArtifact,
} from '../../src';
import { checkPodSecurity, PodSecurityLevel } from '../../src/validate/pod-security';
import { expectValidManifests, findObject, findObjects } from '../fixtures/validate';

const ARTIFACT = WarArtifact.fromImage('registry.example.com/shop/shop-wars:2.1.0', { path: '/app_dir', wars: ['ROOT.war'] });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tomcat-knobs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Builds one chart in a PaasApp, synthesizes it into a temp folder the user's way and reads the objects back (strict-valid, PSS restricted). */
function synth(define: (chart: PaasChart) => void): any[] {
  const app = new PaasApp({ outdir: path.join(dir, 'dist') });
  define(new PaasChart(app, 'shop', { namespace: 'shop' }));
  app.synth();
  const files = fs.readdirSync(path.join(dir, 'dist')).filter(f => f.endsWith('.yaml'));
  const objects = files.flatMap(f => Yaml.load(path.join(dir, 'dist', f))).filter(o => o);
  expectValidManifests(objects);
  return objects;
}

function shop(chart: PaasChart, props: Partial<TomcatAppProps> = {}): TomcatApp {
  return new TomcatApp(chart, 'shop', { artifacts: [ARTIFACT], ...props });
}

function errorOf(fn: () => void): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('TomcatApp autoscaling', () => {
  test('adds an autoscaling/v2 HPA on CPU utilization and leaves replicas out of the Deployment', () => {
    // GIVEN / WHEN
    let app!: TomcatApp;
    const m = synth(chart => {
      app = shop(chart, { autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70 } });
    });
    // THEN
    const dep = findObject(m, 'Deployment', 'shop');
    expect(dep.spec).not.toHaveProperty('replicas');
    const hpa = findObject(m, 'HorizontalPodAutoscaler', 'shop');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata.namespace).toBe('shop');
    expect(hpa.metadata.labels).toEqual(dep.metadata.labels);
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    // utilization is measured against the request, which the container has
    expect(dep.spec.template.spec.containers[0].resources.requests.cpu).toBe('500m');
    // the PDB still lets a drain evict one pod at a time
    expect(findObject(m, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(app.replicas).toBe(3);
    expect(app.horizontalPodAutoscaler).toBeDefined();
  });

  test('defaults: 2 to maxReplicas pods at 80% CPU', () => {
    const m = synth(chart => void shop(chart, { autoscaling: { maxReplicas: 4 } }));
    const hpa = findObject(m, 'HorizontalPodAutoscaler');
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(4);
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(80);
  });

  test('without autoscaling: 2 replicas, no HPA, and a cdk8s-plus HorizontalPodAutoscaler can take the Deployment over', () => {
    const plain = synth(chart => void shop(chart));
    expect(findObject(plain, 'Deployment').spec.replicas).toBe(2);
    expect(findObjects(plain, 'HorizontalPodAutoscaler')).toHaveLength(0);

    fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
    const m = synth(chart => {
      const app = shop(chart);
      new kplus.HorizontalPodAutoscaler(chart, 'hpa', {
        target: app.deployment,
        maxReplicas: 5,
        metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(60))],
      });
    });
    expect(findObject(m, 'Deployment').spec).not.toHaveProperty('replicas');
    expect(findObject(m, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' });
  });

  test('a cdk8s-plus HPA still refuses an explicit replicas count', () => {
    const app = new PaasApp({ outdir: path.join(dir, 'dist') });
    const chart = new PaasChart(app, 'shop');
    const t = shop(chart, { replicas: 3 });
    new kplus.HorizontalPodAutoscaler(chart, 'hpa', { target: t.deployment, maxReplicas: 5 });
    expect(() => app.synth()).toThrow(/fixed number of replicas \(3\)/);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test.each([
    [{ minReplicas: 5, maxReplicas: 3 }, 'autoscaling.maxReplicas', '3', 'minReplicas <= maxReplicas'],
    [{ minReplicas: 0, maxReplicas: 3 }, 'autoscaling.minReplicas', '0', 'from 1 to 10000'],
    [{ minReplicas: 1.5, maxReplicas: 3 }, 'autoscaling.minReplicas', '1.5', 'integer'],
    [{ maxReplicas: 0 }, 'autoscaling.maxReplicas', '0', 'from 1 to 10000'],
    [{ maxReplicas: 3, cpuUtilization: 0 }, 'autoscaling.cpuUtilization', '0', 'from 1 to 400'],
    // default resources: 500m request, 2 CPU limit: 400% is the most the container can reach
    [{ maxReplicas: 3, cpuUtilization: 401 }, 'autoscaling.cpuUtilization', '401', 'CPU limit (2000m)'],
  ])('rejects autoscaling %j', (autoscaling, field, value, reason) => {
    const app = new PaasApp({ outdir: path.join(dir, 'dist') });
    const e = errorOf(() => shop(new PaasChart(app, 'c'), { autoscaling }));
    expect(e.field).toBe(field);
    expect(e.message).toContain(`c/shop: ${field}: ${value}`);
    expect(e.message).toContain(reason);
  });

  test('the utilization ceiling follows the resources (1 CPU request, 1 CPU limit: at most 100%)', () => {
    const app = new PaasApp({ outdir: path.join(dir, 'dist') });
    const chart = new PaasChart(app, 'c');
    const resources = { cpuRequest: '1', cpuLimit: '1' };
    expect(errorOf(() => shop(chart, { resources, autoscaling: { maxReplicas: 3, cpuUtilization: 101 } })).message).toContain('from 1 to 100');
    expect(() => new TomcatApp(chart, 'ok', { artifacts: [ARTIFACT], resources, autoscaling: { maxReplicas: 3, cpuUtilization: 100 } })).not.toThrow();
  });

  test('replicas and autoscaling together are refused', () => {
    const app = new PaasApp({ outdir: path.join(dir, 'dist') });
    const e = errorOf(() => shop(new PaasChart(app, 'c'), { replicas: 3, autoscaling: { maxReplicas: 5 } }));
    expect(e.message).toMatch(/^c\/shop: replicas: 3 cannot be set together with autoscaling/);
  });

  test('a Tenant\'s quota is checked against maxReplicas, not the floor', () => {
    const app = new PaasApp({ outdir: path.join(dir, 'dist') });
    const tenant = new Tenant(new PaasChart(app, 'c'), 'team-a', { quota: { requestsCpu: '3' } });
    new TomcatApp(tenant, 'shop', { artifacts: [ARTIFACT], autoscaling: { minReplicas: 2, maxReplicas: 8 } });
    expect(() => app.synth()).toThrow('quota.requestsCpu: "3" is less than the 4 requests.cpu of the tenant\'s objects (Deployment/shop: 8 × 500m)');
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('the disruption budget is checked against minReplicas', () => {
    const app = new PaasApp({ outdir: path.join(dir, 'dist') });
    const chart = new PaasChart(app, 'c');
    const e = errorOf(() => shop(chart, { autoscaling: { minReplicas: 3, maxReplicas: 6 }, disruptionBudgetMaxUnavailable: 3 }));
    expect(e.message).toContain('c/shop: disruptionBudgetMaxUnavailable: 3 is too high for autoscaling.minReplicas 3');
    expect(e.message).toContain('use at most 2');
    // a single-pod floor keeps maxUnavailable 1: a drain must be able to finish
    expect(() => new TomcatApp(chart, 'one', { artifacts: [ARTIFACT], autoscaling: { minReplicas: 1, maxReplicas: 3 } })).not.toThrow();
  });
});

describe('TomcatApp probe timings', () => {
  const probesOf = (m: any[]) => {
    const c = findObject(m, 'Deployment').spec.template.spec.containers[0];
    return { startup: c.startupProbe, readiness: c.readinessProbe, liveness: c.livenessProbe };
  };

  test('defaults are unchanged: startup 5s×60, readiness 10s×3, liveness 20s×3', () => {
    const p = probesOf(synth(chart => void shop(chart)));
    const http = { path: '/', port: 8080, scheme: 'HTTP' };
    expect(p.startup).toEqual({ httpGet: http, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 60 });
    expect(p.readiness).toEqual({ httpGet: http, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    expect(p.liveness).toEqual({ httpGet: http, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 });
  });

  test('each timing can be tuned; unset fields keep their default', () => {
    const p = probesOf(synth(chart => void shop(chart, {
      probes: {
        startup: { failureThreshold: 120 },
        readiness: { initialDelay: Duration.seconds(15), period: Duration.seconds(5), timeout: Duration.seconds(2) },
        liveness: { period: Duration.minutes(1), failureThreshold: 5 },
      },
    })));
    expect(p.startup).toMatchObject({ periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 120 });
    expect(p.startup).not.toHaveProperty('initialDelaySeconds');
    expect(p.readiness).toMatchObject({ initialDelaySeconds: 15, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 });
    expect(p.liveness).toMatchObject({ periodSeconds: 60, timeoutSeconds: 5, failureThreshold: 5 });
  });

  test.each([
    [{ readiness: { timeout: Duration.seconds(0) } }, 'probes.readiness.timeout', '"0 seconds"', 'from 1 to 86400'],
    [{ liveness: { period: Duration.millis(1500) } }, 'probes.liveness.period', '"1 second 500 millis"', 'whole number of seconds'],
    [{ startup: { failureThreshold: 0 } }, 'probes.startup.failureThreshold', '0', 'from 1 to 10000'],
    [{ startup: { initialDelay: Duration.days(2) } }, 'probes.startup.initialDelay', '"2 days"', 'from 0 to 86400'],
  ])('rejects probes %#', (probes, field, value, reason) => {
    const app = new PaasApp({ outdir: path.join(dir, 'dist') });
    const e = errorOf(() => shop(new PaasChart(app, 'c'), { probes }));
    expect(e.field).toBe(field);
    expect(e.message).toContain(`c/shop: ${field}: ${value} `);
    expect(e.message).toContain(reason);
  });
});

describe('RestrictedSecurityContext', () => {
  const sidecar = (app: TomcatApp, securityContext?: kplus.ContainerSecurityContextProps) => app.deployment.addContainer({
    name: 'log-shipper',
    image: 'registry.example.com/log-shipper:1.0',
    resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(16) } },
    securityContext,
  });

  test('a sidecar added with it passes Pod Security restricted', () => {
    const m = synth(chart => void sidecar(shop(chart), RestrictedSecurityContext.containerProps()));
    const pod = findObject(m, 'Deployment').spec.template.spec;
    const c = pod.containers.find((x: any) => x.name === 'log-shipper');
    expect(c.securityContext).toEqual({
      runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
    expect(checkPodSecurity(findObject(m, 'Deployment'), PodSecurityLevel.RESTRICTED)).toEqual([]);
  });

  test('the same sidecar without it fails the Pod Security check and synth writes nothing', () => {
    const app = new PaasApp({ outdir: path.join(dir, 'dist') });
    sidecar(shop(new PaasChart(app, 'shop', { namespace: 'shop' })));
    expect(() => app.synth()).toThrow(/containers\[1\]\.securityContext\.capabilities/);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('the Tomcat and init containers use it with the runtime user', () => {
    const pod = findObject(synth(chart => void shop(chart)), 'Deployment').spec.template.spec;
    const expected = RestrictedSecurityContext.containerProps({ user: 10001, group: 10001 });
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.securityContext).toMatchObject({
        runAsUser: expected.user, runAsGroup: expected.group, runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
      });
    }
  });

  test('options: user, group, writable root filesystem', () => {
    expect(RestrictedSecurityContext.containerProps({ user: 1000, group: 2000, readOnlyRootFilesystem: false })).toMatchObject({
      user: 1000, group: 2000, readOnlyRootFilesystem: false, allowPrivilegeEscalation: false,
    });
  });
});

describe('TomcatApp default container', () => {
  test('the pod template tells kubectl that tomcat is the default container', () => {
    const m = synth(chart => void sidecar2(shop(chart)));
    const t = findObject(m, 'Deployment').spec.template;
    expect(t.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/default-container': 'tomcat' });
    // the annotation names a container of the pod
    expect(t.spec.containers.map((c: any) => c.name)).toEqual(['tomcat', 'metrics']);
  });

  function sidecar2(app: TomcatApp): void {
    app.deployment.addContainer({
      name: 'metrics',
      image: 'registry.example.com/exporter:1.0',
      securityContext: RestrictedSecurityContext.containerProps(),
      resources: { cpu: { request: kplus.Cpu.millis(10) } },
    });
  }
});
