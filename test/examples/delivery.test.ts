import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { LOCAL_DIGEST, MANIFESTS_DIR, onecmdbDelivery, REPOSITORY_ROOT } from '../../examples/delivery/main';
import { expectValidGitlabCi } from '../delivery/helpers';
import { expectValidManifests, findObject, synthValid } from '../fixtures/validate';

const DIGEST = `sha256:${'5e'.repeat(32)}`;
const expected: { [env: string]: { registry: string; namespace: string; replicas: number } } = {
  dev: { registry: 'registry.dev.example.com', namespace: 'itil-dev', replicas: 1 },
  test: { registry: 'registry.dev.example.com', namespace: 'itil-test', replicas: 2 },
  prod: { registry: 'registry.prod.example.com', namespace: 'itil', replicas: 4 },
};

test('examples/delivery: onecmdb in dev, test and prod, each strict-valid with its registry, namespace and replicas', () => {
  const delivery = onecmdbDelivery(fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-example-')), DIGEST);
  for (const [env, e] of Object.entries(expected)) {
    const m = synthValid(delivery.chartOf(env));
    const d = findObject(m, 'Deployment', 'onecmdb');
    expect(d.metadata.namespace).toBe(e.namespace);
    expect(d.spec.replicas).toBe(e.replicas);
    const pod = d.spec.template.spec;
    expect(pod.initContainers[0].image).toBe(`${e.registry}/itil/onecmdb-artifacts:1.4.0@${DIGEST}`);
    expect(pod.initContainers[0].command.slice(1, -1)).toEqual(
      ['ROOT.war', 'itil.war', 'onecmdb-itil-1.4.0.war', 'onecmdb-modeller.war'].map(w => `/app_dir/${w}`));
    expect(pod.containers[0].image).toBe('tomcat:9.0');
  }
  expect(findObject(synthValid(delivery.chartOf('prod')), 'Deployment').spec.template.spec.containers[0].resources.limits)
    .toEqual({ cpu: '2000m', memory: '2048Mi' });
});

test('examples/delivery: running it writes three environments to outdir, the pipeline and the Dockerfile to examples/delivery/', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-example-'));
  const outdir = path.join(root, MANIFESTS_DIR);
  onecmdbDelivery(outdir, LOCAL_DIGEST, root).synth();
  expect(fs.readdirSync(outdir).sort()).toEqual(['dev', 'prod', 'test']);
  for (const [env, e] of Object.entries(expected)) {
    const manifests = YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, env, 'onecmdb.k8s.yaml'), 'utf-8')).map(d => d.toJSON());
    expectValidManifests(manifests);
    expect(findObject(manifests, 'Deployment').spec.replicas).toBe(e.replicas);
    expect(findObject(manifests, 'Namespace').metadata.name).toBe(e.namespace);
  }
  const pipelineDir = path.join(root, 'examples', 'delivery');
  expect(fs.readdirSync(pipelineDir).sort()).toEqual(['.gitlab-ci.yml', 'Dockerfile']);
  const pipeline = YAML.parse(fs.readFileSync(path.join(pipelineDir, '.gitlab-ci.yml'), 'utf-8'));
  expectValidGitlabCi(pipeline);
  expect(pipeline.stages).toEqual([
    'analysis', 'compile', 'artifact-image', 'synth', 'deploy-dev', 'deploy-test', 'approve-prod', 'promote-prod', 'deploy-prod',
  ]);
  expect(pipeline['approve-prod'].rules[0].when).toBe('manual');
  expect(pipeline['approve-prod'].allow_failure).toBe(false);
  expect(pipeline['promote-prod'].script).toContain(
    'skopeo copy --all --preserve-digests "docker://registry.dev.example.com/itil/onecmdb-artifacts@$ARTIFACT_DIGEST" "docker://registry.prod.example.com/itil/onecmdb-artifacts:1.4.0"');
  expect(pipeline['deploy-prod'].script[0]).toBe('kubectl config use-context itil/agents:prod');
  expect(pipeline['deploy-prod'].script[1]).toContain('kubectl -n itil rollout undo deployment/onecmdb --to-revision="$rev_0"');
  expect(pipeline.sonarqube.image).toBe('maven:3.9-eclipse-temurin-8');
  expect(fs.readFileSync(path.join(pipelineDir, 'Dockerfile'), 'utf-8').split('\n').filter(l => l && !l.startsWith('#')))
    .toEqual(['FROM busybox:1.36.1', 'COPY *.war /app_dir/']);
});

describe('examples/delivery: the pipeline\'s paths are where the files are in this repository', () => {
  const pipeline = YAML.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, 'examples', 'delivery', '.gitlab-ci.yml'), 'utf-8'));

  test('the committed .gitlab-ci.yml and Dockerfile are what the example generates (else: npm run synth, and commit)', () => {
    expect(onecmdbDelivery(path.join(REPOSITORY_ROOT, MANIFESTS_DIR), LOCAL_DIGEST).driftedFiles()).toEqual([]);
  });

  test('the image build uses the committed Dockerfile', () => {
    const file = /buildah build --file (\S+) /.exec(pipeline['artifact-image'].script.join('\n'))![1];
    expect(file).toBe('examples/delivery/Dockerfile');
    expect(fs.existsSync(path.join(REPOSITORY_ROOT, file))).toBe(true);
  });

  test('the synth job runs what `npm run synth` runs for this example, and deploys from where it writes', () => {
    expect(pipeline.synth.script).toContain('npx ts-node --transpile-only scripts/synth-examples.ts delivery');
    // scripts/synth-examples.ts writes each example to dist/<name>
    expect(fs.readFileSync(path.join(REPOSITORY_ROOT, 'scripts', 'synth-examples.ts'), 'utf-8')).toContain("path.join(root, 'dist')");
    expect(pipeline.synth.script.slice(-3)).toEqual(['test -d dist/delivery/dev', 'test -d dist/delivery/test', 'test -d dist/delivery/prod']);
    expect(pipeline['deploy-test'].script.join('\n')).toContain('kubectl apply --recursive -f dist/delivery/test');
  });

  test('the drift check compares the committed files, and the header names the CI config path to set', () => {
    const check = pipeline['generated-files'].script.join('\n');
    expect(check).toContain('diff -u "$committed/0" examples/delivery/.gitlab-ci.yml');
    expect(check).toContain('diff -u "$committed/1" examples/delivery/Dockerfile');
    expect(fs.readFileSync(path.join(REPOSITORY_ROOT, 'examples', 'delivery', '.gitlab-ci.yml'), 'utf-8'))
      .toContain('(ci_config_path) is examples/delivery/.gitlab-ci.yml');
  });
});
