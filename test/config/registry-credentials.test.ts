import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { baselineChart, chart, errorOf, plainDeployment, podSpec } from './helpers';
import { AppServiceAccount, RegistryCredentials, TomcatApp, TomcatRuntime, WarArtifact } from '../../src';
import { PodSecurityLevel } from '../../src/validate/pod-security';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

beforeAll(() => {
  process.env.TEST_REGISTRY_PASSWORD = 's3cret-token';
});

function dockerConfig(m: any[], name: string): any {
  const s = findObject(m, 'Secret', name);
  expect(s.type).toBe('kubernetes.io/dockerconfigjson');
  return JSON.parse(s.stringData['.dockerconfigjson']);
}

describe('RegistryCredentials', () => {
  test('fromEnv: a kubernetes.io/dockerconfigjson Secret for the registry', () => {
    const c = chart();
    const r = RegistryCredentials.fromEnv(c, 'reg', { name: 'reg', registry: 'registry.example.com:5000', username: 'deployer', passwordVariable: 'TEST_REGISTRY_PASSWORD' });
    expect(r.name).toBe('reg');
    expect(r.registry).toBe('registry.example.com:5000');
    expect(dockerConfig(synthValid(c), 'reg')).toEqual({
      auths: {
        'registry.example.com:5000': {
          username: 'deployer',
          password: 's3cret-token',
          auth: Buffer.from('deployer:s3cret-token').toString('base64'),
        },
      },
    });
  });

  test('fromFile: the password from a file, trailing newline ignored', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reg-')), 'password');
    fs.writeFileSync(file, 'file-token\n');
    const c = chart();
    RegistryCredentials.fromFile(c, 'reg', { name: 'reg', registry: 'registry.example.com', username: 'deployer', passwordFile: file });
    expect(dockerConfig(synthValid(c), 'reg').auths['registry.example.com'].password).toBe('file-token');
    fs.writeFileSync(file, '\n');
    expect(errorOf(() => RegistryCredentials.fromFile(chart(), 'r', { registry: 'registry.example.com', username: 'u', passwordFile: file })))
      .toBe(`test/r: passwordFile: "${file}" is empty; it must hold the password or token`);
    expect(errorOf(() => RegistryCredentials.fromFile(chart(), 'r', { registry: 'registry.example.com', username: 'u', passwordFile: '/nonexistent/pw' })))
      .toMatch(/^test\/r: passwordFile: "\/nonexistent\/pw" cannot be read \(ENOENT\)/);
  });

  test('fromExisting: a reference, nothing synthesized', () => {
    const c = baselineChart();
    const r = RegistryCredentials.fromExisting(c, 'reg', 'corp-registry');
    const d = plainDeployment(c);
    r.addTo(d);
    const m = synthValid(c, { podSecurity: PodSecurityLevel.BASELINE });
    expect(findObjects(m, 'Secret')).toEqual([]);
    expect(podSpec(m).imagePullSecrets).toEqual([{ name: 'corp-registry' }]);
  });

  test('validation', () => {
    delete process.env.TEST_UNSET_PASSWORD;
    expect(errorOf(() => RegistryCredentials.fromEnv(chart(), 'r', { registry: 'registry.example.com', username: 'u', passwordVariable: 'TEST_UNSET_PASSWORD' })))
      .toBe('test/r: passwordVariable: "TEST_UNSET_PASSWORD" is not set (or empty) in the synth environment; export it before synthesizing (in CI, as a masked secret variable)');
    expect(errorOf(() => RegistryCredentials.fromEnv(chart(), 'r', { registry: 'https://registry.example.com/v2', username: 'u', passwordVariable: 'TEST_REGISTRY_PASSWORD' })))
      .toBe('test/r: registry: "https://registry.example.com/v2" is not a registry host: a DNS name or IP with an optional port, no scheme or path (e.g. "registry.example.com:5000")');
    expect(errorOf(() => RegistryCredentials.fromEnv(chart(), 'r', { registry: 'registry.example.com', username: 'a:b', passwordVariable: 'TEST_REGISTRY_PASSWORD' })))
      .toBe('test/r: username: "a:b" is not a registry user name: non-empty, without ":" or whitespace');
    expect(errorOf(() => RegistryCredentials.fromExisting(chart(), 'r', 'Corp_Registry'))).toContain('test/r: name: "Corp_Registry" is not a valid DNS-1123 subdomain');
  });

  test('any number of pull secrets per pod; the one cdk8s-plus-27 takes is kept', () => {
    const c = baselineChart();
    const a = RegistryCredentials.fromEnv(c, 'a', { name: 'a', registry: 'a.example.com', username: 'u', passwordVariable: 'TEST_REGISTRY_PASSWORD' });
    const b = RegistryCredentials.fromEnv(c, 'b', { name: 'b', registry: 'b.example.com', username: 'u', passwordVariable: 'TEST_REGISTRY_PASSWORD' });
    const d = new kplus.Deployment(c, 'd', { metadata: { name: 'd' }, dockerRegistryAuth: kplus.Secret.fromSecretName(c, 'legacy', 'legacy') });
    d.addContainer({ name: 'main', image: 'a.example.com/app:1', securityContext: { user: 1000 } });
    a.addTo(d);
    b.addTo(d);
    a.addTo(d); // once is enough
    const pod = new kplus.Pod(c, 'p', { metadata: { name: 'p' } });
    pod.addContainer({ name: 'main', image: 'a.example.com/app:1', securityContext: { user: 1000 } });
    a.addTo(pod);
    const cron = new kplus.CronJob(c, 'cron', { metadata: { name: 'cron' }, schedule: Cron.daily() });
    cron.addContainer({ name: 'main', image: 'b.example.com/job:1', securityContext: { user: 1000 } });
    b.addTo(cron);
    const m = synthValid(c, { podSecurity: PodSecurityLevel.BASELINE });
    expect(podSpec(m, 'd').imagePullSecrets).toEqual([{ name: 'legacy' }, { name: 'a' }, { name: 'b' }]);
    expect(findObject(m, 'Pod', 'p').spec.imagePullSecrets).toEqual([{ name: 'a' }]);
    expect(findObject(m, 'CronJob', 'cron').spec.jobTemplate.spec.template.spec.imagePullSecrets).toEqual([{ name: 'b' }]);
  });
});

