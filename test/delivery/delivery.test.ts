import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ARTIFACT, DIGEST, SHOP, shopDelivery, threeEnvironments, tmpdir } from './helpers';
import { PodSecurity, PodSecurityLevel, TomcatApp, TomcatRuntime } from '../../src';
import { Delivery, Environment, EnvironmentChart, IAppDefinition, ImageBuildTool } from '../../src/delivery';
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
  const root = tmpdir();
  const delivery = shopDelivery({ definition, repositoryRoot: root });
  // THEN dev and test are fine, prod names the image and both registries
  expect(() => delivery.chartOf('test').toJson()).not.toThrow();
  expect(() => delivery.synth()).toThrow(
    'prod/shop: image: "registry.dev.example.com/shop/shop-wars:2.1.0" comes from registry "registry.dev.example.com" of another environment; environment "prod" pulls from "registry.prod.example.com"');
  expect(fs.readdirSync(root)).toEqual([]);
});

test('synth writes the environments to outdir, the pipeline and the Dockerfile to the repository root by default', () => {
  const root = tmpdir();
  shopDelivery({ repositoryRoot: root }).synth();
  expect(fs.readdirSync(root).sort()).toEqual(['.gitlab-ci.yml', 'Dockerfile', 'dist']);
  expect(fs.readdirSync(path.join(root, 'dist')).sort()).toEqual(['dev', 'prod', 'test']);
  for (const env of ['dev', 'test', 'prod']) expect(fs.readdirSync(path.join(root, 'dist', env))).toEqual(['shop.k8s.yaml']);
  expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf-8')).toContain('COPY *.war /app_dir/');
  const ci = fs.readFileSync(path.join(root, '.gitlab-ci.yml'), 'utf-8');
  expect(ci).toMatch(/^# Generated by cdk8s-paas/);
  expect(ci).not.toContain('ci_config_path'); // the root file is the one GitLab reads by default
});

describe('the pipeline\'s paths are where the files are written', () => {
  // GIVEN a repository whose pipeline files live in ci/ and manifests in build/k8s
  const root = tmpdir();
  const delivery = shopDelivery({ repositoryRoot: root, outdir: path.join(root, 'build', 'k8s'), pipelineDir: path.join(root, 'ci') });
  delivery.synth();
  const ciText = fs.readFileSync(path.join(root, 'ci', '.gitlab-ci.yml'), 'utf-8');
  const ci = YAML.parse(ciText);

  test('the image build uses the written Dockerfile (buildah and kaniko)', () => {
    const build = ci['artifact-image'].script.join('\n');
    const file = /buildah build --file (\S+) /.exec(build)![1];
    expect(file).toBe('ci/Dockerfile');
    expect(fs.readFileSync(path.join(root, file), 'utf-8')).toBe(delivery.dockerfile.render());
    const kaniko = shopDelivery({ repositoryRoot: root, pipelineDir: path.join(root, 'ci'), pipeline: { imageBuildTool: ImageBuildTool.KANIKO } });
    expect(kaniko.pipeline.toJson()['artifact-image'].script.join('\n')).toContain('--dockerfile "$CI_PROJECT_DIR/ci/Dockerfile"');
  });

  test('the synth job checks, and the deploys apply, the folders synth() writes', () => {
    expect(ci.synth.script).toContain('test -d build/k8s/prod');
    expect(ci.synth.artifacts.paths).toEqual(['build/k8s']);
    expect(ci['deploy-dev'].script.join('\n')).toContain('kubectl apply --recursive -f build/k8s/dev');
    expect(fs.existsSync(path.join(root, 'build', 'k8s', 'dev', 'shop.k8s.yaml'))).toBe(true);
  });

  test('a pipeline outside the repository root says where GitLab reads it', () => {
    expect(ciText).toContain('# GitLab reads it only if the project\'s CI/CD configuration file (ci_config_path) is ci/.gitlab-ci.yml.');
    expect(ci['generated-files'].script.join('\n')).toContain('diff -u "$committed/0" ci/.gitlab-ci.yml');
    expect(ci['generated-files'].script.join('\n')).toContain('diff -u "$committed/1" ci/Dockerfile');
  });

  test('explicit pipeline paths must name the written files', () => {
    const ok = shopDelivery({ repositoryRoot: root, pipelineDir: path.join(root, 'ci'), pipeline: { dockerfile: './ci/Dockerfile', ciConfigPath: 'ci/.gitlab-ci.yml' } });
    expect(ok.pipeline.toJson()['artifact-image'].script.join('\n')).toContain('--file ci/Dockerfile');
    expect(() => shopDelivery({ repositoryRoot: root, pipeline: { dockerfile: 'dist/Dockerfile' } })).toThrow(
      'Delivery: pipeline.dockerfile: "dist/Dockerfile" is not where Delivery writes that file ("Dockerfile", from pipelineDir): set pipelineDir instead, or leave pipeline.dockerfile unset');
    expect(() => shopDelivery({ repositoryRoot: root, pipeline: { ciConfigPath: 'ci/.gitlab-ci.yml' } })).toThrow(
      'Delivery: pipeline.ciConfigPath: "ci/.gitlab-ci.yml" is not where Delivery writes that file (".gitlab-ci.yml", from pipelineDir)');
  });
});

describe('drift: the committed pipeline files against what the definition generates', () => {
  test('driftedFiles() names the missing and the changed files', () => {
    const root = tmpdir();
    const delivery = shopDelivery({ repositoryRoot: root });
    const [ci, dockerfile] = ['.gitlab-ci.yml', 'Dockerfile'].map(f => path.join(root, f));
    expect(delivery.driftedFiles()).toEqual([ci, dockerfile]);
    delivery.synth();
    expect(delivery.driftedFiles()).toEqual([]);
    fs.appendFileSync(dockerfile, 'RUN echo edited by hand\n');
    expect(delivery.driftedFiles()).toEqual([dockerfile]);
    // a changed definition changes the pipeline: the committed one has drifted
    const changed = shopDelivery({ repositoryRoot: root, pipeline: { sonarQualityGate: false } });
    expect(changed.driftedFiles()).toEqual([ci, dockerfile]);
    changed.synth();
    expect(changed.driftedFiles()).toEqual([]);
  });

  describe('the generated-files job, run with a stub synth', () => {
    // GIVEN a repository whose synth command copies the generated files from gen/
    function run(committed: { [file: string]: string | undefined }): { status: number | null; stderr: string; stdout: string } {
      const root = tmpdir();
      const delivery = shopDelivery({ repositoryRoot: root, pipelineDir: path.join(root, 'ci'), pipeline: { synthCommands: ['cp gen/.gitlab-ci.yml gen/Dockerfile ci/'] } });
      fs.mkdirSync(path.join(root, 'gen'));
      fs.mkdirSync(path.join(root, 'ci'));
      const generated: { [file: string]: string } = { '.gitlab-ci.yml': delivery.pipeline.toYaml(), 'Dockerfile': delivery.dockerfile.render() };
      for (const [f, text] of Object.entries(generated)) {
        fs.writeFileSync(path.join(root, 'gen', f), text);
        const c = f in committed ? committed[f] : text;
        if (c !== undefined) fs.writeFileSync(path.join(root, 'ci', f), c);
      }
      const job = delivery.pipeline.toJson()['generated-files'];
      expect(job.variables).toEqual({ ARTIFACT_DIGEST: Delivery.PLACEHOLDER_DIGEST });
      const res = spawnSync('sh', ['-e', '-c', job.script.join('\n')], { cwd: root, encoding: 'utf-8' });
      return { status: res.status, stderr: res.stderr, stdout: res.stdout };
    }

    test('up to date: passes', () => {
      expect(run({})).toEqual({ status: 0, stderr: '', stdout: '' });
    });

    test('a stale committed Dockerfile fails the job with the diff', () => {
      const res = run({ Dockerfile: 'FROM busybox:1.35\nCOPY *.war /app_dir/\n' });
      expect(res.status).toBe(1);
      expect(res.stdout).toContain('-FROM busybox:1.35');
      expect(res.stdout).toContain('+FROM busybox:1.36.1');
      expect(res.stderr).toContain('the committed ci/.gitlab-ci.yml and ci/Dockerfile differ from what the definition generates: run the synth and commit them');
    });

    test('an uncommitted Dockerfile fails the job, naming it', () => {
      const res = run({ Dockerfile: undefined });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('ci/Dockerfile is not committed: run the synth and commit it');
    });
  });

  test('driftCheck: false leaves the job out', () => {
    const doc = shopDelivery({ pipeline: { driftCheck: false } }).pipeline.toJson();
    expect(doc['generated-files']).toBeUndefined();
    expect(doc.stages[0]).toBe('analysis');
  });
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

  test('folders outside the repository root', () => {
    const root = tmpdir();
    const elsewhere = tmpdir();
    expect(() => shopDelivery({ repositoryRoot: root, pipelineDir: elsewhere })).toThrow(
      `Delivery: pipelineDir: "${elsewhere}" is outside repositoryRoot "${root}": the pipeline's jobs only see the repository; use a folder inside it`);
    expect(() => shopDelivery({ repositoryRoot: root, outdir: elsewhere })).toThrow(
      `Delivery: outdir: "${elsewhere}" is outside repositoryRoot "${root}": the pipeline's jobs only see the repository; use a folder inside it or set pipeline.manifestsDir to where the pipeline's synth commands write`);
    // with manifestsDir given, a local outdir elsewhere is fine
    expect(shopDelivery({ repositoryRoot: root, outdir: elsewhere, pipeline: { manifestsDir: 'dist' } }).pipeline.toJson().synth.artifacts.paths).toEqual(['dist']);
  });

  test('prod without a digest', () => {
    expect(() => shopDelivery({ artifactDigest: undefined })).toThrow('Environment(prod): artifact.image: "registry.dev.example.com/shop/shop-wars:2.1.0" has no digest');
  });
});

test('Delivery.DIGEST_VARIABLE is the variable the pipeline exports', () => {
  expect(Delivery.DIGEST_VARIABLE).toBe('ARTIFACT_DIGEST');
  expect(Delivery.PLACEHOLDER_DIGEST).toBe(`sha256:${'0'.repeat(64)}`);
});

test('a pipeline GitLab would refuse fails the synth before anything is written', () => {
  const root = tmpdir();
  const delivery = shopDelivery({ repositoryRoot: root });
  jest.spyOn(delivery.pipeline, 'validate').mockReturnValue(['/deploy-prod/when: must be equal to one of the allowed values']);
  expect(() => delivery.synth()).toThrow('Delivery: pipeline: ".gitlab-ci.yml" does not match GitLab\'s CI schema: /deploy-prod/when: must be equal to one of the allowed values');
  expect(fs.readdirSync(root)).toEqual([]);
});
