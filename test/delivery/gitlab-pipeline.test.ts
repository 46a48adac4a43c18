import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as YAML from 'yaml';
import { ARTIFACT, DIGEST, expectValidGitlabCi, shopDelivery, tmpdir } from './helpers';
import { TomcatApp, TomcatRuntime, WarArtifact } from '../../src';
import { Environment, EnvironmentChart, GitlabPipeline, IAppDefinition, ImageBuildTool } from '../../src/delivery';
import { gitlabCiSchemaErrors } from '../../src/delivery/gitlab-schema';

const doc = shopDelivery().pipeline.toJson();

test('the pipeline is valid against GitLab\'s CI schema', () => {
  expectValidGitlabCi(doc);
  expect(shopDelivery().pipeline.validate()).toEqual([]);
});

test('the shipped schema is the reference copy', () => {
  const reference = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'gitlab-ci-schema.json');
  if (!fs.existsSync(reference)) return; // CI without shared/: the copy in data/ is what the tests use
  expect(fs.readFileSync(path.join(__dirname, '..', '..', 'data', 'gitlab-ci-schema.json'), 'utf-8'))
    .toEqual(fs.readFileSync(reference, 'utf-8'));
});

test('the library\'s schema check catches what GitLab would refuse', () => {
  expect(gitlabCiSchemaErrors({ ...doc, 'deploy-prod': { ...doc['deploy-prod'], when: 'sometimes' } }).join('\n')).toContain('/deploy-prod');
  expect(gitlabCiSchemaErrors({ ...doc, sonarqube: { ...doc.sonarqube, coverage: '/(unclosed/' } }).join('\n')).toContain('format');
});

test('stages: analysis, compile, image, synth, dev, test, approval, promotion, prod', () => {
  expect(doc.stages).toEqual([
    'analysis', 'compile', 'artifact-image', 'synth', 'deploy-dev', 'deploy-test', 'approve-prod', 'promote-prod', 'deploy-prod',
  ]);
  expect(Object.keys(doc).filter(k => !['stages', 'variables', 'default'].includes(k))).toEqual([
    'sonarqube', 'generated-files', 'compile', 'artifact-image', 'synth', 'deploy-dev', 'deploy-test', 'approve-prod', 'promote-prod', 'deploy-prod',
  ]);
  expect(shopDelivery().pipeline.stages).toEqual(doc.stages);
});

test('analysis: SonarQube with tests and JaCoCo coverage, gated on the quality gate', () => {
  const job = doc.sonarqube;
  expect(job.script[0]).toMatch(/jacoco-maven-plugin:prepare-agent verify .*jacoco-maven-plugin:report .*sonar-maven-plugin:sonar /);
  expect(job.script[0]).toContain('-Dsonar.qualitygate.wait=true');
  expect(job.artifacts.reports.coverage_report).toEqual({ coverage_format: 'jacoco', path: 'target/site/jacoco/jacoco.xml' });
  expect(job.artifacts.reports.junit).toEqual(['target/surefire-reports/TEST-*.xml']);
  expect(shopDelivery({ pipeline: { sonarQualityGate: false } }).pipeline.toJson().sonarqube.script[0]).toContain('-Dsonar.qualitygate.wait=false');
});

test('compile: Maven package, the WARs kept for the image build', () => {
  expect(doc.compile.script).toEqual(['mvn -B -ntp package -DskipTests']);
  expect(doc.compile.artifacts.paths).toEqual(['target/*.war']);
});

