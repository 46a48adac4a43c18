import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { hand, Layout, ours } from '../../bench/variants';
import { expectValidManifests, findObject } from '../fixtures/validate';

// The benchmark compares cdk8s-paas with plain cdk8s-plus-27 only because
// both produce the same bytes: this test is what makes the ratio honest.

function synthFiles(app: App): { [file: string]: string } {
  const outdir = (app as any).outdir as string;
  app.synth();
  const out: { [file: string]: string } = {};
  // the ownership manifest of PaasApp's atomic output is not a manifest
  for (const f of fs.readdirSync(outdir).filter(n => n !== '.cdk8s-paas-owned').sort()) out[f] = fs.readFileSync(path.join(outdir, f), 'utf-8');
  return out;
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bench-identical-'));
}

describe.each<[string, Layout]>([
  ['one chart', {}],
  ['one chart per app', { chartPerApp: true }],
])('benchmark variants, %s, N=3', (_name, layout) => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tmp();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

  test('cdk8s-paas (validation on and off) and hand-written cdk8s-plus-27 write byte-identical files', () => {
    // WHEN
    const handFiles = synthFiles(hand(3, dir(), layout));
    const oursFiles = synthFiles(ours(3, dir(), true, layout));
    const oursNoValidation = synthFiles(ours(3, dir(), false, layout));

    // THEN
    expect(Object.keys(handFiles)).toHaveLength(layout.chartPerApp ? 3 : 1);
    expect(oursFiles).toEqual(handFiles);
    expect(oursNoValidation).toEqual(handFiles);
    expect(ours(3, dir(), true, layout).synthYaml()).toEqual(hand(3, dir(), layout).synthYaml());
  });

  test('the manifests are valid and hold what each app is made of', () => {
    const docs = YAML.parseAllDocuments(ours(3, dir(), true, layout).synthYaml()).map(d => d.toJSON());
    expectValidManifests(docs);
    expect(docs.map(d => d.kind)).toEqual(Array(3).fill(['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy', 'ConfigMap', 'Secret']).flat());
    const deployment = findObject(docs, 'Deployment', 'app2');
    expect(deployment.metadata.namespace).toBe('team-2');
    const annotations = deployment.spec.template.metadata.annotations;
    expect(annotations['cdk8s-paas.io/config-hash']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(annotations['cdk8s-paas.io/secret-hash']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const tomcat = deployment.spec.template.spec.containers[0];
    expect(tomcat.envFrom).toEqual([{ configMapRef: { name: 'app2-config' } }]);
    expect(tomcat.env[0]).toEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'app2-db' } } });
    expect(findObject(docs, 'NetworkPolicy', 'app2-allow-0').spec.selector)
      .toBe(`cdk8s.io/metadata.addr == "${deployment.spec.selector.matchLabels['cdk8s.io/metadata.addr']}"`);
    expect(findObject(docs, 'PodDisruptionBudget', 'app2').spec.maxUnavailable).toBe(1);
    expect(findObject(docs, 'Secret', 'app2-db').stringData).toEqual({ password: 's3cret-2' });
  });
});
