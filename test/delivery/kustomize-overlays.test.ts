import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parseAllDocuments } from 'yaml';
import { shopDelivery } from './helpers';
import { TomcatApp, TomcatRuntime } from '../../src';
import { EnvironmentChart } from '../../src/delivery';
import { expectValidManifests } from '../fixtures/validate';

const sortKeys = (v: any): any => Array.isArray(v) ? v.map(sortKeys)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys(v[k])])) : v;
const canonical = (objects: any[]) => objects.map(o => JSON.stringify(sortKeys(o))).sort();

test('Delivery kustomization: a base and one overlay per environment that kubectl kustomize builds into each environment\'s objects', () => {
  // GIVEN prod has an object the others lack, and dev one that prod lacks
  const delivery = shopDelivery({
    kustomization: true,
    definition: {
      define: (chart: EnvironmentChart) => {
        new TomcatApp(chart, 'shop', {
          name: 'shop', runtime: TomcatRuntime.of('9.0'), artifacts: [chart.artifact], replicas: chart.environment.replicas, resources: chart.environment.resources,
        });
        const name = chart.environment.name === 'prod' ? 'prod-only' : 'not-in-prod';
        new kplus.ConfigMap(chart, 'extra', { metadata: { name }, data: { on: 'yes', tpl: '{{ x }}' } });
      },
    },
  });
  // WHEN
  delivery.synth();
  // THEN
  const out = delivery.outdir;
  expect(fs.readdirSync(path.join(out, 'overlays')).sort()).toEqual(['dev', 'prod', 'test']);
  expect(fs.readdirSync(path.join(out, 'base')).sort()).toEqual(['kustomization.yaml', 'shop.k8s.yaml']);
  for (const env of ['dev', 'test', 'prod']) {
    const plain = Yaml.load(path.join(out, env, 'shop.k8s.yaml'));
    expectValidManifests(plain);
    const built = parseAllDocuments(execFileSync('kubectl', ['kustomize', path.join(out, 'overlays', env)], { encoding: 'utf-8' })).map(d => d.toJS());
    expect(canonical(built)).toEqual(canonical(plain));
    // and each environment folder is a kustomization of its own
    const own = parseAllDocuments(execFileSync('kubectl', ['kustomize', path.join(out, env)], { encoding: 'utf-8' })).map(d => d.toJS());
    expect(canonical(own)).toEqual(canonical(plain));
  }
  const prod = fs.readFileSync(path.join(out, 'overlays', 'prod', 'kustomization.yaml'), 'utf-8');
  expect(prod).toContain('"$patch":"delete"'); // not-in-prod
  expect(fs.readFileSync(path.join(out, 'overlays', 'prod', 'extra.k8s.yaml'), 'utf-8')).toContain('prod-only');
  expect(fs.readFileSync(path.join(out, 'overlays', 'dev', 'kustomization.yaml'), 'utf-8')).not.toContain('patches');
});

test('Delivery without kustomization writes no kustomize files', () => {
  const delivery = shopDelivery();
  delivery.synth();
  expect(fs.existsSync(path.join(delivery.outdir, 'overlays'))).toBe(false);
  expect(fs.existsSync(path.join(delivery.outdir, 'dev', 'kustomization.yaml'))).toBe(false);
});
