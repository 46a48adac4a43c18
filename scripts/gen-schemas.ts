// Writes data/k8s/k8s-<minor>.json.gz (one per Kubernetes version, the OpenAPI
// definitions without descriptions, gzipped) from the team's reference copies
// `<reference>/k8s-<minor>/_definitions.json` (see data/SOURCES.md).
//   npx ts-node --transpile-only scripts/gen-schemas.ts /work/shared/reference
import * as fs from 'fs';
import * as path from 'path';
import { dataPath } from '../src/validate/data';
import { compactSchema, SCHEMA_DIR } from '../src/validate/schema-store';

const reference = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'reference'));
fs.mkdirSync(dataPath(SCHEMA_DIR), { recursive: true });
for (const dir of fs.readdirSync(reference).filter(d => /^k8s-\d+\.\d+$/.test(d)).sort()) {
  const version = dir.slice('k8s-'.length);
  const ref = JSON.parse(fs.readFileSync(path.join(reference, dir, '_definitions.json'), 'utf-8'));
  const source = `cdk8s-team/cdk8s kubernetes-schemas/v${version}.0/_definitions.json, descriptions removed`;
  const file = dataPath(`${SCHEMA_DIR}/k8s-${version}.json.gz`);
  fs.writeFileSync(file, compactSchema(version, ref, source));
  console.log(`${path.relative(process.cwd(), file)}: ${fs.statSync(file).size} bytes`);
}
