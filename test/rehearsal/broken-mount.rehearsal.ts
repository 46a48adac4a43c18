// Negative rehearsals: the onecmdb pod with a deliberately broken mount must
// fail the rehearsal with a message that has Tomcat's log in it.
import { Testing } from 'cdk8s';
import { defaultImageTable, noSevereTomcatLines, RehearsalError, RehearsedPod } from './harness';
import { OnecmdbChart } from '../../examples/onecmdb/main';
import { synthValid } from '../fixtures/validate';

const manifests = synthValid(new OnecmdbChart(Testing.app(), 'onecmdb'));
const DEPLOYMENT = 'onecmdb-tomcat8';

/** The manifests with the tomcat container's mount of `volume` changed by `edit` (undefined removes it). */
function withMount(volume: string, edit: (mount: any) => any): any[] {
  const copy = JSON.parse(JSON.stringify(manifests));
  const dep = copy.find((m: any) => m.kind === 'Deployment' && m.metadata.name === DEPLOYMENT);
  const tomcat = dep.spec.template.spec.containers.find((c: any) => c.name === 'tomcat');
  expect(tomcat.volumeMounts.map((m: any) => m.name)).toContain(volume);
  tomcat.volumeMounts = tomcat.volumeMounts.map((m: any) => (m.name === volume ? edit(m) : m)).filter(Boolean);
  return copy;
}

/** The error the rehearsal of `broken` fails with. */
async function rehearsalError(broken: any[]): Promise<RehearsalError> {
  const started = RehearsedPod.start(broken, {
    deployment: DEPLOYMENT, images: defaultImageTable(broken), readyTimeoutSeconds: 30, check: noSevereTomcatLines(),
  });
  const err = await started.then(async pod => {
    await pod.stop();
    throw new Error('the broken pod passed the rehearsal');
  }, e => e);
  expect(err).toBeInstanceOf(RehearsalError);
  return err;
}

test('webapps not mounted in the Tomcat container: not ready, with the probe and the Tomcat log', async () => {
  // GIVEN the init container copies the WARs into an emptyDir that Tomcat does not mount
  const err = await rehearsalError(withMount('webapps', () => undefined));
  // THEN the readiness probe never passes, and the message says so with Tomcat's log
  expect(err.message).toMatch(/container "tomcat" not ready after 30 s: readiness probe GET http:\/\/127\.0\.0\.1:8080\/itil\/ answered HTTP 404/);
  expect(err.message).toContain('--- log of container "tomcat"');
  expect(err.message).toContain('org.apache.catalina.');
});

test('webapps mounted read-only: Tomcat cannot expand the WARs, the SEVERE lines fail the rehearsal', async () => {
  // GIVEN Tomcat sees the WARs but cannot write its appBase
  const err = await rehearsalError(withMount('webapps', m => ({ ...m, readOnly: true })));
  // THEN Tomcat still answers (it serves unexpanded WARs) but its complaint fails the rehearsal, log included
  expect(err.message).toMatch(/ready, but Tomcat in container "tomcat" logged \d+ SEVERE line/);
  expect(err.message).toContain('Unable to create the directory [/usr/local/tomcat/webapps/itil]');
  expect(err.message).toContain('--- log of container "tomcat"');
});

test('no writable conf/Catalina (the official images create it as root): the SEVERE line fails the rehearsal', async () => {
  // GIVEN the foundation's emptyDir at conf/Catalina is left out, as in the first trial
  const err = await rehearsalError(withMount('tomcat-conf-catalina', () => undefined));
  // THEN Tomcat's complaint about the deployment descriptor directory fails the rehearsal
  expect(err.message).toMatch(/logged \d+ SEVERE line/);
  expect(err.message).toContain('/usr/local/tomcat/conf/Catalina/localhost');
});
