// One measurement in a fresh process: build N apps with one variant and
// synthesize them (app.synth() into a temporary outdir), then print one JSON
// line: module load time, build and synth wall time, CPU time, peak memory,
// and a fingerprint of the written files (the run compares it across variants).
// Usage: ts-node bench/worker.ts <variant> <N>
import { performance } from 'perf_hooks';
const loadStart = performance.now();
/* eslint-disable import/order */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { VARIANTS } from './variants';
const loadMs = performance.now() - loadStart;

const [variantName, nArg] = process.argv.slice(2);
const variant = VARIANTS[variantName];
const n = Number(nArg);
if (!variant || !Number.isInteger(n) || n < 1) {
  console.error(`usage: worker.ts <${Object.keys(VARIANTS).join('|')}> <N>`);
  process.exit(2);
}
process.env.CDK8S_PAAS_QUIET_WARNINGS = '1';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-paas-bench-${variantName}-`));
const rssAfterLoadKb = Math.round(process.memoryUsage().rss / 1024);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const app = variant(n, outdir);
const t1 = performance.now();
app.synth();
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
const peakRssKb = process.resourceUsage().maxRSS;

// fingerprint of the output, after the timing
const hash = createHash('sha256');
let bytes = 0;
// the manifests only (PaasApp also writes its ownership manifest)
const files = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).sort();
for (const f of files) {
  const data = fs.readFileSync(path.join(outdir, f));
  bytes += data.length;
  hash.update(f).update('\0').update(data);
}
fs.rmSync(outdir, { recursive: true, force: true });

process.stdout.write(JSON.stringify({
  variant: variantName,
  n,
  loadMs,
  buildMs: t1 - t0,
  synthMs: t2 - t1,
  wallMs: t2 - t0,
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRssKb,
  rssAfterLoadKb,
  files: files.length,
  bytes,
  sha256: hash.digest('hex'),
}) + '\n');