test('artifact image: buildah without a daemon, checks the declared WARs, pushes to the first registry and exports the digest', () => {
  const job = doc['artifact-image'];
  expect(job.image).toBe('quay.io/buildah/stable:v1.37');
  expect(job.variables).toEqual({ STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' });
  const script = job.script.join('\n');
  expect(script).toContain('for war in ROOT.war shop.war; do test -f "target/$war"');
  expect(script).toContain('buildah build --file Dockerfile --tag "registry.dev.example.com/shop/shop-wars:2.1.0" target');
  expect(script).toContain('buildah push --digestfile artifact-digest "registry.dev.example.com/shop/shop-wars:2.1.0"');
  expect(script).toContain('echo "ARTIFACT_DIGEST=$(cat artifact-digest)" > artifact.env');
  expect(script).toContain('printf \'%s\' "$DEV_REGISTRY_PASSWORD" | buildah login --username "$DEV_REGISTRY_USER" --password-stdin registry.dev.example.com');
  expect(script).not.toMatch(/docker (build|push)|dind/);
  expect(job.artifacts.reports.dotenv).toBe('artifact.env');
});

test('artifact image with kaniko: the maintained fork by default, any image as a parameter', () => {
  const kaniko = shopDelivery({ pipeline: { imageBuildTool: ImageBuildTool.KANIKO } }).pipeline.toJson()['artifact-image'];
  expectValidGitlabCi(shopDelivery({ pipeline: { imageBuildTool: ImageBuildTool.KANIKO } }).pipeline.toJson());
  expect(kaniko.image).toEqual({ name: 'cgr.dev/chainguard/kaniko:latest-dev', entrypoint: [''] });
  expect(kaniko.script.join('\n')).toContain('executor --context "dir://$CI_PROJECT_DIR/target" --dockerfile "$CI_PROJECT_DIR/Dockerfile" --destination "registry.dev.example.com/shop/shop-wars:2.1.0" --digest-file artifact-digest');
  const fork = shopDelivery({ pipeline: { imageBuildTool: ImageBuildTool.KANIKO, images: { imageBuilder: 'registry.example.com/mirror/kaniko:v1.25.0-debug' } } });
  expect(fork.pipeline.toJson()['artifact-image'].image.name).toBe('registry.example.com/mirror/kaniko:v1.25.0-debug');
});

test('every tool image is a parameter', () => {
  const images = {
    maven: 'm.example.com/maven:1',
    imageBuilder: 'm.example.com/buildah:1',
    node: 'm.example.com/node:1',
    skopeo: 'm.example.com/skopeo:1',
    kubectl: 'm.example.com/kubectl:1',
    approval: 'm.example.com/busybox:1',
  };
  const d = shopDelivery({ pipeline: { images } }).pipeline.toJson();
  const used = (name: string) => (typeof d[name].image === 'string' ? d[name].image : d[name].image.name);
  expect([used('sonarqube'), used('compile'), used('artifact-image'), used('synth'), used('promote-prod'), used('deploy-prod'), used('approve-prod')])
    .toEqual([images.maven, images.maven, images.imageBuilder, images.node, images.skopeo, images.kubectl, images.approval]);
  expect(() => shopDelivery({ pipeline: { images: { kubectl: 'Not An Image' } } }))
    .toThrow('GitlabPipeline: images.kubectl: "Not An Image" is not a valid image reference');
});

test('synth: requires the digest, runs the synth commands, checks every environment folder, keeps the manifests', () => {
  const job = doc.synth;
  expect(job.script).toEqual([
    'test -n "$ARTIFACT_DIGEST"', 'npm ci', 'npx cdk8s synth --no-check-upgrade', 'test -d dist/dev', 'test -d dist/test', 'test -d dist/prod',
  ]);
  expect(job.artifacts.paths).toEqual(['dist']);
});

test('the manual gate: prod only, blocking, before the promotion and the prod deploy', () => {
  const gate = doc['approve-prod'];
  expect(gate.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' }]);
  expect(gate.allow_failure).toBe(false);
  expect(gate.manual_confirmation).toContain('prod');
  expect(gate.environment).toEqual({ name: 'prod', action: 'prepare' });
  expect(doc.stages.indexOf('approve-prod')).toBeLessThan(doc.stages.indexOf('promote-prod'));
  expect(doc.stages.indexOf('deploy-test')).toBeLessThan(doc.stages.indexOf('approve-prod'));
  expect(Object.keys(doc).filter(k => k.startsWith('approve-'))).toEqual(['approve-prod']);
  // nothing else waits for a person
  expect(Object.entries<any>(doc).filter(([k, j]) => k !== 'approve-prod' && JSON.stringify(j.rules ?? []).includes('manual'))).toEqual([]);
});

test('promotion to prod by digest: copied from the dev registry, digest preserved and verified', () => {
  const script: string[] = doc['promote-prod'].script;
  expect(script).toContain(
    'skopeo copy --all --preserve-digests "docker://registry.dev.example.com/shop/shop-wars@$ARTIFACT_DIGEST" "docker://registry.prod.example.com/shop/shop-wars:2.1.0"');
  expect(script).toContain('skopeo inspect --raw "docker://registry.prod.example.com/shop/shop-wars:2.1.0" > promoted-manifest.json');
  expect(script).toContain('test "$(skopeo manifest-digest promoted-manifest.json)" = "$ARTIFACT_DIGEST"');
  // credentials per registry (test shares dev's registry, hence dev's variables)
  expect(script.join('\n')).toContain('"$DEV_REGISTRY_USER" --password-stdin registry.dev.example.com');
  expect(script.join('\n')).toContain('"$PROD_REGISTRY_USER" --password-stdin registry.prod.example.com');
  // test shares dev's registry: nothing to promote
  expect(doc['promote-test']).toBeUndefined();
});

test('deploys: one per environment, in its GitLab environment, one at a time, with rollout status and undo', () => {
  for (const env of ['dev', 'test', 'prod']) {
    const job = doc[`deploy-${env}`];
    expect(job.environment).toEqual({ name: env });
    expect(job.resource_group).toBe(`deploy-${env}`);
    expect(job.interruptible).toBe(false);
    const script = job.script.join('\n');
    const ns = { dev: 'shop-dev', test: 'shop-test', prod: 'shop' }[env];
    expect(script).toContain(`kubectl apply --recursive -f dist/${env} || ok=false`);
    expect(script).toContain(`kubectl -n ${ns} rollout status deployment/shop --timeout=600s || ok=false`);
    expect(script).toContain(`kubectl -n ${ns} rollout undo deployment/shop --to-revision="$rev_0"`);
  }
});

test('the YAML carries a header naming the CI variables to set, and parses back to the document', () => {
  const text = shopDelivery().pipeline.toYaml();
  expect(text).toMatch(/^# Generated by cdk8s-paas/);
  expect(text).toContain('#   DEV_REGISTRY_USER, DEV_REGISTRY_PASSWORD (masked): push/pull on registry.dev.example.com');
  expect(text).toContain('#   PROD_REGISTRY_USER, PROD_REGISTRY_PASSWORD (masked): push/pull on registry.prod.example.com');
  expect(text).not.toContain('TEST_REGISTRY');
  expect(YAML.parse(text)).toEqual(doc);
});

test('options: manifests folder, Dockerfile, WARs folder, tag, deploy rule, synth commands', () => {
  const root = tmpdir();
  const d = shopDelivery({
    repositoryRoot: root,
    pipelineDir: path.join(root, 'docker'),
    pipeline: {
      manifestsDir: 'out/k8s/',
      dockerfile: 'docker/Dockerfile',
      warsDir: 'web/target',
      imageTag: '$CI_COMMIT_TAG',
      deployRule: '$CI_COMMIT_TAG',
      synthCommands: ['npm ci', 'npm run synth'],
    },
  }).pipeline.toJson();
  expectValidGitlabCi(d);
  expect(d.synth.script).toContain('npm run synth');
  expect(d.synth.script).toContain('test -d out/k8s/prod');
  expect(d['deploy-prod'].script.join('\n')).toContain('kubectl apply --recursive -f out/k8s/prod');
  expect(d['artifact-image'].script.join('\n')).toContain('buildah build --file docker/Dockerfile --tag "registry.dev.example.com/shop/shop-wars:$CI_COMMIT_TAG" web/target');
  expect(d.compile.artifacts.paths).toEqual(['web/target/*.war']);
  expect(d['deploy-dev'].rules).toEqual([{ if: '$CI_COMMIT_TAG' }]);
  expect(d['generated-files'].script).toContain('npm run synth');
  expect(d['generated-files'].script.join('\n')).toContain('diff -u "$committed/1" docker/Dockerfile');
});

test('an artifact without a tag is pushed under the commit SHA', () => {
  const artifact = WarArtifact.fromImage('registry.dev.example.com/shop/shop-wars', { wars: ['ROOT.war'] });
  const d = shopDelivery({ artifact }).pipeline.toJson();
  expect(d['promote-prod'].script).toContain(
    'skopeo copy --all --preserve-digests "docker://registry.dev.example.com/shop/shop-wars@$ARTIFACT_DIGEST" "docker://registry.prod.example.com/shop/shop-wars:$CI_COMMIT_SHORT_SHA"');
});

test('a promotion and a gate wherever the environments ask for them', () => {
  const environments = [
    Environment.of({ name: 'dev', registry: 'registry.dev.example.com', namespace: 'shop-dev' }),
    Environment.of({ name: 'staging', registry: 'registry.staging.example.com', namespace: 'shop-stg', approval: true, kubeContext: 'shop/agents:staging' }),
    Environment.of({ name: 'prod', registry: 'registry.prod.example.com', namespace: 'shop', approval: true, rolloutTimeout: Duration.minutes(15) }),
  ];
  const d = shopDelivery({ environments }).pipeline.toJson();
  expectValidGitlabCi(d);
  expect(d.stages.slice(4)).toEqual(['deploy-dev', 'approve-staging', 'promote-staging', 'deploy-staging', 'approve-prod', 'promote-prod', 'deploy-prod']);
  expect(d['promote-prod'].script.join('\n')).toContain('"docker://registry.staging.example.com/shop/shop-wars@$ARTIFACT_DIGEST" "docker://registry.prod.example.com/shop/shop-wars:2.1.0"');
  expect(d['deploy-staging'].script[0]).toBe('kubectl config use-context shop/agents:staging');
  expect(d['deploy-prod'].script.join('\n')).toContain('--timeout=900s');
});

test('GitlabPipeline needs charts with distinct environments', () => {
  expect(() => new GitlabPipeline({ charts: [], artifact: ARTIFACT })).toThrow('GitlabPipeline: charts: [] must name at least one environment chart');
  const [chart] = shopDelivery().charts;
  expect(() => new GitlabPipeline({ charts: [chart, chart], artifact: ARTIFACT })).toThrow('GitlabPipeline: charts: "dev" is an environment name used twice');
});

describe('the deploy script, run against a stub kubectl', () => {
  // GIVEN prod with two Deployments
  const twoApps: IAppDefinition = {
    define(chart: EnvironmentChart) {
      for (const name of ['shop', 'admin']) {
        new TomcatApp(chart, name, { name, runtime: TomcatRuntime.of('9.0'), artifacts: [chart.artifact] });
      }
    },
  };
  const script: string[] = shopDelivery({ definition: twoApps }).pipeline.toJson()['deploy-prod'].script;

  function run(stub: { rev?: string; failStatusOf?: string; failApply?: boolean }): { status: number | null; calls: string[] } {
    const dir = tmpdir();
    const log = path.join(dir, 'calls.log');
    fs.writeFileSync(path.join(dir, 'kubectl'), [
      '#!/bin/sh',
      'echo "$*" >> "$KUBECTL_LOG"',
      'case "$*" in',
      '  *" get deployment/"*) printf "%s" "$STUB_REV" ;;',
      '  *"rollout status deployment/$STUB_FAIL_STATUS "*) [ -n "$STUB_FAIL_STATUS" ] && [ ! -f "$KUBECTL_LOG.undone" ] && exit 1 ;;',
      '  *"rollout undo"*) touch "$KUBECTL_LOG.undone" ;;',
      '  "apply "*) [ "$STUB_FAIL_APPLY" = 1 ] && exit 1 ;;',
      'esac',
      'exit 0',
      '',
    ].join('\n'), { mode: 0o755 });
    const res = spawnSync('sh', ['-e', '-c', script.join('\n')], {
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        KUBECTL_LOG: log,
        STUB_REV: stub.rev ?? '',
        STUB_FAIL_STATUS: stub.failStatusOf ?? '',
        STUB_FAIL_APPLY: stub.failApply ? '1' : '',
      },
      encoding: 'utf-8',
    });
    return { status: res.status, calls: fs.existsSync(log) ? fs.readFileSync(log, 'utf-8').trim().split('\n') : [] };
  }

  test('success: record revisions, apply, wait for each rollout, no undo', () => {
    const { status, calls } = run({ rev: '3' });
    expect(status).toBe(0);
    expect(calls).toEqual([
      '-n shop get deployment/shop --ignore-not-found -o jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      '-n shop get deployment/admin --ignore-not-found -o jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
      'apply --recursive -f dist/prod',
      '-n shop rollout status deployment/shop --timeout=600s',
      '-n shop rollout status deployment/admin --timeout=600s',
    ]);
  });

  test('a failed rollout undoes every Deployment to its recorded revision and fails the job', () => {
    const { status, calls } = run({ rev: '3', failStatusOf: 'admin' });
    expect(status).toBe(1);
    expect(calls.filter(c => c.includes('rollout undo'))).toEqual([
      '-n shop rollout undo deployment/shop --to-revision=3',
      '-n shop rollout undo deployment/admin --to-revision=3',
    ]);
    // and waits for the undo to finish
    expect(calls.slice(-1)[0]).toBe('-n shop rollout status deployment/admin --timeout=600s');
  });

  test('a failed apply undoes too, without waiting for rollouts that never started', () => {
    const { status, calls } = run({ rev: '7', failApply: true });
    expect(status).toBe(1);
    expect(calls.filter(c => c.includes('rollout status'))).toHaveLength(2); // only the waits after the undo
    expect(calls.filter(c => c.includes('rollout undo'))).toHaveLength(2);
  });

  test('a first deploy (no earlier revision) has nothing to undo, and still fails', () => {
    const { status, calls } = run({ failStatusOf: 'shop' });
    expect(status).toBe(1);
    expect(calls.filter(c => c.includes('rollout undo'))).toEqual([]);
  });
});

test('the digest in the manifests is the one the pipeline promotes', () => {
  const d = shopDelivery();
  const prodImages = d.chartOf('prod').containerImages();
  expect(prodImages).toContain(`registry.prod.example.com/shop/shop-wars:2.1.0@${DIGEST}`);
});

test.each([ImageBuildTool.BUILDAH, ImageBuildTool.KANIKO])('every job script is valid POSIX shell (%s)', (imageBuildTool) => {
  const d = shopDelivery({ pipeline: { imageBuildTool } }).pipeline.toJson();
  for (const [name, job] of Object.entries<any>(d)) {
    if (!job.script) continue;
    const res = spawnSync('sh', ['-n', '-c', job.script.join('\n')], { encoding: 'utf-8' });
    expect({ name, status: res.status, stderr: res.stderr }).toEqual({ name, status: 0, stderr: '' });
  }
});
