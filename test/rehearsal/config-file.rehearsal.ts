// A Tomcat config file from a ConfigMap, bound by subPath at
// $CATALINA_HOME/conf/server.xml, is the file Tomcat reads. Until the config
// constructs land this patches the synthesized onecmdb manifests by hand; the
// config rehearsal then only has to swap the patch for the construct.
import * as fs from 'fs';
import { Testing } from 'cdk8s';
import { defaultImageTable, noSevereTomcatLines, withPod } from './harness';
import { OnecmdbChart } from '../../examples/onecmdb/main';
import { expectValidManifests, synthValid } from '../fixtures/validate';

const manifests = synthValid(new OnecmdbChart(Testing.app(), 'onecmdb'));

test('server.xml from a ConfigMap by subPath is the one Tomcat reads (its connector moves to 8081)', async () => {
  // GIVEN a ConfigMap whose server.xml puts the HTTP connector on 8081, mounted by subPath
  const serverXml = fs.readFileSync('/usr/share/tomcat10/etc/server.xml', 'utf8').replace('port="8080"', 'port="8081"');
  expect(serverXml).toContain('port="8081"');
  const patched = JSON.parse(JSON.stringify(manifests));
  patched.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tomcat-conf', namespace: 'itil' }, data: { 'server.xml': serverXml } });
  const spec = patched.find((m: any) => m.kind === 'Deployment' && m.metadata.name === 'onecmdb-tomcat8').spec.template.spec;
  spec.volumes.push({ name: 'tomcat-conf', configMap: { name: 'tomcat-conf', defaultMode: 0o444 } });
  const tomcat = spec.containers[0];
  tomcat.volumeMounts.push({ name: 'tomcat-conf', mountPath: '/usr/local/tomcat/conf/server.xml', subPath: 'server.xml' });
  tomcat.readinessProbe.httpGet.port = 8081;
  expectValidManifests(patched);

  // WHEN the pod starts THEN it becomes ready on 8081, and 8080 has no listener
  await withPod(patched, { deployment: 'onecmdb-tomcat8', images: defaultImageTable(patched), check: noSevereTomcatLines() }, async pod => {
    expect((await pod.get('/itil/', 8081)).status).toBe(200);
    await expect(pod.get('/itil/', 8080)).rejects.toThrow(/ECONNREFUSED/);
  });
});
