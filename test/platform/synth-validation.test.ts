import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as YAML from 'yaml';
import { OnecmdbChart } from '../../examples/onecmdb/main';
import { KubeVersion, PaasApp, PaasChart, PodSecurity, PodSecurityLevel } from '../../src';
import { expectValidManifests } from '../fixtures/validate';

/** Every file under dir (recursively) with its bytes. */
function snapshotTree(dir: string): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, Object.fromEntries(Object.entries(snapshotTree(p)).map(([k, v]) => [path.join(e.name, k), v])));
    else out[e.name] = fs.readFileSync(p).toString('base64');
  }
  return out;
}

const configMap = (scope: Chart, id: string, extra: any = {}) =>
  new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id }, data: { a: 'b' }, ...extra });

describe('PaasApp validates every object at synth', () => {
  const quiet = process.env.CDK8S_PAAS_QUIET_WARNINGS;
  beforeAll(() => { process.env.CDK8S_PAAS_QUIET_WARNINGS = '1'; });
  afterAll(() => { process.env.CDK8S_PAAS_QUIET_WARNINGS = quiet; });
  let dir: string;
  let outdir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-validation-'));
    outdir = path.join(dir, 'dist');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function synthError(app: PaasApp): string {
    try {
      app.synth();
    } catch (e: any) {
      return e.message;
    }
    throw new Error('synth did not fail');
  }

  test('the onecmdb example synthesizes with validation on, and its output is valid', () => {
    const app = new PaasApp({ outdir });
    new OnecmdbChart(app, 'onecmdb');
    app.synth();
    const text = fs.readFileSync(path.join(outdir, 'onecmdb.k8s.yaml'), 'utf-8');
    const docs = YAML.parseAllDocuments(text).map(d => d.toJSON());
    expect(docs.length).toBeGreaterThanOrEqual(6);
    expectValidManifests(docs);
  });

  test('user-written and escape-hatch-patched objects: all findings at once, grouped by object, with construct errors', () => {
    const app = new PaasApp({ outdir });
    const onecmdb = new OnecmdbChart(app, 'onecmdb');
    // an escape hatch that makes the Tomcat 8 pod privileged (the final toJson() is validated)
    ApiObject.of(onecmdb.tomcat8.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));
    const extra = new Chart(app, 'extra');
    configMap(extra, 'settings', { dataa: { x: 'y' } });
    new ApiObject(extra, 'old-cron', { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'old-cron' }, spec: {} });
    extra.node.addValidation({ validate: () => ['extra: a construct rule failed'] });

    const msg = synthError(app);
    expect(msg).toMatch(/manifest validation: 3 errors in 3 objects, nothing was written/);
    expect(msg).toMatch(/a construct rule failed/);
    // one block per object: heading, then `<construct path>: <field>: <value> <reason>` lines
    expect(msg).toMatch(/Deployment itil\/onecmdb-tomcat8 \(onecmdb\/onecmdb-tomcat8\/Deployment\/Resource\): 1 error; pod security "restricted": the default for namespace "itil"/);
    expect(msg).toContain('onecmdb/onecmdb-tomcat8/Deployment/Resource: spec.template.spec.containers[0].securityContext.privileged: true must be unset or false (pod security "restricted", check privileged)');
    expect(msg).toMatch(/ConfigMap settings \(extra\/settings\): 1 error\n\s+extra\/settings: dataa: \{"x":"y"\} is set on unknown field "dataa", which the v1 ConfigMap schema does not define \(did you mean "data"\)/);
    expect(msg).toContain('extra/old-cron: apiVersion: "batch/v1beta1" is not served for kind CronJob on Kubernetes 1.27: removed in 1.25; use batch/v1');
    expect(msg).not.toMatch(/onecmdb-tomcat7/);
  });

  test('a failed validation leaves a pre-existing dist/ byte-for-byte unchanged', () => {
    // GIVEN a dist/ from an earlier good synth, plus files that are not ours
    const good = new PaasApp({ outdir });
    new OnecmdbChart(good, 'onecmdb');
    configMap(new Chart(good, 'extra'), 'settings');
    good.synth();
    fs.mkdirSync(path.join(outdir, 'nested'));
    fs.writeFileSync(path.join(outdir, 'nested', 'notes.txt'), 'keep\n');
    fs.writeFileSync(path.join(outdir, 'stale.k8s.yaml'), 'kind: Old\n');
    const before = snapshotTree(outdir);
    expect(Object.keys(before).sort()).toEqual(['extra.k8s.yaml', path.join('nested', 'notes.txt'), 'onecmdb.k8s.yaml', 'stale.k8s.yaml']);

    // WHEN a later synth has one invalid object in one of its charts
    const bad = new PaasApp({ outdir });
    new OnecmdbChart(bad, 'onecmdb');
    configMap(new Chart(bad, 'extra'), 'settings', { data: { a: 1 } });
    expect(() => bad.synth()).toThrow(/extra\/settings: data\.a: 1 has the wrong type: must be string/);

    // THEN nothing changed and no staging folder is left
    expect(snapshotTree(outdir)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['dist']);
  });

  test('validation: false writes what it is given (for benchmarks and debugging)', () => {
    const app = new PaasApp({ outdir, validation: false });
    configMap(new Chart(app, 'extra'), 'settings', { dataa: {} });
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'extra.k8s.yaml'), 'utf-8')).toMatch(/dataa: \{\}/);
    expect(app.validation).toBe(false);
  });

  test('the target version is read per chart (a PaasChart can pin it)', () => {
    // valid on 1.24's own schema (which requires schedule and jobTemplate) and Pod Security restricted
    const cronSpec = {
      schedule: '0 3 * * *',
      jobTemplate: {
        spec: {
          template: {
            spec: {
              restartPolicy: 'OnFailure',
              securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
            },
          },
        },
      },
    };
    const app = new PaasApp({ outdir, kubeVersion: KubeVersion.V1_24 });
    const old = new PaasChart(app, 'old');
    new ApiObject(old, 'cron', { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'cron' }, spec: cronSpec });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.env.CDK8S_PAAS_QUIET_WARNINGS = '0';
    try {
      app.synth(); // served by 1.24: only a warning
      expect(stderr.mock.calls.map(c => String(c[0])).join('')).toMatch(/warning: old\/cron: apiVersion: "batch\/v1beta1" is removed for kind CronJob in Kubernetes 1\.25 \(the target 1\.24 still serves it\)/);
    } finally {
      stderr.mockRestore();
      process.env.CDK8S_PAAS_QUIET_WARNINGS = '1';
    }
    const app2 = new PaasApp({ outdir, kubeVersion: KubeVersion.V1_24 });
    const pinned = new PaasChart(app2, 'new', { kubeVersion: KubeVersion.V1_25 });
    new ApiObject(pinned, 'cron', { apiVersion: 'batch/v1beta1', kind: 'CronJob', metadata: { name: 'cron' }, spec: {} });
    expect(() => app2.synth()).toThrow(/new\/cron: apiVersion: "batch\/v1beta1" is not served for kind CronJob on Kubernetes 1\.25/);
  });

  test('Pod Security: opt-ins of constructs and Namespace labels of the app decide the level', () => {
    const app = new PaasApp({ outdir });
    const chart = new Chart(app, 'agents', { namespace: 'monitoring' });
    const agent = new kplus.DaemonSet(chart, 'agent', { securityContext: { ensureNonRoot: false } });
    agent.addContainer({ image: 'agent:1', securityContext: { ensureNonRoot: false, privileged: true, readOnlyRootFilesystem: true }, resources: {} });
    agent.addVolume(kplus.Volume.fromHostPath(chart, 'logs', 'logs', { path: '/var/log' }));
    expect(synthError(app)).toMatch(/DaemonSet monitoring\/.*: \d+ errors; pod security "restricted"/);

    PodSecurity.allow(agent, PodSecurityLevel.PRIVILEGED, 'node agent reading host logs');
    app.synth(); // opted in
    expect(fs.readFileSync(path.join(outdir, 'agents.k8s.yaml'), 'utf-8')).toMatch(/privileged: true/);

    // the app declares the namespace as baseline: the label wins, the message says why
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring', namespace: undefined, labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
    const msg = synthError(app);
    expect(msg).toMatch(/pod security "baseline": namespace "monitoring" is labelled pod-security.kubernetes.io\/enforce=baseline, stricter than the "privileged" its construct opted in to \(privileged: node agent reading host logs\)/);
    expect(msg).toMatch(/securityContext.privileged: true must be unset or false \(pod security "baseline", check privileged\)/);
    expect(msg).toMatch(/spec.template.spec.volumes\[0\].hostPath: \{"path":"\/var\/log"(,"type":"")?\} volume "logs" is a hostPath: baseline forbids hostPath volumes/);
  });

  test('toJson() is shared by validation and writing during synth, and restored afterwards', () => {
    const app = new PaasApp({ outdir });
    const cm = configMap(new Chart(app, 'extra'), 'settings');
    const spy = jest.spyOn(ApiObject.prototype, 'toJson');
    app.synth();
    expect(spy.mock.calls.length).toBe(1);
    spy.mockRestore();
    expect(Object.prototype.hasOwnProperty.call(cm, 'toJson')).toBe(false);
    cm.addJsonPatch(JsonPatch.add('/data/c', 'd'));
    expect(cm.toJson().data).toEqual({ a: 'b', c: 'd' });
  });
});
