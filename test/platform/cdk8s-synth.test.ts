import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The documented `cdk8s synth` set-up (docs/validation.md), run with the real
// cdk8s-cli: it removes its `output` folder before it runs the app, and a
// failed synth must still leave the real output folder as it was.

const repo = path.resolve(__dirname, '../..');
const bin = (name: string) => path.join(repo, 'node_modules', '.bin', name);

function cdk8sSynth(dir: string, env: NodeJS.ProcessEnv = {}): { ok: boolean; output: string } {
  try {
    const output = execFileSync(bin('cdk8s'), ['synth', '--no-check-upgrade'], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf-8', stdio: 'pipe' });
    return { ok: true, output };
  } catch (e: any) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

test('under cdk8s synth with CDK8S_PAAS_OUTDIR, a failed synth leaves dist/ byte-for-byte as it was', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-synth-'));
  try {
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'main.ts'), [
      "import { ApiObject, Chart } from 'cdk8s';",
      `import { PaasApp } from ${JSON.stringify(path.join(repo, 'src'))};`,
      'const app = new PaasApp();',
      "const chart = new Chart(app, 'one');",
      "new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: process.env.CM_NAME ?? 'one', namespace: 'x' } });",
      "if (process.env.FAIL === '1') chart.node.addValidation({ validate: () => ['broken on purpose'] });",
      'app.synth();',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
      'language: typescript',
      `app: CDK8S_PAAS_OUTDIR=dist ${bin('ts-node')} --transpile-only -P ${path.join(repo, 'tsconfig.json')} main.ts`,
      'output: .cdk8s-out',
    ].join('\n'));

    // a good synth: dist/ written, cdk8s-cli content
    const first = cdk8sSynth(dir);
    expect(first).toEqual({ ok: true, output: expect.stringContaining('.cdk8s-out/one.k8s.yaml') });
    const file = path.join(dir, 'dist', 'one.k8s.yaml');
    const before = fs.readFileSync(file);
    expect(before.toString()).toContain('name: one');

    // a failed synth: cdk8s synth fails, dist/ unchanged
    const failed = cdk8sSynth(dir, { FAIL: '1', CM_NAME: 'two' });
    expect(failed.ok).toBe(false);
    expect(failed.output).toContain('[one] broken on purpose');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    // the manifests, beside the synth's hidden ownership list (.cdk8s-paas-owned)
    expect(fs.readdirSync(path.join(dir, 'dist')).filter(f => !f.startsWith('.'))).toEqual(['one.k8s.yaml']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
