import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OnecmdbChart } from '../../examples/onecmdb/main';
import { PaasApp } from '../../src';
import { main } from '../../src/cli/main';

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { stdout: s => { out += s; }, stderr: s => { err += s; } });
  return { code, out, err };
}

const BROKEN = `# a hand-written file with one problem of each kind
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: three
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.25
          imagePullPolicyy: Always
          securityContext:
            privileged: true
            allowPrivilegeEscalation: false
            runAsNonRoot: true
            capabilities: { drop: [ALL] }
            seccompProfile: { type: RuntimeDefault }
      volumes:
        - name: logs
          hostPath: { path: /var/log }
---
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: nightly
  namespace: shop
spec:
  schedule: "0 1 * * *"
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  selector: app == 'web'
  ingress:
    - action: Permit
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: fine
  namespace: shop
data:
  a: b
`;

describe('cdk8s-paas validate', () => {
  let dir: string;
  const quiet = process.env.CDK8S_PAAS_QUIET_WARNINGS;
  beforeAll(() => {
    process.env.CDK8S_PAAS_QUIET_WARNINGS = '1';
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    // the example's real output, synthesized by the example's own chart
    const app = new PaasApp({ outdir: path.join(dir, 'dist', 'onecmdb') });
    new OnecmdbChart(app, 'onecmdb');
    app.synth();
    fs.writeFileSync(path.join(dir, 'broken.yaml'), BROKEN);
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.env.CDK8S_PAAS_QUIET_WARNINGS = quiet;
  });
  const f = (name: string) => path.join(dir, name);

  test('the example output passes (directory input), exit 0 with a per-file summary', () => {
    const r = run('validate', f('dist'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^ok    ${f('dist/onecmdb/onecmdb.k8s.yaml').replace(/[/.]/g, '\\$&')}: 6 objects\n`));
    expect(r.out).toMatch(/1 file, 6 objects: 0 errors, 0 warnings \(Kubernetes 1\.27, pod security restricted unless a namespace label says otherwise\)\n$/);
    expect(r.err).toBe('');
  });

  test('a broken file: exit 1, every problem with its object, line, field and value', () => {
    const r = run('validate', f('broken.yaml'), f('dist'));
    expect(r.code).toBe(1);
    const b = f('broken.yaml');
    expect(r.out).toContain(`FAIL  ${b}: 4 objects, 6 errors\n`);
    expect(r.out).toContain(`  Deployment shop/web (${b}:2): 4 errors; pod security "restricted": the default for namespace "shop"`);
    expect(r.out).toContain(`${b}:2: spec.replicas: "three" has the wrong type: must be integer`);
    expect(r.out).toContain(`${b}:2: spec.template.spec.containers[0].imagePullPolicyy: "Always" is set on unknown field "imagePullPolicyy", which the apps/v1 Deployment schema does not define (did you mean "imagePullPolicy")`);
    expect(r.out).toContain(`${b}:2: spec.template.spec.containers[0].securityContext.privileged: true must be unset or false (pod security "restricted", check privileged)`);
    expect(r.out).toContain(`${b}:2: spec.template.spec.volumes[0].hostPath: {"path":"/var/log"} volume "logs" is of type hostPath: restricted allows only`);
    expect(r.out).toContain(`CronJob shop/nightly (${b}:29): 1 error`);
    expect(r.out).toContain(`${b}:29: apiVersion: "batch/v1beta1" is not served for kind CronJob on Kubernetes 1.27: removed in 1.25; use batch/v1`);
    expect(r.out).toContain(`${b}:37: spec.ingress[0].action: "Permit" must be one of "Allow", "Deny", "Log", "Pass"`);
    expect(r.out).not.toContain('ConfigMap shop/fine');
    expect(r.out).toMatch(/ok    .*onecmdb\.k8s\.yaml: 6 objects/);
    expect(r.out).toMatch(/2 files, 10 objects: 6 errors, 0 warnings/);
  });

  test('--format json: per-file results and findings for pipelines', () => {
    const r = run('validate', f('broken.yaml'), '--format', 'json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ ok: false, kubeVersion: '1.27', podSecurity: 'restricted', summary: { files: 1, objects: 4, errors: 6, warnings: 0 } });
    expect(j.files[0]).toMatchObject({ file: f('broken.yaml'), ok: false, objects: 4, errors: 6 });
    expect(j.files[0].findings).toContainEqual({
      object: 'CronJob shop/nightly',
      location: `${f('broken.yaml')}:29`,
      severity: 'error',
      check: 'removed-api',
      rule: 'batch/v1beta1/CronJob',
      field: 'apiVersion',
      message: expect.stringMatching(/^apiVersion: "batch\/v1beta1" is not served/),
    });
    expect(j.files[0].findings.filter((x: any) => x.check === 'pod-security').map((x: any) => [x.rule, x.podSecurity]))
      .toEqual([['privileged', 'restricted'], ['restrictedVolumes', 'restricted']]);
  });

  test('--kube-version and --pod-security change the rules', () => {
    const r = run('validate', f('broken.yaml'), '--kube-version=v1.24.3', '--pod-security', 'privileged', '--format', 'json');
    const j = JSON.parse(r.out);
    expect(j.kubeVersion).toBe('1.24');
    const checks = j.files[0].findings.map((x: any) => `${x.severity}:${x.check}`);
    expect(checks).toContain('warning:deprecated-api');
    expect(checks).not.toContain('error:pod-security');
    expect(checks).not.toContain('error:removed-api');
  });

  test('a Namespace label in the inputs sets the level of its namespace', () => {
    fs.writeFileSync(f('ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: privileged\n');
    const j = JSON.parse(run('validate', f('broken.yaml'), f('ns.yaml'), '--format', 'json').out);
    expect(j.files[0].findings.filter((x: any) => x.check === 'pod-security')).toEqual([]);
    fs.rmSync(f('ns.yaml'));
  });

  test('unreadable, non-YAML, binary and non-object inputs: clear messages, exit 1', () => {
    fs.writeFileSync(f('bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n');
    fs.writeFileSync(f('blob.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    fs.writeFileSync(f('scalar.yaml'), '--- just a string\n---\n- a\n- b\n');
    const r = run('validate', f('missing.yaml'), f('bad.yaml'), f('blob.bin'), f('scalar.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL  ${f('missing.yaml')}: cannot be read: no such file or directory`);
    expect(r.out).toMatch(new RegExp(`FAIL  ${f('bad.yaml').replace(/[/.]/g, '\\$&')}: is not valid YAML: line \\d+, column \\d+: `));
    expect(r.out).toContain(`FAIL  ${f('blob.bin')}: cannot be read as YAML: it is a binary file (it contains NUL bytes)`);
    expect(r.out).toContain(`${f('scalar.yaml')}: document 1 (line 1) is not a Kubernetes object: expected a mapping with apiVersion and kind, got the string "just a string"`);
    expect(r.out).toContain(`${f('scalar.yaml')}: document 2 (line 3) is not a Kubernetes object: expected a mapping with apiVersion and kind, got a sequence`);
    expect(r.out).toMatch(/4 files, 0 objects: 5 errors/);
    const j = JSON.parse(run('validate', f('missing.yaml'), '--format', 'json').out);
    expect(j.files[0]).toMatchObject({ ok: false, errors: 1, error: 'cannot be read: no such file or directory' });
    for (const x of ['bad.yaml', 'blob.bin', 'scalar.yaml']) fs.rmSync(f(x));
  });

  test('kind: List items are validated one by one', () => {
    fs.writeFileSync(f('list.yaml'), 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: a }\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: b }\n    dta: {}\n');
    const r = run('validate', f('list.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL  ${f('list.yaml')}: 2 objects, 1 error`);
    expect(r.out).toContain(`${f('list.yaml')}:7: dta: {} is set on unknown field "dta"`);
    fs.rmSync(f('list.yaml'));
  });

  test('usage errors exit 2 and say what is valid', () => {
    expect(run().code).toBe(2);
    expect(run('--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage:\n  cdk8s-paas validate <files\|dirs>/) });
    expect(run('lint', 'x').err).toMatch(/^cdk8s-paas: unknown command "lint": expected validate or upgrade-plan/);
    expect(run('validate').err).toMatch(/no files or directories given/);
    expect(run('validate', 'x', '--strict').err).toMatch(/unknown option "--strict" for validate: expected --kube-version, --pod-security, --format/);
    expect(run('validate', 'x', '--kube-version', 'latest')).toMatchObject({ code: 2, err: expect.stringMatching(/--kube-version: "latest" is not a Kubernetes version/) });
    expect(run('validate', 'x', '--pod-security', 'strict').err).toMatch(/--pod-security: "strict" is not a Pod Security level: expected restricted, baseline or privileged/);
    expect(run('validate', 'x', '--format', 'xml').err).toMatch(/--format: "xml" is not a format: expected text or json/);
    expect(run('validate', 'x', '--format').err).toMatch(/option --format needs a value/);
  });

  test('upgrade-plan: the steps and what breaks at each', () => {
    const r = run('upgrade-plan', f('broken.yaml'), '--from', '1.24', '--to', '1.26');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^upgrade plan 1\.24 -> 1\.26: 2 steps\nstep 1: 1\.24 -> 1\.25\n/);
    expect(r.out).toMatch(/breaks on 1\.25, migrate before step 1:\n    - CronJob shop\/nightly .*use batch\/v1 \(served since 1\.21\), possible now/);
    const ok = run('upgrade-plan', f('dist'), '--from', '1.27', '--to', '1.29', '--format', 'json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ current: '1.27', target: '1.29', safe: true, steps: [{ from: '1.27', to: '1.28' }, { from: '1.28', to: '1.29' }] });
    expect(run('upgrade-plan', f('dist'), '--to', '1.29').err).toMatch(/--from is required/);
    expect(run('upgrade-plan', f('dist'), '--from', '1.27', '--to', '1.26').err).toMatch(/--to: "1.26" is older than --from "1.27"/);
  });

  // the packaged entry point, once, when lib/ is built (it is in `projen build`, which compiles before testing)
  const bin = path.resolve(__dirname, '..', '..', 'bin', 'cdk8s-paas');
  const built = fs.existsSync(path.resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js'));
  (built ? test : test.skip)('bin/cdk8s-paas runs as a subprocess against lib/', () => {
    const p = spawnSync(process.execPath, [bin, 'validate', f('broken.yaml'), '--format', 'json'], { encoding: 'utf-8' });
    expect(p.status).toBe(1);
    expect(JSON.parse(p.stdout).summary).toEqual({ files: 1, objects: 4, errors: 6, warnings: 0 });
    expect(spawnSync(process.execPath, [bin, 'validate', f('dist')], { encoding: 'utf-8' }).status).toBe(0);
  });
});
