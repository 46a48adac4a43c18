// Writes data/validators/k8s-1.27.js: the precompiled (ajv standalone)
// validators of the kinds the library emits most. Run `npx projen gen:validators`
// after changing the Kubernetes definitions, the shipped CRDs or the schema
// options in src/validate/schema.ts; test/validate/precompiled.test.ts fails
// while the committed file is not current.
import * as fs from 'fs';
import { dataPath } from '../src/validate/data';
import { PRECOMPILED_FILE, precompiledValidatorsCode } from '../src/validate/schema';

const file = dataPath(PRECOMPILED_FILE);
const code = precompiledValidatorsCode();
fs.writeFileSync(file, code);
console.log(`wrote ${file} (${Math.round(code.length / 1024)} KB)`);
