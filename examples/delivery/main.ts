// The onecmdb app delivered through dev, test and prod from one definition:
// `npm run synth` writes the manifests to dist/delivery/{dev,test,prod}/
// (a build output, git-ignored) and the .gitlab-ci.yml that builds, promotes
// and deploys them, with the artifact image's Dockerfile, to examples/delivery/
// (committed: GitLab reads the pipeline, and the image build uses the
// Dockerfile, before the pipeline's synth runs). A GitLab project running this
// example sets its CI/CD configuration file to examples/delivery/.gitlab-ci.yml.
import * as path from 'path';
import {
  Delivery, Environment, EnvironmentChart, IAppDefinition, TomcatApp, TomcatRuntime, WarArtifact,
} from '../../src';

/** The WARs of onecmdb, in the artifact image the pipeline builds (dev registry). */
export const ONECMDB_ARTIFACT = WarArtifact.fromImage('registry.dev.example.com/itil/onecmdb-artifacts:1.4.0', {
  path: '/app_dir',
  wars: ['ROOT.war', 'itil.war', 'onecmdb-itil-1.4.0.war', 'onecmdb-modeller.war'],
});

/**
 * The digest a local synth pins when no pipeline hands one over
 * (`ARTIFACT_DIGEST`): a stand-in, so that prod (which requires a digest)
 * can be synthesized on a laptop.
 */
export const LOCAL_DIGEST = 'sha256:4f1c0c8e2a1d6b7e9f3a5c2d8b6e4a1f0c9d7b5a3e1f2c4d6b8a0e9f7c5d3b1a';

/** dev and test share the dev registry; prod has its own and a manual approval. */
export const ONECMDB_ENVIRONMENTS = [
  Environment.of({
    name: 'dev',
    registry: 'registry.dev.example.com',
    namespace: 'itil-dev',
    replicas: 1,
    resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '768Mi' },
  }),
  Environment.of({
    name: 'test',
    registry: 'registry.dev.example.com',
    namespace: 'itil-test',
    replicas: 2,
  }),
  Environment.of({
    name: 'prod',
    registry: 'registry.prod.example.com',
    namespace: 'itil',
    replicas: 4,
    resources: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' },
    approval: true,
    kubeContext: 'itil/agents:prod',
  }),
];

/** The onecmdb app, the same in every environment but for what the environment decides. */
export class OnecmdbDefinition implements IAppDefinition {
  public define(chart: EnvironmentChart): void {
    new TomcatApp(chart, 'onecmdb', {
      name: 'onecmdb',
      // onecmdb's WARs use javax.servlet: Tomcat 9 is the supported javax line
      runtime: TomcatRuntime.of('9.0'),
      artifacts: [chart.artifact],
      replicas: chart.environment.replicas,
      resources: chart.environment.resources,
      healthCheckPath: '/itil/',
      catalinaOpts: '-XX:MaxRAMPercentage=75',
    });
  }
}

/** This repository's root: the pipeline's paths are relative to it. */
export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

/** Where the manifests go in the pipeline: what `npm run synth` (scripts/synth-examples.ts) writes for this example. */
export const MANIFESTS_DIR = 'dist/delivery';

/**
 * The delivery of onecmdb: manifests into `outdir`, deploying the artifact
 * image `digest`; the pipeline files into `<repositoryRoot>/examples/delivery/`.
 */
export function onecmdbDelivery(outdir: string, digest: string, repositoryRoot: string = REPOSITORY_ROOT): Delivery {
  return new Delivery({
    name: 'onecmdb',
    definition: new OnecmdbDefinition(),
    environments: ONECMDB_ENVIRONMENTS,
    artifact: ONECMDB_ARTIFACT,
    artifactDigest: digest,
    outdir,
    repositoryRoot,
    pipelineDir: path.join(repositoryRoot, 'examples', 'delivery'),
    pipeline: {
      images: { maven: 'maven:3.9-eclipse-temurin-8' },
      // fixed, so that a `cdk8s synth` in this folder (manifests in ./dist) generates the same pipeline
      manifestsDir: MANIFESTS_DIR,
      synthCommands: ['npm ci', 'npx ts-node --transpile-only scripts/synth-examples.ts delivery'],
    },
  });
}

if (require.main === module) {
  onecmdbDelivery(process.env.CDK8S_OUTDIR ?? MANIFESTS_DIR, process.env[Delivery.DIGEST_VARIABLE] ?? LOCAL_DIGEST).synth();
}
