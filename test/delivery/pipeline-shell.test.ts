import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { shopDelivery, tmpdir } from './helpers';
import { ValidationError } from '../../src';
import { Environment, ImageBuildTool } from '../../src/delivery';
import { thrown } from '../fixtures/thrown';

/** Every job's script of a generated .gitlab-ci.yml (read as GitLab reads it: YAML 1.1), as one POSIX sh file per job. */
function jobScripts(ciYaml: string): { [job: string]: string } {
  const doc = YAML.parse(ciYaml, { version: '1.1' });
  const out: { [job: string]: string } = {};
  for (const [name, job] of Object.entries<any>(doc)) {
    if (!Array.isArray(job?.script)) continue;
    out[name] = `#!/bin/sh\n${job.script.join('\n')}\n`;
  }
  return out;
}

/** shellcheck's findings (POSIX sh) for each job script, by job; empty when all are clean. */
function shellcheck(ciYaml: string): { [job: string]: string } {
  const dir = tmpdir();
  const findings: { [job: string]: string } = {};
  for (const [job, script] of Object.entries(jobScripts(ciYaml))) {
    const file = path.join(dir, `${job}.sh`);
    fs.writeFileSync(file, script);
    const r = spawnSync('shellcheck', ['--shell=sh', '--format=gcc', file], { encoding: 'utf-8' });
    if (r.error) throw new Error(`shellcheck is not installed (apt-get install shellcheck): ${r.error.message}`);
    if (r.status !== 0) findings[job] = r.stdout + r.stderr;
  }
  return findings;
}

const VARIANTS: { [name: string]: () => string } = {
  'buildah, three environments with approval and promotion': () => shopDelivery().pipeline.toYaml(),
  'kaniko, kube contexts, a tag with CI variables': () => shopDelivery({
    environments: [
      Environment.of({ name: 'dev', registry: 'localhost:5000', namespace: 'shop-dev', kubeContext: 'itil/agents:dev' }),
      Environment.of({ name: 'pre-prod', registry: 'registry.prod.example.com', namespace: 'shop', approval: true, kubeContext: 'itil/agents:prod' }),
    ],
    pipeline: { imageBuildTool: ImageBuildTool.KANIKO, imageTag: 'v1-${CI_PIPELINE_IID}', warsDir: 'build/wars/', manifestsDir: 'out/manifests' },
  }).pipeline.toYaml(),
};

test('the oracle: shellcheck flags a script that would split or run a value', () => {
  expect(Object.keys(shellcheck('job:\n  script:\n    - tag=$1\n    - buildah push registry/app:$tag\n'))).toEqual(['job']);
});

describe.each(Object.keys(VARIANTS))('shellcheck finds nothing in any job script: %s', (name) => {
  test('every job', () => {
    const yaml = VARIANTS[name]();
    expect(Object.keys(jobScripts(yaml)).length).toBeGreaterThan(5);
    expect(shellcheck(yaml)).toEqual({});
  });
});

describe('values that reach a job script are refused unless the shell reads them as data', () => {
  const cases: Array<[string, any]> = [
    ['imageTag', { imageTag: 'v1"; echo pwned #' }],
    ['imageTag', { imageTag: '$(id)' }],
    ['imageTag', { imageTag: '`id`' }],
    ['imageTag', { imageTag: '-v1' }],
    ['warsDir', { warsDir: 'target"; echo pwned #' }],
    ['warsDir', { warsDir: 'target/$(id)' }],
    ['warsDir', { warsDir: '../outside' }],
    ['warsDir', { warsDir: '/abs' }],
    ['manifestsDir', { manifestsDir: 'dist\necho pwned' }],
  ];
  test.each(cases)('%s: %j', (field, pipeline) => {
    const err = thrown(() => shopDelivery({ pipeline }).pipeline.toYaml());
    expect(err).toBeInstanceOf(ValidationError);
    // refused by the pipeline, or earlier by Delivery (warsDir outside the repository)
    const shown = `"${Object.values(pipeline)[0]}"`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(err.message).toMatch(new RegExp(`^(GitlabPipeline|Delivery): (pipeline\\.)?${field}: ${shown}`));
  });

  test('a CI variable as the tag expands inside the script\'s double quotes', () => {
    const doc = YAML.parse(shopDelivery({ pipeline: { imageTag: '$CI_COMMIT_SHORT_SHA' } }).pipeline.toYaml(), { version: '1.1' });
    expect(doc['artifact-image'].script.join('\n')).toContain('--tag "registry.dev.example.com/shop/shop-wars:$CI_COMMIT_SHORT_SHA"');
  });
});