describe('AppServiceAccount', () => {
  test('carries any number of imagePullSecrets and mounts no token by default', () => {
    const c = chart();
    const a = RegistryCredentials.fromEnv(c, 'a', { name: 'a', registry: 'a.example.com', username: 'u', passwordVariable: 'TEST_REGISTRY_PASSWORD' });
    const b = RegistryCredentials.fromExisting(c, 'b', 'b');
    const sa = new AppServiceAccount(c, 'sa', { name: 'shop', imagePullSecrets: [a] });
    sa.addImagePullSecret(b);
    sa.addImagePullSecret(a);
    new AppServiceAccount(c, 'plain', { name: 'plain' });
    new AppServiceAccount(c, 'api', { name: 'api', automountToken: true });
    const m = synthValid(c);
    expect(findObject(m, 'ServiceAccount', 'shop')).toMatchObject({ automountServiceAccountToken: false, imagePullSecrets: [{ name: 'a' }, { name: 'b' }] });
    expect(sa.imagePullSecretNames).toEqual(['a', 'b']);
    const plain = findObject(m, 'ServiceAccount', 'plain');
    expect(plain.automountServiceAccountToken).toBe(false);
    expect(plain.imagePullSecrets).toBeUndefined();
    expect(findObject(m, 'ServiceAccount', 'api').automountServiceAccountToken).toBe(true);
    expect(errorOf(() => new AppServiceAccount(c, 'bad', { name: 'Bad_Name' }))).toContain('test/bad: name: "Bad_Name" is not a valid DNS-1123 subdomain');
  });

  test('TomcatApp takes serviceAccount and imagePullSecrets', () => {
    const c = chart();
    const a = RegistryCredentials.fromEnv(c, 'a', { name: 'a', registry: 'registry.example.com', username: 'u', passwordVariable: 'TEST_REGISTRY_PASSWORD' });
    const b = RegistryCredentials.fromExisting(c, 'b', 'base-images');
    const sa = new AppServiceAccount(c, 'sa', { name: 'shop', imagePullSecrets: [a] });
    new TomcatApp(c, 'shop', {
      runtime: TomcatRuntime.fromImage('registry.example.com/base/tomcat:10.1-corp', { line: '10.1' }),
      artifacts: [WarArtifact.fromImage('registry.example.com/shop/shop-artifacts:2.3.0', { path: '/app_dir', wars: ['ROOT.war'] })],
      serviceAccount: sa,
      imagePullSecrets: [a, b],
    });
    const pod = podSpec(synthValid(c), 'shop');
    expect(pod.serviceAccountName).toBe('shop');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.imagePullSecrets).toEqual([{ name: 'a' }, { name: 'base-images' }]);
  });
});
