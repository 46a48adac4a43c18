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
});
