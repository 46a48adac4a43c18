// Synthesis benchmark: cdk8s-paas against the same manifests written by hand
// with plain cdk8s-plus-27, with and without synth-time validation.
//
//   npm run bench                      # N = 1, 100, 1000, 3000
//   npm run bench -- --quick           # N = 1, 100, 1000, one repetition
//   npm run bench -- --chart-per-app   # also the one-chart-per-app layout (N = 100, 1000)
//
// Every measurement runs in a fresh child process (bench/worker.ts); module
// load is reported apart from the timed build + synth. Variants alternate, in
// a rotating order, within each repetition. Prints a table and writes
// bench/results/<timestamp>.json.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Sample {
  readonly variant: string;
  readonly n: number;
  readonly loadMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssKb: number;
  readonly rssAfterLoadKb: number;
  readonly files: number;
  readonly bytes: number;
  readonly sha256: string;
}

interface Plan {
  readonly n: number;
  readonly reps: number;
  readonly variants: string[];
}

const MAIN = ['hand', 'ours', 'ours-novalidate'];
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const plans: Plan[] = quick
  ? [1, 100, 1000].map(n => ({ n, reps: 1, variants: MAIN }))
  : [
    { n: 1, reps: 5, variants: MAIN },
    { n: 100, reps: 5, variants: MAIN },
    { n: 1000, reps: 5, variants: MAIN },
    { n: 3000, reps: 3, variants: MAIN },
  ];
if (args.has('--chart-per-app')) {
  for (const n of [100, 1000]) plans.push({ n, reps: 1, variants: ['hand@chart-per-app', 'ours@chart-per-app'] });
}

const root = path.resolve(__dirname, '..');

function measure(variant: string, n: number): Sample {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'worker.ts'), variant, String(n)], {
    cwd: root,
    encoding: 'utf-8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'examples', 'tsconfig.json') },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`worker ${variant} ${n} failed (exit ${r.status}):\n${r.stderr}`);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const loadBefore = os.loadavg();
const started = Date.now();
const samples: Sample[] = [];
let turn = 0;
const totalRuns = plans.reduce((a, p) => a + p.reps * p.variants.length, 0);
for (const plan of plans) {
  for (let rep = 0; rep < plan.reps; rep++) {
    // rotate the order so that no variant always runs first
    const order = plan.variants.map((_, i) => plan.variants[(i + turn) % plan.variants.length]);
    turn++;
    for (const v of order) {
      const s = measure(v, plan.n);
      samples.push(s);
      process.stderr.write(`[${samples.length}/${totalRuns}] ${v.padEnd(20)} N=${String(plan.n).padStart(4)}  ${s.wallMs.toFixed(0).padStart(6)} ms\n`);
    }
  }
}
const loadAfter = os.loadavg();

interface Row {
  readonly variant: string;
  readonly n: number;
  readonly runs: number;
  readonly loadMs: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly wallMs: number;
  readonly minWallMs: number;
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly kbPerApp: number;
  readonly msPerApp: number;
  readonly identical: boolean;
}

const rows: Row[] = [];
for (const plan of plans) {
  for (const v of plan.variants) {
    // every variant must write what the hand-written variant of the same layout writes
    const layout = v.includes('@') ? v.slice(v.indexOf('@')) : '';
    const reference = samples.find(s => s.n === plan.n && s.variant === `hand${layout}`)?.sha256;
    const ss = samples.filter(s => s.variant === v && s.n === plan.n);
    const med = (f: (s: Sample) => number) => median(ss.map(f));
    rows.push({
      variant: v,
      n: plan.n,
      runs: ss.length,
      loadMs: med(s => s.loadMs),
      buildMs: med(s => s.buildMs),
      synthMs: med(s => s.synthMs),
      wallMs: med(s => s.wallMs),
      minWallMs: Math.min(...ss.map(s => s.wallMs)),
      cpuMs: med(s => s.cpuMs),
      peakRssMb: med(s => s.peakRssKb) / 1024,
      kbPerApp: med(s => (s.peakRssKb - s.rssAfterLoadKb) / s.n),
      msPerApp: med(s => s.wallMs) / plan.n,
      identical: ss.every(s => s.sha256 === reference),
    });
  }
}

const row = (v: string, n: number) => rows.find(r => r.variant === v && r.n === n);
const fmt = (x: number | undefined, d = 0) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));

