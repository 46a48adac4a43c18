// Synthesizes every example app (examples/<name>/main.ts) into dist/<name>/,
// each in its own process so that apps stay independent, and prints where the
// manifests went. Exits non-zero when any example fails.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const only = process.argv.slice(2);
const names = fs.readdirSync(examplesDir)
  .filter(n => fs.existsSync(path.join(examplesDir, n, 'main.ts')))
  .filter(n => only.length === 0 || only.includes(n))
  .sort();

let failed = 0;
for (const name of names) {
  // CDK8S_PAAS_DIST moves the whole output (tests synthesize into a temp folder)
  const outdir = path.join(process.env.CDK8S_PAAS_DIST ?? path.join(root, 'dist'), name);
  const res = spawnSync(process.execPath, [
    require.resolve('ts-node/dist/bin.js'), '-P', path.join(examplesDir, 'tsconfig.json'), '--transpile-only',
    path.join(examplesDir, name, 'main.ts'),
  ], { cwd: root, env: { ...process.env, CDK8S_OUTDIR: outdir }, stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) {
    failed++;
    console.error(`✗ ${name}: synthesis failed (exit ${res.status})`);
    continue;
  }
  const files = listYaml(outdir);
  console.log(`✓ ${name}: ${files.length} manifest file(s) in ${path.relative(root, outdir)}/`);
  for (const f of files) console.log(`    ${path.relative(root, f)}`);
}
if (failed > 0) {
  console.error(`${failed} example(s) failed`);
  process.exit(1);
}

function listYaml(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listYaml(p);
    return e.name.endsWith('.yaml') || e.name.endsWith('.yml') ? [p] : [];
  }).sort();
}
