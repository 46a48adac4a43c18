import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { generateImports } from '../../scripts/gen-imports';
import { IpPool, NetworkPolicy } from '../../src/imports/calico';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../src/imports/monitoring';

const ROOT = path.resolve(__dirname, '..', '..');

describe('generated L1 classes (src/imports)', () => {
  test('the committed files are what `npx projen gen:imports` writes from data/crds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imports-'));
    try {
      const written = generateImports(dir);
      expect(written.map(f => path.basename(f)).sort()).toEqual(['calico.ts', 'monitoring.ts']);
      for (const f of written) {
        const committed = fs.readFileSync(path.join(ROOT, 'src', 'imports', path.basename(f)), 'utf8');
        expect(fs.readFileSync(f, 'utf8') === committed).toBe(true);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('Calico classes speak projectcalico.org/v3, the API the library emits', () => {
    expect(NetworkPolicy.GVK).toEqual({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy' });
    expect(IpPool.GVK).toEqual({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool' });
  });

  test('IPPool natOutgoing is written as the v3 field, not the legacy v1 `nat-outgoing`', () => {
    const chart = new Chart(new App(), 'c');
    const pool = new IpPool(chart, 'p', { metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', natOutgoing: true, disableBgpExport: true } });
    expect(pool.toJson().spec).toEqual({ cidr: '10.0.0.0/16', natOutgoing: true, disableBGPExport: true });
  });

  test('PrometheusRule expressions keep their PromQL text', () => {
    const chart = new Chart(new App(), 'c');
    const rule = new PrometheusRule(chart, 'r', {
      metadata: { name: 'r' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: PrometheusRuleSpecGroupsRulesExpr.fromString('up == 0'), for: '5m' }] }] },
    });
    expect(rule.toJson().spec.groups[0].rules[0]).toEqual({ alert: 'A', expr: 'up == 0', for: '5m' });
  });
});
