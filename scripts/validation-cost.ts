// What synth-time validation costs: synthesizes N TomcatApps (default 1000, in
// charts of 100) with PaasApp validation on and off, alternating, and reports
// the median wall time of app.synth() (and of construction + synth) and the
// ratio. The budget is +50% (issue 6).
//
//   npx ts-node --transpile-only scripts/validation-cost.ts [apps=1000] [rounds=5]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { PaasApp, TomcatApp, WarArtifact } from '../src';
import { manifestEntries } from '../src/platform/synth-validation';
import { validateManifests } from '../src/validate/manifest-validator';

const apps = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 5);
const perChart = 100;
process.env.CDK8S_PAAS_QUIET_WARNINGS = '1';

function build(outdir: string, validation: boolean): PaasApp {
  const app = new PaasApp({ outdir, validation });
  const artifact = WarArtifact.fromImage('registry.example.com/team/shop-artifacts:1.0.0', { path: '/app_dir', wars: ['ROOT.war', 'shop.war'] });
  let chart: Chart | undefined;
  for (let i = 0; i < apps; i++) {
    if (i % perChart === 0) chart = new Chart(app, `c${i / perChart}`, { namespace: `team-${i / perChart}` });
    new TomcatApp(chart!, `app-${i}`, { artifacts: [artifact] });
  }
  return app;
}

function once(validation: boolean): { synth: number; total: number; objects: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-cost-'));
  try {
    const t0 = process.hrtime.bigint();
    const app = build(outdir, validation);
    const t1 = process.hrtime.bigint();
    app.synth();
    const t2 = process.hrtime.bigint();
    const objects = app.node.findAll().filter(c => (c as any).kind !== undefined && typeof (c as any).toJson === 'function').length;
    return { synth: Number(t2 - t1) / 1e6, total: Number(t2 - t0) / 1e6, objects };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// warm up: module loading, JIT, and the schemas compiled once per process
once(true);
once(false);
const on: number[] = [];
const off: number[] = [];
const onTotal: number[] = [];
const offTotal: number[] = [];
let objects = 0;
for (let r = 0; r < rounds; r++) {
  const a = once(false);
  const b = once(true);
  off.push(a.synth);
  offTotal.push(a.total);
  on.push(b.synth);
  onTotal.push(b.total);
  objects = b.objects;
}
// the checks alone (schema + removed APIs + Pod Security) on the app's final objects
const entries = manifestEntries(build(os.tmpdir(), false));
const tv0 = process.hrtime.bigint();
const reports = validateManifests(entries);
const checks = Number(process.hrtime.bigint() - tv0) / 1e6;
if (reports.some(r => r.findings.length > 0)) throw new Error('the benchmark app should be valid');

const pct = (x: number, y: number) => `${(((x / y) - 1) * 100).toFixed(1)}%`;
console.log(`${apps} TomcatApps (${objects} ApiObjects), ${rounds} rounds, median ms (the machine's load makes single runs noisy)`);
const min = (xs: number[]) => Math.min(...xs);
console.log(`  app.synth()          off ${median(off).toFixed(0)}  on ${median(on).toFixed(0)}  validation adds ${pct(median(on), median(off))}`
  + ` (fastest runs: off ${min(off).toFixed(0)}, on ${min(on).toFixed(0)}, ${pct(min(on), min(off))})`);
console.log(`  construct + synth    off ${median(offTotal).toFixed(0)}  on ${median(onTotal).toFixed(0)}  validation adds ${pct(median(onTotal), median(offTotal))}`);
console.log(`  the checks alone on the ${entries.length} final objects: ${checks.toFixed(0)} ms (${((checks / median(off)) * 100).toFixed(1)}% of synth without validation)`);
const budget = median(on) <= 1.5 * median(off);
console.log(budget ? '  within the +50% budget' : '  OVER the +50% budget');
process.exitCode = budget ? 0 : 1;
