import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { InlineVolume, PaasApp, PaasChart, PersistentStorage, TomcatApp, ValidationError, VolumeSource, WarArtifact } from '../../src';
import { formatMillis, isQuantity, parseQuantity } from '../../src/core/quantity';
import { quantityValue } from '../../src/tenancy/quantity';
import { expectValidManifests } from '../fixtures/validate';

const war = () => WarArtifact.fromImage('registry.example.com/shop/wars:1.0', { wars: ['ROOT.war'] });

describe('one quantity grammar: the API server\'s', () => {
  test.each(['1', '1.5Gi', '2G', '1G', '0.5Gi', '500m', '1e3', '1E3', '1E', '+1', '-1', '.5', '5.', '10n', '3u', '1k', '7Ei'])('%s is a quantity', q => {
    expect(isQuantity(q)).toBe(true);
  });
  test.each(['', '1GB', '1K', '1e2.5', '1e', '.', 'e3', '1 Gi', ' 1', '1Gi ', '1e+33m', '1.5.5', 'Gi'])('%j is not a quantity', q => {
    expect(isQuantity(q)).toBe(false);
  });
  test('values in base units', () => {
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('2G')).toBe(2e9);
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1E')).toBe(1e18);
    // the tenancy budget reads quantities with the same grammar
    expect(quantityValue('1.5Gi')).toBe(parseQuantity('1.5Gi'));
    expect(quantityValue('1e2.5')).toBeUndefined();
  });
  test('millis are formatted exactly, never in exponent notation', () => {
    expect(formatMillis(1500)).toBe('1500m');
    expect(formatMillis(2000)).toBe('2');
    expect(formatMillis(BigInt('1' + '0'.repeat(33)))).toBe('1' + '0'.repeat(30));
    expect(isQuantity(formatMillis(1e33))).toBe(true);
  });
});

describe('TomcatResources accepts what the API server accepts and writes it exactly', () => {
  test('1.5Gi, 2G, 1G and a 30-digit CPU reach the manifest unchanged and valid', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'quantity-'));
    const app = new PaasApp({ outdir });
    const chart = new PaasChart(app, 'shop', { namespace: 'shop' });
    const cpu = '1' + '0'.repeat(29);
    new TomcatApp(chart, 'web', { artifacts: [war()], resources: { memoryRequest: '1G', memoryLimit: '1.5Gi', cpuRequest: '0.5', cpuLimit: cpu } });
    new TomcatApp(chart, 'api', { artifacts: [war()], resources: { memoryRequest: '1G', memoryLimit: '2G' } });
    app.synth();
    const docs = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).flatMap(f => yaml.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf-8')).map(d => d.toJS()));
    expectValidManifests(docs);
    const container = (name: string) => docs.find(d => d.kind === 'Deployment' && d.metadata.name === name).spec.template.spec.containers[0];
    // what cdk8s-plus-27 writes exactly stays in its form (0.5 → 500m, 1.5Gi → 1536Mi); the rest as given
    expect(container('web').resources).toEqual({ requests: { cpu: '500m', memory: '1G' }, limits: { cpu, memory: '1536Mi' } });
    expect(container('api').resources.limits.memory).toBe('2G');
    expect(parseQuantity(container('web').resources.limits.memory)).toBe(parseQuantity('1.5Gi'));
    for (const d of docs) expect(JSON.stringify(d)).not.toMatch(/e\+\d+m/);
  });

  test('a request above its limit is still refused in any spelling', () => {
    expect(() => new TomcatApp(Testing.chart(), 'web', { artifacts: [war()], resources: { memoryRequest: '2G', memoryLimit: '1.5Gi' } }))
      .toThrow(/resources\.memoryRequest: "2G" is above the memory limit "1.5Gi"/);
  });
});

describe('capacities and size limits are above zero', () => {
  const source = VolumeSource.nfs({ server: 'nfs.example.com', path: '/export' });
  test.each(['0', '-1Gi', '0Mi'])('capacity %s', capacity => {
    expect(() => new PersistentStorage(Testing.chart(), 'd', { source, capacity })).toThrow(ValidationError);
    expect(() => new PersistentStorage(Testing.chart(), 'd', { source, capacity })).toThrow(`capacity: "${capacity}" must be a quantity above zero`);
  });
  test('emptyDir sizeLimit 0', () => {
    expect(() => new InlineVolume(Testing.chart(), 'v', { source: VolumeSource.emptyDir({ sizeLimit: '-5Mi' }) })).toThrow(/sizeLimit: "-5Mi" must be a quantity above zero/);
  });
  test('0.5Gi capacity is fine', () => {
    expect(() => new PersistentStorage(Testing.chart(), 'd', { source, capacity: '0.5Gi' })).not.toThrow();
  });
});
