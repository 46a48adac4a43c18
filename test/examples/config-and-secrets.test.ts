import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ConfigAndSecretsChart, REQUIRED_ENV } from '../../examples/config-and-secrets/main';
import { modelOf } from '../fixtures/reach';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

const ENV: { [name: string]: string } = {
  DB_USER: 'shop_app',
  DB_PASSWORD: 'example-db-pa55',
  REGISTRY_PASSWORD: 'example-registry-token',
  CDK8S_PAAS_SECRET_HASH_KEY: 'example-test-key-0123456789abcdef0123456789',
};

describe('examples/config-and-secrets', () => {
  let m: any[];
  beforeAll(() => {
    Object.assign(process.env, ENV);
    m = synthValid(new ConfigAndSecretsChart(Testing.app(), 'config-and-secrets'));
  });

  test('Tomcat 10.1 with server.xml from a ConfigMap, mounted as one file', () => {
    const dep = findObject(m, 'Deployment', 'shop');
    const pod = dep.spec.template.spec;
    const tomcat = pod.containers[0];
    expect(tomcat.image).toBe('tomcat:10.1');
    const mount = tomcat.volumeMounts.find((v: any) => v.mountPath === '/usr/local/tomcat/conf/server.xml');
    expect(mount).toMatchObject({ subPath: 'server.xml', readOnly: true });
    expect(pod.volumes.find((v: any) => v.name === mount.name).configMap.name).toBe('shop-tomcat-conf');
    const serverXml = findObject(m, 'ConfigMap', 'shop-tomcat-conf').data['server.xml'];
    expect(serverXml).toBe(fs.readFileSync(path.join(__dirname, '../../examples/config-and-secrets/conf/server.xml'), 'utf-8'));
    // a working server.xml: one HTTP connector on 8080, the port the probes and the Service use
    expect(serverXml.match(/<Connector\b[^>]*>/g)).toEqual([expect.stringContaining('port="8080" protocol="HTTP/1.1"')]);
    expect(serverXml).toContain('<Host name="localhost" appBase="webapps"');
    expect(tomcat.startupProbe.httpGet.port).toBe(8080);
    expect(dep.spec.template.metadata.annotations['cdk8s-paas.io/config-hash']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('settings as an environment variable and as a JVM option; DB credentials from env into a Secret', () => {
    const tomcat = findObject(m, 'Deployment', 'shop').spec.template.spec.containers[0];
    const env = Object.fromEntries(tomcat.env.map((e: any) => [e.name, e]));
    expect(env.SHOP_CURRENCY.valueFrom).toEqual({ configMapKeyRef: { name: 'shop-settings', key: 'currency' } });
    expect(env.SHOP_DB_URL.valueFrom).toEqual({ configMapKeyRef: { name: 'shop-settings', key: 'db.url' } });
    expect(env.CATALINA_OPTS.value).toBe('-Xms256m -Xmx512m -Dshop.db.url=$(SHOP_DB_URL)');
    const names = tomcat.env.map((e: any) => e.name);
    expect(names.indexOf('SHOP_DB_URL')).toBeLessThan(names.indexOf('CATALINA_OPTS'));
    expect(env.DB_USER.valueFrom).toEqual({ secretKeyRef: { name: 'shop-db-credentials', key: 'username' } });
    expect(env.DB_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'shop-db-credentials', key: 'password' } });
    expect(findObject(m, 'Secret', 'shop-db-credentials').stringData).toEqual({ username: ENV.DB_USER, password: ENV.DB_PASSWORD });
    expect(findObject(m, 'Deployment', 'shop').spec.template.metadata.annotations['cdk8s-paas.io/secret-hash']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
  });

  test('the artifact image comes from a private registry with credentials from env', () => {
    const pod = findObject(m, 'Deployment', 'shop').spec.template.spec;
    expect(pod.initContainers[0].image).toBe('registry.example.com/shop/shop-artifacts:2.3.0');
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry-example-com' }]);
    expect(pod.serviceAccountName).toBe('shop');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(findObject(m, 'ServiceAccount', 'shop')).toMatchObject({ automountServiceAccountToken: false, imagePullSecrets: [{ name: 'registry-example-com' }] });
    const auth = JSON.parse(findObject(m, 'Secret', 'registry-example-com').stringData['.dockerconfigjson']).auths['registry.example.com'];
    expect(auth).toMatchObject({ username: 'shop-deployer', password: ENV.REGISTRY_PASSWORD });
  });

  test('every object lives in the shop namespace; the secret values only in Secrets', () => {
    expect(m.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/shop-settings', 'ConfigMap/shop-tomcat-conf', 'Deployment/shop', 'PodDisruptionBudget/shop',
      'Secret/registry-example-com', 'Secret/shop-db-credentials', 'Service/shop', 'ServiceAccount/shop',
    ]);
    for (const o of m) expect(o.metadata.namespace).toBe('shop');
    const nonSecret = JSON.stringify(findObjects(m, 'Deployment').concat(m.filter(o => o.kind !== 'Secret')));
    for (const v of [ENV.DB_PASSWORD, ENV.REGISTRY_PASSWORD, ENV.CDK8S_PAAS_SECRET_HASH_KEY]) expect(nonSecret).not.toContain(v);
  });

  test('it needs its variables: a missing one is named', () => {
    const saved = process.env.DB_PASSWORD;
    delete process.env.DB_PASSWORD;
    try {
      expect(() => new ConfigAndSecretsChart(Testing.app(), 'x')).toThrow('x/database: variables.password: "DB_PASSWORD" is not set (or empty) in the synth environment');
    } finally {
      process.env.DB_PASSWORD = saved;
    }
    expect(REQUIRED_ENV).toEqual(['DB_USER', 'DB_PASSWORD', 'REGISTRY_PASSWORD']);
  });
});

test('examples/config-and-secrets: no NetworkPolicy: the shop is reachable on 8080 from anywhere (reachability model)', () => {
  Object.assign(process.env, ENV);
  const model = modelOf(app => new ConfigAndSecretsChart(app, 'config-and-secrets'));
  expect(model.policies).toEqual([]);
  const v = model.check('net 0.0.0.0/0', 'shop/Deployment/shop', { port: 8080 });
  expect([v.allowed, v.decidedBy]).toEqual([true, ['profile']]);
});
