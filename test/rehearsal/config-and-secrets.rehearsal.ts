// The config-and-secrets example for real: conf/server.xml from its ConfigMap
// (by subPath) is the file Tomcat reads, and a ConfigMap value reaches the JVM
// through $(VAR) expansion into CATALINA_OPTS.
import { Testing } from 'cdk8s';
import { defaultImageTable, noSevereTomcatLines, withPod } from './harness';
import { ConfigAndSecretsChart, REQUIRED_ENV } from '../../examples/config-and-secrets/main';
import { synthValid } from '../fixtures/validate';

for (const v of REQUIRED_ENV) process.env[v] = process.env[v] ?? `rehearsal-${v.toLowerCase()}`;
process.env.CDK8S_PAAS_SECRET_HASH_KEY = process.env.CDK8S_PAAS_SECRET_HASH_KEY ?? 'rehearsal-key-0123456789abcdef0123456789';

const manifests = synthValid(new ConfigAndSecretsChart(Testing.app(), 'config-and-secrets'));

test('the shop pod serves with the ConfigMap server.xml and the expanded JVM option', async () => {
  await withPod(manifests, { deployment: 'shop', images: defaultImageTable(manifests), check: noSevereTomcatLines() }, async pod => {
    const answer = await pod.get('/');
    expect(answer.status).toBe(200);
    // the Connector's server="shop" attribute exists only in the ConfigMap's server.xml
    expect(answer.headers.server).toBe('shop');
    expect(pod.log('tomcat')).toContain('Command line argument: -Dshop.db.url=jdbc:postgresql://shop-db.shop.svc:5432/shop');
  });
});
