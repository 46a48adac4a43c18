import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

const root = path.resolve(__dirname, '..', '..');

// `npm run synth` then `cdk8s-paas validate dist/`, as a pipeline would run them
test('the CLI passes every example\'s synthesized output', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-dist-'));
  try {
    const synth = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '-P', 'examples/tsconfig.json', '--transpile-only', 'scripts/synth-examples.ts'], {
      cwd: root, env: { ...process.env, CDK8S_PAAS_DIST: dist, CDK8S_PAAS_QUIET_WARNINGS: '1' }, encoding: 'utf-8',
    });
    expect(synth.stderr).not.toMatch(/failed/);
    expect(synth.status).toBe(0);
    const examples = fs.readdirSync(path.join(root, 'examples')).filter(n => fs.existsSync(path.join(root, 'examples', n, 'main.ts')));
    expect(fs.readdirSync(dist).sort()).toEqual(examples.sort());

    let out = '';
    let err = '';
    const code = main(['validate', dist, '--kube-version', '1.27'], { stdout: s => { out += s; }, stderr: s => { err += s; } });
    expect(err).toBe('');
    expect(out).not.toMatch(/^FAIL/m);
    expect(code).toBe(0);
    for (const e of examples) expect(out).toMatch(new RegExp(`ok .*${e}.*\\.k8s\\.yaml`));
  } finally {
    fs.rmSync(dist, { recursive: true, force: true });
  }
}, 300_000);
