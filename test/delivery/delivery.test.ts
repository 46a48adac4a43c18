import * as fs from 'fs';
import * as path from 'path';
import { ARTIFACT, DIGEST, SHOP, shopDelivery, threeEnvironments, tmpdir } from './helpers';
import { PodSecurity, PodSecurityLevel, TomcatApp, TomcatRuntime } from '../../src';
import { Delivery, Environment, EnvironmentChart, IAppDefinition } from '../../src/delivery';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

describe('one definition, one output per environment', () => {
  const delivery = shopDelivery();
  const out = Object.fromEntries(delivery.charts.map(c => [c.environment.name, synthValid(c)]));

  test('one app and one chart per environment, in promotion order', () => {
    expect(delivery.charts.map(c => c.environment.name)).toEqual(['dev', 'test', 'prod']);
    expect(delivery.apps.map(a => a.outdir)).toEqual(['dev', 'test', 'prod'].map(e => path.join(delivery.outdir, e)));
  });

  test('namespace, replicas and resources are each environment\'s own', () => {
    const expected: any = { dev: ['shop-dev', 1], test: ['shop-test', 2], prod: ['shop', 3] };
    for (const [env, [ns, replicas]] of Object.entries<any>(expected)) {
      const d = findObject(out[env], 'Deployment', 'shop');
      expect(d.metadata.namespace).toBe(ns);
      expect(d.spec.replicas).toBe(replicas);
      for (const kind of ['Service', 'PodDisruptionBudget']) expect(findObject(out[env], kind).metadata.namespace).toBe(ns);
    }
    const prodTomcat = findObject(out.prod, 'Deployment').spec.template.spec.containers[0];
    expect(prodTomcat.resources).toEqual({ requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: '2000m', memory: '2048Mi' } });
    const devTomcat = findObject(out.dev, 'Deployment').spec.template.spec.containers[0];
    expect(devTomcat.resources.limits).toEqual({ cpu: '2000m', memory: '1024Mi' });
  });

  test('the artifact image keeps repository, tag and digest; only the registry changes', () => {
    const images = Object.fromEntries(Object.entries(out).map(([env, m]) =>
      [env, findObject(m, 'Deployment').spec.template.spec.initContainers[0].image]));
    expect(images).toEqual({
      dev: `registry.dev.example.com/shop/shop-wars:2.1.0@${DIGEST}`,
      test: `registry.dev.example.com/shop/shop-wars:2.1.0@${DIGEST}`,
      prod: `registry.prod.example.com/shop/shop-wars:2.1.0@${DIGEST}`,
    });
  });

  test('each output creates its namespace, cluster-scoped, enforcing restricted', () => {
    for (const env of ['dev', 'test', 'prod']) {
      const ns = findObjects(out[env], 'Namespace');
      expect(ns).toHaveLength(1);
      expect(ns[0].metadata.namespace).toBeUndefined();
      expect(ns[0].metadata.name).toBe(delivery.chartOf(env).environment.namespace);
      expect(ns[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(ns[0].metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.27');
    }
  });

  test('chartOf names the environments it knows', () => {
    expect(delivery.chartOf('prod').environment.registry).toBe('registry.prod.example.com');
    expect(() => delivery.chartOf('staging')).toThrow('Delivery: environmentName: "staging" is not an environment of this delivery; environments are dev, test, prod');
  });
});

test('the namespace enforces the least strict level a construct opted into', () => {
  const definition: IAppDefinition = {
    define(chart: EnvironmentChart) {
      SHOP.define(chart);
      PodSecurity.allow(chart.node.findChild('shop'), PodSecurityLevel.BASELINE, 'test: an agent that needs it');
    },
  };
  const m = synthValid(shopDelivery({ definition }).chartOf('dev'), { podSecurity: PodSecurityLevel.BASELINE });
  expect(findObject(m, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
});

test('createNamespace: false leaves the namespace to the platform', () => {
  const environments = [Environment.of({ name: 'dev', registry: 'registry.dev.example.com', namespace: 'shop-dev', createNamespace: false })];
  const m = synthValid(shopDelivery({ environments }).chartOf('dev'));
  expect(findObjects(m, 'Namespace')).toHaveLength(0);
});

test('an image from another environment\'s registry fails the synth, and nothing is written', () => {
  // GIVEN a definition that ignores chart.artifact and hard-codes the dev image
  const definition: IAppDefinition = {
    define(chart: EnvironmentChart) {
      new TomcatApp(chart, 'shop', { runtime: TomcatRuntime.of('9.0'), artifacts: [ARTIFACT] });
    },
  };
  const outdir = tmpdir();
  const delivery = shopDelivery({ definition, outdir });
  // THEN dev and test are fine, prod names the image and both registries
  expect(() => delivery.chartOf('test').toJson()).not.toThrow();
  expect(() => delivery.synth()).toThrow(
    'prod/shop: image: "registry.dev.example.com/shop/shop-wars:2.1.0" comes from registry "registry.dev.example.com" of another environment; environment "prod" pulls from "registry.prod.example.com"');
  expect(fs.readdirSync(outdir)).toEqual([]);
});

test('synth writes every environment, the pipeline and the Dockerfile', () => {
  const outdir = path.join(tmpdir(), 'out');
  shopDelivery({ outdir }).synth();
  expect(fs.readdirSync(outdir).sort()).toEqual(['.gitlab-ci.yml', 'Dockerfile', 'dev', 'prod', 'test']);
  for (const env of ['dev', 'test', 'prod']) expect(fs.readdirSync(path.join(outdir, env))).toEqual(['shop.k8s.yaml']);
  expect(fs.readFileSync(path.join(outdir, 'Dockerfile'), 'utf-8')).toContain('COPY *.war /app_dir/');
  expect(fs.readFileSync(path.join(outdir, '.gitlab-ci.yml'), 'utf-8')).toMatch(/^# Generated by cdk8s-paas/);
});

describe('errors name the field and the value', () => {
  test('no environments', () => {
    expect(() => shopDelivery({ environments: [] })).toThrow('Delivery: environments: [] must name at least one Environment');
  });

  test('the same environment name twice', () => {
    const [dev] = threeEnvironments();
    expect(() => shopDelivery({ environments: [dev, dev] })).toThrow('Delivery: environments[1].name: "dev" is also the name of environments[0]');
  });

  test('a name that is not a DNS label', () => {
    expect(() => shopDelivery({ name: 'Shop' })).toThrow('Delivery: name: "Shop" is not a valid DNS-1123 label');
  });

  test('prod without a digest', () => {
    expect(() => shopDelivery({ artifactDigest: undefined })).toThrow('Environment(prod): artifact.image: "registry.dev.example.com/shop/shop-wars:2.1.0" has no digest');
  });
});

test('Delivery.DIGEST_VARIABLE is the variable the pipeline exports', () => {
  expect(Delivery.DIGEST_VARIABLE).toBe('ARTIFACT_DIGEST');
});

test('a pipeline GitLab would refuse fails the synth before anything is written', () => {
  const outdir = tmpdir();
  const delivery = shopDelivery({ outdir });
  jest.spyOn(delivery.pipeline, 'validate').mockReturnValue(['/deploy-prod/when: must be equal to one of the allowed values']);
  expect(() => delivery.synth()).toThrow('Delivery: pipeline: ".gitlab-ci.yml" does not match GitLab\'s CI schema: /deploy-prod/when: must be equal to one of the allowed values');
  expect(fs.readdirSync(outdir)).toEqual([]);
});
