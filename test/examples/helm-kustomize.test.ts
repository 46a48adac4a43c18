// Every example, synthesized the way its users do, read back by the real tools:
// - `cdk8s synth --format helm` (cdk8s-cli), each template parsed and executed
//   by Go's text/template (Helm's engine; test/helm/render.go, built here with
//   Debian's golang-1.19-go, see .ci/run): the rendered files must equal the
//   plain manifests byte for byte;
// - the plain synth with `CDK8S_PAAS_KUSTOMIZATION=true`: `kubectl kustomize`
//   (kustomize v5 inside kubectl) of each output folder must build exactly the
//   objects of its manifests.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { buildGoRender } from '../fixtures/go-render';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter(n => fs.existsSync(path.join(ROOT, 'examples', n, 'main.ts'))).sort();

let tmp: string;
let render: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-kustomize-'));
  render = buildGoRender(tmp);
  // the plain manifests of every example (with a kustomization.yaml), as `npm run synth` writes them
  execFileSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'scripts/synth-examples.ts'], {
    cwd: ROOT, env: { ...process.env, CDK8S_PAAS_DIST: path.join(tmp, 'plain'), CDK8S_PAAS_KUSTOMIZATION: 'true', CDK8S_PAAS_QUIET_WARNINGS: '1' }, stdio: 'pipe',
  });
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function files(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? files(path.join(dir, e.name), rel) : [rel];
  }).sort();
}

/** Objects as canonical JSON strings (keys sorted), so that sets compare regardless of order. */
function canonical(yamlText: string): string[] {
  const sortKeys = (v: any): any => Array.isArray(v) ? v.map(sortKeys)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys(v[k])])) : v;
  return parseAllDocuments(yamlText).map(d => d.toJS()).filter(o => o).map(o => JSON.stringify(sortKeys(o))).sort();
}

describe.each(EXAMPLES)('examples/%s', (name) => {
  test('cdk8s synth --format helm: every template passes Go text/template and renders to the plain manifests', () => {
    const chart = path.join(tmp, 'helm', name);
    const res = spawnSync('npx', ['cdk8s', 'synth', '--format', 'helm', '--chart-version', '1.0.0', '--no-check-upgrade', '-o', chart], {
      cwd: path.join(ROOT, 'examples', name), env: { ...process.env, CDK8S_PAAS_QUIET_WARNINGS: '1' }, encoding: 'utf-8',
    });
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.status).toBe(0);
    expect(fs.existsSync(path.join(chart, 'Chart.yaml'))).toBe(true);

    const rendered = path.join(tmp, 'rendered', name);
    fs.mkdirSync(rendered, { recursive: true });
    const go = spawnSync(render, [chart, rendered], { encoding: 'utf-8' });
    expect(go.stderr).toBe('');
    expect(go.status).toBe(0);

    const plain = path.join(tmp, 'plain', name);
    // every file the app writes (manifests, and e.g. kops-cluster's upgrade/ plan), but the
    // kustomize files: no kustomization.yaml, base or overlays (Delivery) in a Helm chart
    // (the synth's own bookkeeping, .cdk8s-paas-*, is listed in the chart's .helmignore)
    const manifests = files(plain).filter(f => path.basename(f) !== 'kustomization.yaml' && !/^(base|overlays)\//.test(f) && !path.basename(f).startsWith('.cdk8s-paas'));
    expect(manifests.filter(f => f.endsWith('.k8s.yaml')).length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(chart, '.helmignore'), 'utf-8')).toMatch(/^\.cdk8s-paas\*$/m);
    expect(files(rendered).filter(f => !path.basename(f).startsWith('.cdk8s-paas'))).toEqual(manifests);
    for (const f of manifests) {
      expect(fs.readFileSync(path.join(rendered, f), 'utf-8')).toBe(fs.readFileSync(path.join(plain, f), 'utf-8'));
    }
  }, 180_000);

  test('kubectl kustomize builds exactly the objects of the plain manifests', () => {
    const plain = path.join(tmp, 'plain', name);
    const objectsIn = (d: string) => fs.readdirSync(path.join(plain, d)).filter(f => f.endsWith('.k8s.yaml'))
      .flatMap(f => canonical(fs.readFileSync(path.join(plain, d, f), 'utf-8'))).sort();
    // every folder of manifests is a kustomization (a Delivery: one per environment, the base, and an overlay per environment)
    const dirs = files(plain).filter(f => path.basename(f) === 'kustomization.yaml').map(f => path.dirname(f));
    const manifestDirs = [...new Set(files(plain).filter(f => f.endsWith('.k8s.yaml') && !f.startsWith('overlays/')).map(f => path.dirname(f)))];
    expect(dirs.filter(d => !d.startsWith('overlays/')).sort()).toEqual(manifestDirs.sort());
    for (const d of dirs) {
      const overlay = /^overlays\/([^/]+)$/.exec(d);
      // an overlay builds its environment's manifests from the base
      const expected = objectsIn(overlay ? overlay[1] : d);
      expect(expected.length).toBeGreaterThan(0);
      const built = execFileSync('kubectl', ['kustomize', path.join(plain, d)], { encoding: 'utf-8' });
      expect(canonical(built)).toEqual(expected);
    }
    if (name === 'delivery') {
      expect(dirs.sort()).toEqual(['base', 'dev', 'overlays/dev', 'overlays/prod', 'overlays/test', 'prod', 'test']);
      // prod differs from the base (dev): namespace, registry, replicas, resources
      expect(fs.readFileSync(path.join(plain, 'overlays', 'prod', 'kustomization.yaml'), 'utf-8')).toContain('/metadata/namespace');
    }
  }, 60_000);
});

test('the check can fail: the plain monitoring manifests, unescaped, are refused by text/template', () => {
  const fake = path.join(tmp, 'unescaped');
  fs.mkdirSync(path.join(fake, 'templates'), { recursive: true });
  const plain = path.join(tmp, 'plain', 'monitoring');
  for (const f of fs.readdirSync(plain)) if (f.endsWith('.k8s.yaml')) fs.copyFileSync(path.join(plain, f), path.join(fake, 'templates', f));
  fs.mkdirSync(path.join(tmp, 'unescaped-out'));
  const go = spawnSync(render, [fake, path.join(tmp, 'unescaped-out')], { encoding: 'utf-8' });
  expect(go.status).toBe(1);
  expect(go.stderr).toContain('undefined variable "$labels"');
});
