import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Yaml } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { OutputFormat, PaasApp } from '../../src';

let dir: string;
const env = process.env.CDK8S_PAAS_KUSTOMIZATION;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kustomization-'));
  delete process.env.CDK8S_PAAS_KUSTOMIZATION;
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (env === undefined) delete process.env.CDK8S_PAAS_KUSTOMIZATION;
  else process.env.CDK8S_PAAS_KUSTOMIZATION = env;
});

function twoCharts(props: { kustomization?: boolean; outputFormat?: OutputFormat } = {}): string {
  const outdir = path.join(dir, 'dist');
  const app = new PaasApp({ outdir, ...props });
  for (const n of ['one', 'two']) {
    new ApiObject(new Chart(app, n), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'ns' }, data: { on: 'yes' } });
  }
  app.synth();
  return outdir;
}

test('kustomization: true writes a kustomization.yaml that kubectl kustomize builds into the same objects', () => {
  const outdir = twoCharts({ kustomization: true });
  const k = Yaml.load(path.join(outdir, 'kustomization.yaml'))[0];
  expect(k).toEqual({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['one.k8s.yaml', 'two.k8s.yaml'] });
  const built = parseAllDocuments(execFileSync('kubectl', ['kustomize', outdir], { encoding: 'utf-8' })).map(d => d.toJS());
  const plain = ['one', 'two'].flatMap(n => Yaml.load(path.join(outdir, `${n}.k8s.yaml`)));
  expect(built).toEqual(expect.arrayContaining(plain));
  expect(built).toHaveLength(2);
  expect(built[0].data.on).toBe('yes'); // kustomize (YAML 1.1) still reads a string
});

test('no kustomization.yaml by default; CDK8S_PAAS_KUSTOMIZATION=true turns it on; never in a Helm chart', () => {
  expect(fs.existsSync(path.join(twoCharts(), 'kustomization.yaml'))).toBe(false);
  process.env.CDK8S_PAAS_KUSTOMIZATION = 'true';
  expect(fs.existsSync(path.join(twoCharts(), 'kustomization.yaml'))).toBe(true);
  fs.rmSync(path.join(dir, 'dist'), { recursive: true });
  expect(fs.existsSync(path.join(twoCharts({ kustomization: true, outputFormat: OutputFormat.HELM }), 'kustomization.yaml'))).toBe(false);
  expect(fs.existsSync(path.join(twoCharts({ kustomization: false }), 'kustomization.yaml'))).toBe(false);
});
