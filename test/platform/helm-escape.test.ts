import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { OutputFormat, PaasApp, ValidationError } from '../../src';
import { escapeForHelm, escapeGoTemplate, outputFormatOf } from '../../src/platform/helm-escape';
import { buildGoRender } from '../fixtures/go-render';

let dir: string;
let render: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-escape-'));
  render = buildGoRender(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ALERT = 'CPU usage of {{ $labels.instance }} is {{ printf "%.0f" $value }}%';

/** A Helm chart folder: Chart.yaml and an empty templates/ (what `cdk8s synth --format helm` scaffolds). */
function helmChart(name: string): string {
  const chart = path.join(dir, name);
  fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: x\nversion: 1.0.0\n');
  return chart;
}

function alertApp(outdir: string, props: { outputFormat?: OutputFormat } = {}): PaasApp {
  const app = new PaasApp({ outdir, ...props });
  new ApiObject(new Chart(app, 'alerts'), 'cm', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'alerts', annotations: { '{{ key }}': 'x' } }, data: { description: ALERT },
  });
  return app;
}

describe('escapeGoTemplate', () => {
  test('turns each {{ into an action printing it; }} and other text stay', () => {
    expect(escapeGoTemplate('{{ $labels.instance }}')).toBe('{{`{{`}} $labels.instance }}');
    expect(escapeGoTemplate('a }} b { c')).toBe('a }} b { c');
    expect(escapeGoTemplate('{{{')).toBe('{{`{{`}}{');
  });

  test('property: Go text/template renders every escaped string back to the original', () => {
    // strings dense in braces, backticks, quotes, dashes (trim markers) and newlines
    const samples = fc.sample(fc.string({ unit: fc.constantFrom('{', '{{', '{{- ', '}', '}}', ' -}}', '`', '"', '-', ' ', '$', 'a', '\n', '.'), maxLength: 40 }), { numRuns: 300, seed: 17 });
    const chart = helmChart('property');
    samples.forEach((s, i) => fs.writeFileSync(path.join(chart, 'templates', `s${i}`), escapeGoTemplate(s)));
    const out = path.join(dir, 'property-out');
    fs.mkdirSync(out);
    const go = spawnSync(render, [chart, out], { encoding: 'utf-8' });
    expect(go.stderr).toBe('');
    samples.forEach((s, i) => expect(fs.readFileSync(path.join(out, `s${i}`), 'utf-8')).toBe(s));
    expect(samples.filter(s => s.includes('{{')).length).toBeGreaterThan(20); // the property saw what matters
  });
});

describe('escapeForHelm', () => {
  test('escapes strings and keys at any depth; leaves other values and untouched objects as they are', () => {
    const clean = { a: 1, b: ['x', true, null] };
    const m = { metadata: { annotations: { '{{k}}': '{{v}}' } }, spec: { list: [{ s: '{{ x }}' }, 3], clean } };
    const e = escapeForHelm(m);
    expect(e).toEqual({ metadata: { annotations: { '{{`{{`}}k}}': '{{`{{`}}v}}' } }, spec: { list: [{ s: '{{`{{`}} x }}' }, 3], clean } });
    expect(e.spec.clean).toBe(clean);
    expect(escapeForHelm(clean)).toBe(clean);
    expect(m.spec.list[0]).toEqual({ s: '{{ x }}' }); // the input is not modified
  });
});

describe('outputFormatOf', () => {
  const env = process.env.CDK8S_PAAS_OUTPUT;
  afterEach(() => {
    if (env === undefined) delete process.env.CDK8S_PAAS_OUTPUT;
    else process.env.CDK8S_PAAS_OUTPUT = env;
  });

  test('HELM in the templates/ folder of a chart, PLAIN elsewhere; the prop and CDK8S_PAAS_OUTPUT decide first', () => {
    delete process.env.CDK8S_PAAS_OUTPUT;
    const chart = helmChart('detect');
    expect(outputFormatOf(path.join(chart, 'templates'))).toBe(OutputFormat.HELM);
    expect(outputFormatOf(path.join(dir, 'templates'))).toBe(OutputFormat.PLAIN); // no Chart.yaml beside it
    expect(outputFormatOf(chart)).toBe(OutputFormat.PLAIN);
    expect(outputFormatOf(path.join(chart, 'templates'), OutputFormat.PLAIN)).toBe(OutputFormat.PLAIN);
    process.env.CDK8S_PAAS_OUTPUT = 'helm';
    expect(outputFormatOf(path.join(dir, 'dist'))).toBe(OutputFormat.HELM);
    process.env.CDK8S_PAAS_OUTPUT = 'plain';
    expect(outputFormatOf(path.join(chart, 'templates'))).toBe(OutputFormat.PLAIN);
  });

  test('an unknown CDK8S_PAAS_OUTPUT is a ValidationError naming the variable and the value', () => {
    process.env.CDK8S_PAAS_OUTPUT = 'kustomize';
    let err: any;
    try {
      outputFormatOf(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe('environment: CDK8S_PAAS_OUTPUT: "kustomize" is not an output format; use one of "plain", "helm", or leave it unset');
  });
});

describe('PaasApp.synth() for Helm', () => {
  test('into a chart\'s templates/: escaped, and Go text/template renders the plain manifest', () => {
    const chart = helmChart('app');
    alertApp(path.join(chart, 'templates')).synth();
    const plainDir = path.join(dir, 'app-plain');
    alertApp(plainDir).synth();
    const helmText = fs.readFileSync(path.join(chart, 'templates', 'alerts.k8s.yaml'), 'utf-8');
    const plainText = fs.readFileSync(path.join(plainDir, 'alerts.k8s.yaml'), 'utf-8');
    expect(helmText).toContain('CPU usage of {{`{{`}} $labels.instance }}');
    expect(plainText).toContain(ALERT);
    expect(Yaml.load(path.join(plainDir, 'alerts.k8s.yaml'))[0].data.description).toBe(ALERT);
    const out = path.join(dir, 'app-out');
    fs.mkdirSync(out);
    expect(spawnSync(render, [chart, out], { encoding: 'utf-8' }).stderr).toBe('');
    expect(fs.readFileSync(path.join(out, 'alerts.k8s.yaml'), 'utf-8')).toBe(plainText);
  });

  test('outputFormat HELM escapes anywhere; PLAIN never does, even in a chart', () => {
    alertApp(path.join(dir, 'forced'), { outputFormat: OutputFormat.HELM }).synth();
    expect(fs.readFileSync(path.join(dir, 'forced', 'alerts.k8s.yaml'), 'utf-8')).toContain('{{`{{`}} $labels.instance }}');
    const chart = helmChart('plain-in-chart');
    alertApp(path.join(chart, 'templates'), { outputFormat: OutputFormat.PLAIN }).synth();
    expect(fs.readFileSync(path.join(chart, 'templates', 'alerts.k8s.yaml'), 'utf-8')).not.toContain('`');
  });

  test('validation still sees the unescaped objects', () => {
    const app = new PaasApp({ outdir: path.join(dir, 'v'), outputFormat: OutputFormat.HELM });
    const obj = new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { d: ALERT } });
    app.synth();
    expect(obj.toJson().data.d).toBe(ALERT);
  });
});