// Table
const header = ['variant', 'N', 'runs', 'load ms', 'build ms', 'synth ms', 'wall ms', 'min wall', 'cpu ms', 'peak MB', 'KB/app', 'ms/app', 'vs hand', 'same output'];
const lines = rows.map(r => {
  const h = row(r.variant.replace(/^ours(-novalidate)?/, 'hand'), r.n);
  return [r.variant, String(r.n), String(r.runs), fmt(r.loadMs), fmt(r.buildMs), fmt(r.synthMs), fmt(r.wallMs), fmt(r.minWallMs), fmt(r.cpuMs),
    fmt(r.peakRssMb, 1), fmt(r.kbPerApp, 1), fmt(r.msPerApp, 3), h && h !== r ? fmt(r.wallMs / h.wallMs, 2) : '', r.identical ? 'yes' : 'NO'];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
const print = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
console.log();
print(header);
print(widths.map(w => '-'.repeat(w)));
lines.forEach(print);

// Against the targets (medians; "after start-up" subtracts the N=1 time)
const wall = (v: string, n: number) => row(v, n)?.wallMs;
const marginal = (v: string, n: number) => {
  const w = wall(v, n);
  const w1 = wall(v, 1);
  return w === undefined || w1 === undefined ? undefined : (w - w1) / (n - 1);
};
const nMax = Math.max(...plans.filter(p => p.variants.includes('ours')).map(p => p.n));
/** ours / hand-written (or on / off) by median wall, minimum wall and median CPU time. */
const ratios = (a: string, b: string, n: number) => {
  const ra = row(a, n);
  const rb = row(b, n);
  return ra && rb ? { wall: ra.wallMs / rb.wallMs, minWall: ra.minWallMs / rb.minWallMs, cpu: ra.cpuMs / rb.cpuMs } : undefined;
};
const showRatios = (x: { wall: number; minWall: number; cpu: number } | undefined) =>
  (x ? `${fmt(x.wall, 2)} (min wall ${fmt(x.minWall, 2)}, cpu ${fmt(x.cpu, 2)})` : '-');
const targets = {
  oursVsHandAt1000: { target: '<= 1.10', ...ratios('ours', 'hand', 1000) },
  oursNoValidationVsHandAt1000: { target: '<= 1.10', ...ratios('ours-novalidate', 'hand', 1000) },
  linearOurs: { target: '<= 1.15', n: nMax, value: (marginal('ours', nMax) ?? NaN) / (marginal('ours', 100) ?? NaN) },
  linearOursNoValidation: { target: '(reference)', n: nMax, value: (marginal('ours-novalidate', nMax) ?? NaN) / (marginal('ours-novalidate', 100) ?? NaN) },
  linearHand: { target: '(reference)', n: nMax, value: (marginal('hand', nMax) ?? NaN) / (marginal('hand', 100) ?? NaN) },
  validationOnVsOffAt1000: { target: '<= 1.5', ...ratios('ours', 'ours-novalidate', 1000) },
  memoryPerAppKb: { target: '<= 150', n: nMax, value: row('ours', nMax)?.kbPerApp ?? NaN },
};
console.log();
console.log('(ratios: median wall time; in brackets the minimum wall time and the median CPU time)');
console.log(`ours / hand-written at N=1000, validation on:    ${showRatios(ratios('ours', 'hand', 1000))}  target <= 1.10`);
console.log(`ours / hand-written at N=1000, validation off:   ${showRatios(ratios('ours-novalidate', 'hand', 1000))}  target <= 1.10`);
console.log(`time per app after start-up, N=${nMax} / N=100:    ${fmt(targets.linearOurs.value, 2)}  target <= 1.15 `
  + `(${fmt(marginal('ours', nMax), 3)} vs ${fmt(marginal('ours', 100), 3)} ms/app; validation off ${fmt(targets.linearOursNoValidation.value, 2)}; `
  + `hand-written ${fmt(targets.linearHand.value, 2)})`);
console.log(`validation on / off at N=1000:                   ${showRatios(ratios('ours', 'ours-novalidate', 1000))}  target <= 1.5`);
console.log(`peak memory per app at N=${nMax} (above load):     ${fmt(targets.memoryPerAppKb.value, 1)} KB  target <= 150`);
const identical = rows.every(r => r.identical);
console.log(`identical output (sha256 of the written files):  ${identical ? 'yes, every variant and N' : 'NO: see the table'}`);
console.log(`load average before / after: ${loadBefore.map(l => l.toFixed(2)).join(' ')} / ${loadAfter.map(l => l.toFixed(2)).join(' ')}; `
  + `${((Date.now() - started) / 1000).toFixed(0)} s in all`);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = path.join(root, 'bench', 'results');
fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `${stamp}.json`);
fs.writeFileSync(file, JSON.stringify({
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    totalMemMb: Math.round(os.totalmem() / 1024 / 1024),
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadAfter,
  },
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  targets,
  rows,
  samples,
}, null, 2));
console.log(`results: ${path.relative(process.cwd(), file)}`);
if (!identical) process.exitCode = 1;
