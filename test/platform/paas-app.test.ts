import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { PaasApp, ValidationError } from '../../src';

function snapshotDir(dir: string): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  for (const f of fs.readdirSync(dir)) out[f] = fs.readFileSync(path.join(dir, f), 'utf-8');
  return out;
}

describe('PaasApp atomic synth', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-app-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes all charts and removes stale manifests of a previous synth', () => {
    const outdir = path.join(dir, 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'stale.k8s.yaml'), 'old');
    fs.writeFileSync(path.join(outdir, 'README.txt'), 'keep me');
    const app = new PaasApp({ outdir });
    new ApiObject(new Chart(app, 'one'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    new ApiObject(new Chart(app, 'two'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' } });
    app.synth();
    expect(fs.readdirSync(outdir).sort()).toEqual(['.cdk8s-paas-owned', 'README.txt', 'one.k8s.yaml', 'two.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'two.k8s.yaml'), 'utf-8')).toMatch(/name: two/);
    expect(fs.readdirSync(dir)).toEqual(['dist']); // no staging folder left
  });

  test('a failed synth leaves a pre-existing output folder byte-for-byte unchanged', () => {
    const outdir = path.join(dir, 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'one.k8s.yaml'), 'previous good output\n');
    const before = snapshotDir(outdir);
    const app = new PaasApp({ outdir });
    new ApiObject(new Chart(app, 'one'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    const bad = new Chart(app, 'two');
    bad.node.addValidation({ validate: () => ['two: something is wrong'] });
    expect(() => app.synth()).toThrow(/something is wrong/);
    expect(() => app.synth()).toThrow(ValidationError);
    expect(snapshotDir(outdir)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['dist']);
    expect(app.outdir).toBe(outdir);
  });

  test('under `cdk8s synth` (which removes its output folder first), CDK8S_PAAS_OUTDIR keeps a failed synth from touching the real folder', () => {
    // GIVEN the documented cdk8s.yaml: `output` is a scratch folder, CDK8S_PAAS_OUTDIR the real one with a good previous synth
    const scratch = path.join(dir, '.cdk8s-out');
    const real = path.join(dir, 'dist');
    fs.mkdirSync(real);
    fs.writeFileSync(path.join(real, 'one.k8s.yaml'), 'previous good output\n');
    const before = snapshotDir(real);
    const saved = { out: process.env.CDK8S_OUTDIR, paas: process.env.CDK8S_PAAS_OUTDIR };
    // what cdk8s-cli does before it runs the app: remove `output`, then pass it as CDK8S_OUTDIR
    fs.rmSync(scratch, { recursive: true, force: true });
    process.env.CDK8S_OUTDIR = scratch;
    process.env.CDK8S_PAAS_OUTDIR = real;
    try {
      // WHEN the app fails validation
      const failing = new PaasApp();
      new Chart(failing, 'one').node.addValidation({ validate: () => ['one: something is wrong'] });
      expect(() => failing.synth()).toThrow(ValidationError);
      // THEN the real folder is as it was
      expect(snapshotDir(real)).toEqual(before);
      // WHEN it succeeds, the real folder is swapped in and the scratch folder gets nothing
      const ok = new PaasApp();
      new ApiObject(new Chart(ok, 'one'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
      ok.synth();
      expect(ok.outdir).toBe(real);
      expect(fs.readFileSync(path.join(real, 'one.k8s.yaml'), 'utf-8')).toMatch(/name: one/);
      // cdk8s-cli reads the manifests from its scratch folder: a copy, written after the real folder
      expect(fs.readdirSync(scratch)).toEqual(['one.k8s.yaml']);
    } finally {
      for (const [k, v] of [['CDK8S_OUTDIR', saved.out], ['CDK8S_PAAS_OUTDIR', saved.paas]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
