import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { TomcatApp, TomcatRuntime, WarArtifact } from '../../src';
import { Delivery, DeliveryProps, Environment, EnvironmentChart, IAppDefinition } from '../../src/delivery';

export const DIGEST = `sha256:${'ab'.repeat(32)}`;

export const ARTIFACT = WarArtifact.fromImage('registry.dev.example.com/shop/shop-wars:2.1.0', { wars: ['ROOT.war', 'shop.war'] });

/** dev and test on the dev registry, prod on its own behind an approval. */
export function threeEnvironments(): Environment[] {
  return [
    Environment.of({ name: 'dev', registry: 'registry.dev.example.com', namespace: 'shop-dev', replicas: 1 }),
    Environment.of({ name: 'test', registry: 'registry.dev.example.com', namespace: 'shop-test', replicas: 2 }),
    Environment.of({
      name: 'prod',
      registry: 'registry.prod.example.com',
      namespace: 'shop',
      replicas: 3,
      approval: true,
      resources: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' },
    }),
  ];
}

/** The simplest definition: one TomcatApp with what the environment decides. */
export const SHOP: IAppDefinition = {
  define: (chart: EnvironmentChart) => void new TomcatApp(chart, 'shop', {
    name: 'shop', runtime: TomcatRuntime.of('9.0'), artifacts: [chart.artifact], replicas: chart.environment.replicas, resources: chart.environment.resources,
  }),
};

/**
 * The shop delivery in a fresh repository folder (a temporary one, unless
 * `repositoryRoot` is given): manifests in `<root>/dist`, pipeline files in `<root>`.
 */
export function shopDelivery(props: Partial<DeliveryProps> = {}): Delivery {
  const repositoryRoot = props.repositoryRoot ?? tmpdir();
  return new Delivery({
    name: 'shop',
    definition: SHOP,
    environments: threeEnvironments(),
    artifact: ARTIFACT,
    artifactDigest: DIGEST,
    outdir: path.join(repositoryRoot, 'dist'),
    ...props,
    repositoryRoot,
  });
}

export function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-paas-delivery-'));
}

let gitlabValidator: any;
/**
 * GitLab's CI schema (data/gitlab-ci-schema.json, a copy of
 * shared/reference/gitlab-ci-schema.json), compiled here independently of the
 * library's own check.
 */
export function expectValidGitlabCi(doc: any): void {
  if (!gitlabValidator) {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'data', 'gitlab-ci-schema.json'), 'utf-8'));
    gitlabValidator = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  }
  const ok = gitlabValidator(doc);
  expect(ok ? [] : gitlabValidator.errors).toEqual([]);
  // what the schema does not check: every job runs in a declared stage, with an image and a script
  for (const [name, job] of Object.entries<any>(doc)) {
    if (['stages', 'variables', 'default', 'workflow', 'include'].includes(name)) continue;
    expect({ name, inStages: doc.stages.includes(job.stage) }).toEqual({ name, inStages: true });
    expect(job.script.length).toBeGreaterThan(0);
    expect(job.image).toBeDefined();
  }
}
