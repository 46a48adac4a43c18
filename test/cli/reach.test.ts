import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { ReachModel } from '../../src/reach';
import { readManifests } from '../fixtures/reach';

const root = path.resolve(__dirname, '..', '..');
const examples = fs.readdirSync(path.join(root, 'examples')).filter(n => fs.existsSync(path.join(root, 'examples', n, 'main.ts'))).sort();

/** Every example's output: dist/ as `npm run synth` leaves it (CI runs it before the tests), else synthesized into a temporary folder. */
function distOfExamples(): string {
  const dist = path.join(root, 'dist');
  if (examples.every(e => fs.existsSync(path.join(dist, e)))) return dist;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-dist-'));
  const synth = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '-P', 'examples/tsconfig.json', '--transpile-only', 'scripts/synth-examples.ts'], {
    cwd: root, env: { ...process.env, CDK8S_PAAS_DIST: tmp, CDK8S_PAAS_QUIET_WARNINGS: '1' }, encoding: 'utf-8',
  });
  if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
  return tmp;
}

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, { stdout: s => { out += s; }, stderr: s => { err += s; } });
  return { code, out, err };
}

const key = (e: { source: string; destination: string; port?: number | string; protocol: string }) =>
  `${e.source} -> ${e.destination} ${e.port ?? '*'}/${e.protocol}`;

const dist = distOfExamples();

describe('cdk8s-paas reach', () => {
  test.each(examples)('%s: json and text reports are the model of the output', name => {
    const dir = path.join(dist, name);
    const model = ReachModel.fromManifests(readManifests(dir));
    const json = run(['reach', dir, '--format', 'json']);
    expect(json.err).toBe('');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out);
    expect(report.edges.map(key).sort()).toEqual(model.edges().map(key).sort());
    expect(report.endpoints.map((e: any) => e.id)).toEqual(model.endpoints.map(e => e.id));
    const text = run(['reach', dir]);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`${model.edges().length} allowed connections between ${model.endpoints.length} endpoints`);
    for (const e of model.edges()) expect(text.out).toContain(`  ${key(e)}  [${e.policies.join(' + ')}]`);
  });

  test('usage errors', () => {
    expect(run(['reach']).code).toBe(2);
    expect(run(['reach', 'x', '--format', 'pdf']).err).toContain('--format: "pdf" is not a format: expected text, json or html');
    expect(run(['reach', 'x', '--colour']).err).toContain('unknown option "--colour"');
    expect(run(['reach', '--help']).out).toContain('usage: cdk8s-paas reach <files|dirs|->... [--format text|json|html] [--output FILE]');
    const missing = run(['reach', path.join(os.tmpdir(), 'no-such-file.yaml')]);
    expect(missing.code).toBe(1);
  });
});

describe('cdk8s-paas reach --format html in headless Chromium', () => {
  const chromium = ['chromium', '/usr/bin/chromium', 'chromium-browser'].find(c => spawnSync(c, ['--version']).status === 0);

  function browser(args: string[]): string {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-chromium-'));
    try {
      const res = spawnSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', `--user-data-dir=${profile}`, ...args], { encoding: 'utf-8', timeout: 60_000 });
      if (res.status !== 0) throw new Error(`chromium failed (${res.status}): ${res.stderr}`);
      return res.stdout;
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }

  test('Chromium is installed (.ci/run installs Debian\'s chromium)', () => {
    expect(chromium).toBeDefined();
  });

  // the two examples with network policies (the others are covered by the json/text test above)
  test.each(['network-isolation', 'private-paas'])('%s: the page renders, without network access, and its edges are the model\'s', name => {
    const dir = path.join(dist, name);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-html-'));
    const file = path.join(tmp, 'reach.html');
    expect(run(['reach', dir, '--format', 'html', '--output', file]).code).toBe(0);
    const html = fs.readFileSync(file, 'utf-8');
    // self-contained: no external resources
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const dom = browser(['--dump-dom', `file://${file}`]);
    const drawn = [...dom.matchAll(/<g class="edge[^"]*" data-source="([^"]*)" data-destination="([^"]*)" data-port="([^"]*)" data-protocol="([^"]*)"/g)]
      .map(m => key({ source: unescape(m[1]), destination: unescape(m[2]), port: m[3], protocol: m[4] }));
    const model = ReachModel.fromManifests(readManifests(dir));
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.sort()).toEqual(model.edges().map(key).sort());
    expect(dom).toContain(`data-rendered="${model.edges().length}"`);
    for (const e of model.endpoints) expect(dom).toContain(`data-id="${escape(e.id)}"`);
    const png = path.join(tmp, 'reach.png');
    browser(['--hide-scrollbars', '--window-size=1240,1000', `--screenshot=${png}`, `file://${file}`]);
    const bytes = fs.readFileSync(png);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(20_000);
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 120_000);
});

function unescape(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
