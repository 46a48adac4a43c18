import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { collectFiles, readInput } from '../../src/cli/inputs';
import { main } from '../../src/cli/main';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cli-inputs-'));
}

/** What kubectl sends for the file's objects (no server needed), without the annotation it adds. */
function kubectlReads(file: string): any[] {
  const r = spawnSync('kubectl', ['annotate', '--local', '-f', file, 'k=v', '-o', 'json'], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`kubectl: ${r.stderr}`);
  // one JSON document per object, one after the other
  const items: any[] = JSON.parse(`[${r.stdout.replace(/^}\n{/gm, '},\n{')}]`);
  for (const o of items) {
    delete o.metadata.annotations.k;
    if (Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
  }
  return items;
}

/** What the CLI reads, as JSON (what it would send). */
function cliReads(file: string): any[] {
  const input = readInput(file);
  expect(input.error).toBeUndefined();
  return JSON.parse(JSON.stringify(input.objects.map(o => o.manifest)));
}

describe('the CLI reads YAML as kubectl does (YAML 1.1, Go numbers)', () => {
  test('booleans, octal and Go number forms are what kubectl sends; dates and 1:20 stay strings', () => {
    const file = path.join(tmp(), 'pod.yaml');
    fs.writeFileSync(file, `apiVersion: v1
kind: ConfigMap
metadata:
  name: forms
data:
  a: yes
  b: On
  c: n
  octal: 0775
  hex: 0XFF
  o: 0o022
  bin: 0B11
  us: +_1
  exp: 1e3_0
  big: 1_000
  date: 2001-12-14
  sexagesimal: 1:20
  plain: hello
`);
    const ours = cliReads(file);
    expect(ours).toEqual(kubectlReads(file));
    expect(ours[0].data).toMatchObject({ a: true, b: true, c: false, octal: 509, hex: 255, o: 18, bin: 3, us: 1, big: 1000, date: '2001-12-14', sexagesimal: '1:20' });
  });

  test('runAsNonRoot: yes is a boolean, as kubectl sends it (the CLI accepts what the cluster accepts)', () => {
    const file = path.join(tmp(), 'pod.yaml');
    fs.writeFileSync(file, `apiVersion: v1
kind: Pod
metadata: { name: p, namespace: shop }
spec:
  securityContext: { runAsNonRoot: yes, seccompProfile: { type: RuntimeDefault } }
  containers:
    - name: c
      image: nginx:1.25
      securityContext: { allowPrivilegeEscalation: no, capabilities: { drop: [ALL] } }
`);
    expect(cliReads(file)).toEqual(kubectlReads(file));
    let out = '';
    expect(main(['validate', file], { stdout: s => { out += s; }, stderr: s => { out += s; } })).toBe(0);
    expect(out).toContain('0 errors');
  });

  test('fuzz: 2,000 plain scalars from a number/boolean alphabet read as kubectl reads them', () => {
    const alphabet = [...'0123456789abcdefxXoObBeE_+-.yYnN'];
    const values = fc.sample(fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 8 }), { numRuns: 4000, seed: 1617 })
      .filter(v => /^[0-9+.yYnNoO]/.test(v)) // plain scalars that start a value (not "-", which starts a sequence)
      .slice(0, 2000);
    const file = path.join(tmp(), 'fuzz.yaml');
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fuzz\ndata:\n${values.map((v, i) => `  k${i}: ${v}\n`).join('')}`);
    expect(values.length).toBe(2000);
    expect(cliReads(file)).toEqual(kubectlReads(file));
  });
});

describe('anchors and aliases', () => {
  test('a legitimate kind: List reusing an anchor in 300 items is read, as kubectl reads it', () => {
    const items = Array.from({ length: 300 }, (_, i) => `  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: cm-${i}, namespace: *ns, labels: *labels }
    data: *data`).join('\n');
    const file = path.join(tmp(), 'list.yaml');
    fs.writeFileSync(file, `apiVersion: v1
kind: List
metadata: {}
x-defaults:
  ns: &ns shop
  labels: &labels { app: shop, tier: web }
  data: &data { mode: prod }
items:
${items}
`);
    const input = readInput(file);
    expect(input.error).toBeUndefined();
    expect(input.objects).toHaveLength(300);
    expect(input.objects[299].manifest).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-299', namespace: 'shop', labels: { app: 'shop', tier: 'web' } }, data: { mode: 'prod' } });
    expect(input.objects[299].line).toBe(9 + 4 * 299);
    expect(JSON.parse(JSON.stringify(input.objects.map(o => o.manifest)))).toEqual(kubectlReads(file));
  });

  test('a billion-laughs file is refused with a clear message, not a crash', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const file = path.join(tmp(), 'laughs.yaml');
    fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n${levels.join('\n')}\n`);
    const input = readInput(file);
    expect(input.error).toMatch(/^is not accepted: its aliases expand to more than \d+ nodes/);
    expect(input.objects).toEqual([]);
  });
});

describe('only regular files are read', () => {
  test('a FIFO named *.yaml is refused at once, by name and by folder', async () => {
    const dir = tmp();
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n');
    // in a child process with a timeout: a hang fails the test instead of blocking jest
    const script = `const { main } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'cli', 'main'))});
process.exitCode = main(['validate', ${JSON.stringify(fifo)}, ${JSON.stringify(dir)}]);`;
    const result = await new Promise<{ code: number | null; out: string }>(resolve => {
      const p = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
        env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.json') },
      });
      let out = '';
      p.stdout.on('data', d => (out += d));
      p.stderr.on('data', d => (out += d));
      const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
      p.on('close', code => { clearTimeout(timer); resolve({ code, out }); });
    });
    expect(result.code).toBe(1);
    expect(result.out).toContain(`FAIL  ${fifo}: cannot be read: it is a FIFO (named pipe), not a regular file`);
    expect(result.out).toContain(`ok    ${path.join(dir, 'ok.yaml')}: 1 object`);
    expect(collectFiles([dir]).sort()).toEqual([path.join(dir, 'ok.yaml'), fifo]);
  }, 60_000);
});
