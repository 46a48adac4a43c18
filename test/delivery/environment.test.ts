import { Duration } from 'cdk8s';
import { DIGEST } from './helpers';
import { ServletApi, TomcatRuntime, WarArtifact } from '../../src';
import { Environment } from '../../src/delivery';

const prod = () => Environment.of({ name: 'prod', registry: 'registry.prod.example.com', namespace: 'itil', approval: true });
const dev = () => Environment.of({ name: 'dev', registry: 'registry.dev.example.com:5000', namespace: 'itil-dev' });

describe('Environment.of', () => {
  test('defaults: 2 replicas, no approval, digest not required, 10 minute rollouts, namespace created', () => {
    const e = dev();
    expect(e.replicas).toBe(2);
    expect(e.approval).toBe(false);
    expect(e.requireDigest).toBe(false);
    expect(e.rolloutTimeout.toSeconds()).toBe(600);
    expect(e.createNamespace).toBe(true);
    expect(e.kubeContext).toBeUndefined();
    expect(e.resources).toBeUndefined();
  });

  test('an environment behind an approval requires digests unless told otherwise', () => {
    expect(prod().requireDigest).toBe(true);
    expect(Environment.of({ name: 'p', registry: 'r.example.com', namespace: 'p', approval: true, requireDigest: false }).requireDigest).toBe(false);
  });

  test('variablePrefix: upper case, "-" becomes "_"', () => {
    expect(Environment.of({ name: 'pre-prod', registry: 'r.example.com', namespace: 'x' }).variablePrefix).toBe('PRE_PROD');
  });

  test.each([
    ['name', { name: 'Prod', registry: 'r.example.com', namespace: 'x' }, 'Environment(Prod): name: "Prod" is not a valid DNS-1123 label'],
    ['namespace', { name: 'prod', registry: 'r.example.com', namespace: 'itil_prod' }, 'Environment(prod): namespace: "itil_prod" is not a valid DNS-1123 label'],
    ['registry with a scheme', { name: 'prod', registry: 'https://r.example.com', namespace: 'x' }, 'Environment(prod): registry: "https://r.example.com" is not a registry host'],
    ['registry with a path', { name: 'prod', registry: 'r.example.com/itil', namespace: 'x' }, 'Environment(prod): registry: "r.example.com/itil" is not a registry host'],
    ['registry without a dot (a Docker Hub namespace)', { name: 'prod', registry: 'registry', namespace: 'x' }, 'Environment(prod): registry: "registry" is not a registry host'],
    ['replicas', { name: 'prod', registry: 'r.example.com', namespace: 'x', replicas: -1 }, 'Environment(prod): replicas: -1 must be an integer from 0 to 10000'],
    ['kubeContext', { name: 'prod', registry: 'r.example.com', namespace: 'x', kubeContext: 'a b' }, 'Environment(prod): kubeContext: "a b" is not a kubectl context name'],
    ['rolloutTimeout', { name: 'prod', registry: 'r.example.com', namespace: 'x', rolloutTimeout: Duration.millis(10) }, 'Environment(prod): rolloutTimeout: "10ms" must be at least one second'],
  ])('rejects a bad %s, naming the field and the value', (_what, props, message) => {
    expect(() => Environment.of(props as any)).toThrow(message);
  });

  test('accepts localhost and an IPv4 registry with a port', () => {
    expect(Environment.of({ name: 'a', registry: 'localhost', namespace: 'a' }).registry).toBe('localhost');
    expect(Environment.of({ name: 'a', registry: '10.0.0.5:5000', namespace: 'a' }).registry).toBe('10.0.0.5:5000');
  });
});

describe('Environment.image', () => {
  test('only the registry changes: repository, tag and digest are kept', () => {
    expect(prod().image(`registry.dev.example.com:5000/itil/app:1.4.0@${DIGEST}`)).toBe(`registry.prod.example.com/itil/app:1.4.0@${DIGEST}`);
    expect(dev().image('registry.prod.example.com/itil/app:1.4.0')).toBe('registry.dev.example.com:5000/itil/app:1.4.0');
  });

  test('an image without a registry (Docker Hub) gets the environment registry in front of its path', () => {
    expect(prod().image('tomcat:9.0')).toBe('registry.prod.example.com/tomcat:9.0');
    expect(prod().image('bitnami/tomcat:9.0')).toBe('registry.prod.example.com/bitnami/tomcat:9.0');
    expect(prod().image('localhost/app')).toBe('registry.prod.example.com/app');
  });

  test('rejects an invalid image reference', () => {
    expect(() => prod().image('Registry/App')).toThrow('Environment(prod): image: "Registry/App" is not a valid image reference');
  });
});

describe('Environment.artifact', () => {
  const artifact = WarArtifact.fromImage('registry.dev.example.com/itil/wars:1.4.0', { wars: ['ROOT.war', 'itil.war'], path: '/wars', servletApi: ServletApi.JAVAX });

  test('moves the artifact to the registry and pins the digest, keeping WARs, path and servlet API', () => {
    const a = prod().artifact(artifact, DIGEST);
    expect(a.image).toBe(`registry.prod.example.com/itil/wars:1.4.0@${DIGEST}`);
    expect(a.wars).toEqual(['ROOT.war', 'itil.war']);
    expect(a.path).toBe('/wars');
    expect(a.servletApi).toBe(ServletApi.JAVAX);
  });

  test('keeps a digest already pinned in the image; the same digest given again is fine', () => {
    const pinned = WarArtifact.fromImage(`registry.dev.example.com/itil/wars@${DIGEST}`, { wars: ['ROOT.war'] });
    expect(prod().artifact(pinned).image).toBe(`registry.prod.example.com/itil/wars@${DIGEST}`);
    expect(prod().artifact(pinned, DIGEST).image).toBe(`registry.prod.example.com/itil/wars@${DIGEST}`);
  });

  test('an environment that does not require digests takes a tag', () => {
    expect(dev().artifact(artifact).image).toBe('registry.dev.example.com:5000/itil/wars:1.4.0');
  });

  test('an environment that requires digests refuses an artifact without one', () => {
    expect(() => prod().artifact(artifact)).toThrow(
      'Environment(prod): artifact.image: "registry.dev.example.com/itil/wars:1.4.0" has no digest, and environment "prod" runs only images pinned by digest');
  });

  test('rejects a malformed digest and one that contradicts the pinned digest', () => {
    expect(() => prod().artifact(artifact, 'sha256:abc')).toThrow('Environment(prod): digest: "sha256:abc" is not an image digest');
    const pinned = WarArtifact.fromImage(`registry.dev.example.com/itil/wars@${DIGEST}`, { wars: ['ROOT.war'] });
    const other = `sha256:${'cd'.repeat(32)}`;
    expect(() => prod().artifact(pinned, other)).toThrow(`Environment(prod): digest: "${other}" differs from the digest "${DIGEST}" already pinned`);
  });
});

describe('Environment.runtime', () => {
  test('pulls the base image from the environment registry and keeps what the runtime knows', () => {
    const r = prod().runtime(TomcatRuntime.of('8.5', { user: 12345 }));
    expect(r.image).toBe('registry.prod.example.com/tomcat:8.5');
    expect(r.user).toBe(12345);
    expect(r.line).toBe('8.5');
    expect(r.endOfLife).toBe('2024-03-31');
    expect(r.catalinaHome).toBe('/usr/local/tomcat');
  });
});
