import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import { PaasApp, ValidationError } from '../../src';
import { atomicOutputHooks, OWNERSHIP_MANIFEST, recoverOutput, writeAtomically } from '../../src/platform/atomic-output';
import { thrown } from '../fixtures/thrown';

const CHILD = path.join(__dirname, '..', 'fixtures', 'atomic-output-child.ts');
const NODE_ARGS = ['-r', 'ts-node/register/transpile-only', CHILD];
const CHILD_ENV = { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') };

/** Every file under `dir` (relative path → content), hidden ones included. */
function tree(dir: string, prefix = ''): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) Object.assign(out, tree(dir, rel));
    else out[rel] = fs.readFileSync(path.join(dir, rel), 'utf-8');
  }
  return out;
}

/** The manifests only (what a user sees): without the ownership manifest, lock, journal, staging and backup folders. */
function manifests(dir: string): { [file: string]: string } {
  return Object.fromEntries(Object.entries(tree(dir)).filter(([f]) => !f.startsWith('.cdk8s-paas')));
}

function writeSet(outdir: string, files: { [rel: string]: string }): void {
  writeAtomically(outdir, staging => {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(staging, rel)), { recursive: true });
      fs.writeFileSync(path.join(staging, rel), text);
    }
  });
}

function set(n: number, content: string): { [rel: string]: string } {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [path.join(i % 2 ? 'sub' : '', `f${i}.k8s.yaml`), `${content}\n`]));
}

let dir: string;
let outdir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-output-'));
  outdir = path.join(dir, 'dist');
});
afterEach(() => {
  delete atomicOutputHooks.staged;
  delete atomicOutputHooks.beforeMove;
  fs.rmSync(dir, { recursive: true, force: true });
});

test('stages inside the output folder (one file system, also for a mount point) and leaves nothing beside it', () => {
  fs.mkdirSync(outdir);
  let staging = '';
  writeAtomically(outdir, s => {
    staging = s;
    fs.writeFileSync(path.join(s, 'a.k8s.yaml'), 'a');
  });
  expect(path.dirname(staging)).toBe(path.resolve(outdir));
  expect(fs.existsSync(staging)).toBe(false);
  expect(fs.readdirSync(dir)).toEqual(['dist']);
  expect(fs.readdirSync(outdir).sort()).toEqual([OWNERSHIP_MANIFEST, 'a.k8s.yaml']);
  expect(JSON.parse(fs.readFileSync(path.join(outdir, OWNERSHIP_MANIFEST), 'utf-8')).files).toEqual(['a.k8s.yaml']);
});

test('replaces only the files it owns: manifests in sub-folders it never wrote survive', () => {
  fs.mkdirSync(path.join(outdir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'sub', 'user.k8s.yaml'), 'the user\'s own manifest');
  fs.writeFileSync(path.join(outdir, 'README.txt'), 'keep me');
  writeSet(outdir, { 'a.k8s.yaml': 'a1', 'sub/b.k8s.yaml': 'b1' });
  writeSet(outdir, { 'a.k8s.yaml': 'a2' });
  expect(manifests(outdir)).toEqual({ 'a.k8s.yaml': 'a2', 'README.txt': 'keep me', 'sub/user.k8s.yaml': 'the user\'s own manifest' });
});

test('EACCES in the middle of the commit: the previous set stays, as a ValidationError naming the folder and the cause', () => {
  writeSet(outdir, set(6, 'old'));
  const before = tree(outdir);
  let intoTarget = 0;
  atomicOutputHooks.beforeMove = (from, to) => {
    if (++intoTarget === 3) throw Object.assign(new Error(`EACCES: permission denied, rename '${from}' -> '${to}'`), { code: 'EACCES' });
  };
  const err = thrown(() => writeSet(outdir, set(6, 'new')));
  expect(err).toBeInstanceOf(ValidationError);
  expect(err.message).toContain(outdir);
  expect(err.message).toContain('EACCES');
  expect(err.message).toContain('keeps the previous files');
  expect(intoTarget).toBe(3);
  expect(tree(outdir)).toEqual(before);
});

