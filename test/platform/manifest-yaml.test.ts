import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { PaasApp } from '../../src';
import { Environment } from '../../src/delivery';
import { readsAsNonString, renderManifests } from '../../src/platform/manifest-yaml';
import { shopDelivery } from '../delivery/helpers';

// Strings that YAML 1.1 (GitLab's Psych, the yaml package's 1.1 schema) or Go
// (kubectl: sigs.k8s.io/yaml → go-yaml v2) read as something else when unquoted.
const SPECIAL = [
  '0XFF', '0xff', '0o022', '0O17', '0B11', '0b101', '-0b11', '+_1', '1e3_0', '1_000', '0x_1', '08', '017', '+1', '-1', '1.', '.5', '+.5', '1e3',
  'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'nO', 'on', 'On', 'oN', 'off', 'OFF', 'oFf', 'y', 'Y', 'n', 'N', 'true', 'TrUe', 'false', 'fAlSe',
  '~', 'null', 'Null', 'nULL', '', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2002-1-2',
  '1:20', '1:20:30', '1:20.5', '-1:20', '.inf', '.Inf', '-.INF', '+.inf', '.nan', '.NaN', '.NAN', '.iNf',
  '<<', '=', '1,000', '0,7', ':sym', '.',
];
// …and strings that must stay plain-looking strings (sanity: nothing is lost either way)
const ORDINARY = ['500m', '1Gi', 'v1.2.3', 'registry.example.com:5000', 'shop', 'a b', 'yes please', '0x', '_1', '1_a'];

function kubectlJson(file: string): any {
  const r = spawnSync('kubectl', ['annotate', '--local', '-f', file, 'roundtrip=checked', '-o', 'json'], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`kubectl could not read ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-yaml-'));
}

describe('manifests read back identically by kubectl (Go) and a YAML 1.1 parser', () => {
  // label values: what a label value may be (alphanumeric ends)
  const labelValues = SPECIAL.filter(v => /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(v));
  const labels = Object.fromEntries(labelValues.map((v, i) => [`v${i}`, v]));
  // label keys that YAML 1.1 / Go read as booleans or numbers
  for (const k of ['on', 'y', 'no', '0XFF', '1_000', '08']) labels[k] = 'key';
  const annotations = Object.fromEntries([...SPECIAL, ...ORDINARY].map((v, i) => [`a${i}`, v]));
  for (const k of SPECIAL.filter(s => s !== '')) annotations[k] = 'key';
  const data = Object.fromEntries([...SPECIAL, ...ORDINARY].map((v, i) => [`d${i}`, v]));

  let outdir: string;
  let file: string;
  beforeAll(() => {
    outdir = path.join(tmp(), 'dist');
    const app = new PaasApp({ outdir });
    const chart = new Chart(app, 'special');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'special', labels, annotations }, data });
    app.synth();
    file = path.join(outdir, 'special.k8s.yaml');
  });

  test('kubectl decodes the file and sees every label, annotation and value as written', () => {
    const obj = kubectlJson(file);
    expect(obj.metadata.labels).toEqual(labels);
    const { roundtrip, ...rest } = obj.metadata.annotations;
    expect(roundtrip).toBe('checked');
    expect(rest).toEqual(annotations);
    expect(obj.data).toEqual(data);
  });

  test('a YAML 1.1 parser reads back the same strings', () => {
    const [obj] = YAML.parseAllDocuments(fs.readFileSync(file, 'utf-8'), { version: '1.1' }).map(d => d.toJS());
    expect(obj.metadata.labels).toEqual(labels);
    expect(obj.metadata.annotations).toEqual(annotations);
    expect(obj.data).toEqual(data);
  });

  test('ordinary strings stay unquoted (the output is as cdk8s writes it)', () => {
    const text = fs.readFileSync(file, 'utf-8');
    expect(text).toContain('  d' + (SPECIAL.length) + ': 500m\n');
    expect(text).toContain('  d' + (SPECIAL.length + 3) + ': registry.example.com:5000\n');
    expect(text).toContain('  0XFF: key\n'.replace('0XFF', '"0XFF"'));
    for (const v of ORDINARY) expect(readsAsNonString(v)).toBe(false);
  });

  test('fuzz: 3000 strings from a number/boolean-like alphabet round-trip through kubectl and YAML 1.1', () => {
    const alphabet = [...'0123456789abcdefxXoObBeE_+-.:,~ yYnNtTrRuUlLsSfF<='];
    const values = fc.sample(fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 8 }), { numRuns: 3000, seed: 1616 });
    const docs = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fuzz' }, data: Object.fromEntries(values.map((v, i) => [`k${i}`, v])) }];
    const dir = tmp();
    const fuzzFile = path.join(dir, 'fuzz.yaml');
    fs.writeFileSync(fuzzFile, renderManifests(docs));
    expect(kubectlJson(fuzzFile).data).toEqual(docs[0].data);
    expect(YAML.parse(fs.readFileSync(fuzzFile, 'utf-8'), { version: '1.1' }).data).toEqual(docs[0].data);
    // keys too (only those Kubernetes accepts as ConfigMap keys are meaningful, but YAML must keep all)
    const keyed = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keys', annotations: Object.fromEntries(values.map(v => [v, 'x'])) } };
    fs.writeFileSync(fuzzFile, renderManifests([keyed]));
    const { roundtrip, ...back } = kubectlJson(fuzzFile).metadata.annotations;
    expect(back).toEqual(keyed.metadata.annotations);
  });
});

describe('.gitlab-ci.yml reads back identically with YAML 1.1 (GitLab)', () => {
  test('environment names and commands that YAML 1.1 reads as booleans or numbers are quoted', () => {
    const delivery = shopDelivery({
      environments: [
        Environment.of({ name: 'on', registry: 'registry.dev.example.com', namespace: 'no', replicas: 1 }),
        Environment.of({ name: 'y', registry: 'registry.prod.example.com', namespace: 'off' }),
      ],
      pipeline: { synthCommands: ['yes', '1:20', 'npx cdk8s synth'], imageTag: '2001-12-14' },
    });
    const text = delivery.pipeline.toYaml();
    const json = delivery.pipeline.toJson();
    expect(YAML.parse(text, { version: '1.1' })).toEqual(json);
    expect(json['deploy-on'].environment.name).toBe('on');
    expect(text).toContain('name: "on"');
    expect(json.synth.script).toContain('yes');
    expect(text).toContain('- "yes"\n');
  });
});
