// Writes data/k8s/ (the Kubernetes OpenAPI definitions of every minor version,
// descriptions removed: the default version in full, the others as differences
// to it, gzipped; see src/validate/schema-store.ts) and data/crds/kops.k8s.io_*.yaml
// (the kops CRDs, descriptions removed) from the team's reference copies
// (see data/SOURCES.md):
//   npx ts-node --transpile-only scripts/gen-schemas.ts /work/shared/reference
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { dataPath } from '../src/validate/data';
import { compactSchemas, SCHEMA_DIR, withoutDescriptions } from '../src/validate/schema-store';

const reference = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'reference'));
const references: { [minor: string]: { definitions: any; source: string } } = {};
for (const dir of fs.readdirSync(reference).filter(d => /^k8s-\d+\.\d+$/.test(d))) {
  const minor = dir.slice('k8s-'.length);
  references[minor] = {
    definitions: JSON.parse(fs.readFileSync(path.join(reference, dir, '_definitions.json'), 'utf-8')),
    source: `cdk8s-team/cdk8s kubernetes-schemas/v${minor}.0/_definitions.json, descriptions removed`,
  };
}
fs.rmSync(dataPath(SCHEMA_DIR), { recursive: true, force: true });
fs.mkdirSync(dataPath(SCHEMA_DIR), { recursive: true });
for (const [file, content] of Object.entries(compactSchemas(references))) {
  fs.writeFileSync(dataPath(file), content);
  console.log(`data/${file}: ${content.length} bytes`);
}

// kops CRDs: the schemas without descriptions
for (const file of fs.readdirSync(path.join(reference, 'kops-crds')).filter(f => f.endsWith('.yaml')).sort()) {
  const crd = YAML.parse(fs.readFileSync(path.join(reference, 'kops-crds', file), 'utf-8'));
  for (const v of crd.spec.versions) v.schema.openAPIV3Schema = withoutDescriptions(v.schema.openAPIV3Schema);
  const out = `# kubernetes/kops k8s/crds/${file} (see data/SOURCES.md), descriptions removed by scripts/gen-schemas.ts\n${YAML.stringify(crd)}`;
  fs.writeFileSync(dataPath(`crds/${file}`), out);
  console.log(`data/crds/${file}: ${out.length} bytes`);
}