test('a staging folder of a killed run (inside, or beside as older versions left it) is cleaned up by the next run', () => {
  fs.mkdirSync(path.join(outdir, '.cdk8s-paas-staging-4242-abc', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(outdir, '.cdk8s-paas-staging-4242-abc', 'sub', 'x.k8s.yaml'), 'x');
  fs.mkdirSync(path.join(dir, '.dist.staging-Zq1'));
  writeSet(outdir, { 'a.k8s.yaml': 'a' });
  expect(fs.readdirSync(outdir).sort()).toEqual([OWNERSHIP_MANIFEST, 'a.k8s.yaml']);
  expect(fs.readdirSync(dir)).toEqual(['dist']);
});

test('a lock left by a dead process is broken', () => {
  fs.mkdirSync(outdir);
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf-8' });
  fs.writeFileSync(path.join(outdir, '.cdk8s-paas.lock'), `${dead.stdout}\n`);
  writeSet(outdir, { 'a.k8s.yaml': 'a' });
  expect(manifests(outdir)).toEqual({ 'a.k8s.yaml': 'a' });
});

test('SIGKILL in the middle of moving 2,000 files: the next run recovers the previous set, never a mix', () => {
  writeSet(outdir, set(2000, 'old'));
  const before = tree(outdir);
  const child = spawnSync(process.execPath, [...NODE_ARGS, outdir, '2000', 'new', '1000'], { encoding: 'utf-8', env: CHILD_ENV });
  expect(child.signal).toBe('SIGKILL');
  // the kill left a mix in place (this is what recovery is for)
  const killed = manifests(outdir);
  expect(Object.values(killed).filter(t => t === 'new\n').length).toBe(1000);
  recoverOutput(outdir);
  expect(tree(outdir)).toEqual(before);
  // and the next synth writes its own set completely
  writeSet(outdir, set(2000, 'third'));
  expect(new Set(Object.values(manifests(outdir)))).toEqual(new Set(['third\n']));
  expect(Object.keys(manifests(outdir))).toHaveLength(2000);
  expect(fs.readdirSync(outdir).filter(f => f.startsWith('.')).sort()).toEqual([OWNERSHIP_MANIFEST]);
}, 120_000);

test('concurrent synths into one folder run one after the other: all succeed, the folder holds one complete set', async () => {
  fs.mkdirSync(outdir);
  const runs = ['run-0', 'run-1', 'run-2', 'run-3'];
  const results = await Promise.all(runs.map(content => new Promise<{ code: number | null; stderr: string; stdout: string }>(resolve => {
    const p = spawn(process.execPath, [...NODE_ARGS, outdir, '300', content], { env: { ...CHILD_ENV, ATOMIC_CHILD_SLOW_MS: '1500' } });
    let stderr = '';
    let stdout = '';
    p.stderr.on('data', d => (stderr += d));
    p.stdout.on('data', d => (stdout += d));
    p.on('close', code => resolve({ code, stderr, stdout }));
  })));
  expect(results.map(r => ({ code: r.code, stderr: r.stderr }))).toEqual(runs.map(() => ({ code: 0, stderr: '' })));
  // one at a time: no two writes overlapped (each held the folder 1.5 s)
  const spans = results.map(r => r.stdout.trim().split(' ').map(Number)).sort((a, b) => a[0] - b[0]);
  spans.slice(1).forEach((s, i) => expect(s[0]).toBeGreaterThanOrEqual(spans[i][1]));
  const files = manifests(outdir);
  expect(Object.keys(files)).toHaveLength(300);
  const contents = [...new Set(Object.values(files))];
  expect(contents).toHaveLength(1);
  expect(runs.map(r => `${r}\n`)).toContain(contents[0]);
  expect(JSON.parse(fs.readFileSync(path.join(outdir, OWNERSHIP_MANIFEST), 'utf-8')).files.sort()).toEqual(Object.keys(files).sort());
  expect(fs.readdirSync(outdir).filter(f => f.startsWith('.'))).toEqual([OWNERSHIP_MANIFEST]);
}, 120_000);

test('an output folder that is a file is a ValidationError, and nothing is written', () => {
  fs.writeFileSync(outdir, 'a file');
  expect(() => writeSet(outdir, { 'a.k8s.yaml': 'a' })).toThrow(ValidationError);
  expect(() => writeSet(outdir, { 'a.k8s.yaml': 'a' })).toThrow(/is not a folder/);
  expect(fs.readFileSync(outdir, 'utf-8')).toBe('a file');
});

describe('PaasApp', () => {
  test('kubectl reads the output folder as a whole: the ownership manifest is not taken for a manifest', () => {
    const app = new PaasApp({ outdir });
    new ApiObject(new Chart(app, 'one'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    app.synth();
    expect(fs.readdirSync(outdir).sort()).toEqual([OWNERSHIP_MANIFEST, 'one.k8s.yaml']);
    const r = spawnSync('kubectl', ['annotate', '--local', '--recursive', '-f', outdir, 'x=y', '-o', 'name'], { encoding: 'utf-8' });
    expect({ status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ status: 0, stderr: '', stdout: 'configmap/one\n' });
  });

  test('outputFileExtension with a path is refused: nothing is written outside outdir', () => {
    for (const ext of ['/../../../x.k8s.yaml', '..k8s.yaml', '.k8s\\x.yaml', 'a/b']) {
      const err = thrown(() => new PaasApp({ outdir, outputFileExtension: ext }));
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.message).toContain('outputFileExtension');
      expect(err.message).toContain(`"${ext}"`);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    const app = new PaasApp({ outdir, outputFileExtension: '.yaml' });
    new ApiObject(new Chart(app, 'one'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    app.synth();
    expect(Object.keys(manifests(outdir))).toEqual(['one.yaml']);
  });

  test('a manifest file that cannot be written is a ValidationError, and the folder keeps its files', () => {
    const app = new PaasApp({ outdir });
    new ApiObject(new Chart(app, 'one'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    app.synth();
    const before = tree(outdir);
    // the chart's file in the staging folder is taken by a folder
    atomicOutputHooks.staged = staging => fs.mkdirSync(path.join(staging, 'one.k8s.yaml'));
    const err = thrown(() => app.synth());
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/one\.k8s\.yaml: cannot write the manifest file: EISDIR/);
    expect(tree(outdir)).toEqual(before);
  });
});
