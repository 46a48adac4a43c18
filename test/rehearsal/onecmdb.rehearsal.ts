// The onecmdb example's pods, started for real: the init container copies the
// artifact image's WARs into the webapps emptyDir, Tomcat (Debian's 10.1
// standing in for the 8.0 and 7.0 lines) deploys them as UID 10001 on a
// read-only root and serves each on its context path.
import { Testing } from 'cdk8s';
import { defaultImageTable, noSevereTomcatLines, warMarker, withPod } from './harness';
import { OnecmdbChart } from '../../examples/onecmdb/main';
import { synthValid } from '../fixtures/validate';

const chart = new OnecmdbChart(Testing.app(), 'onecmdb');
const manifests = synthValid(chart);

describe.each([
  ['onecmdb-tomcat8', chart.tomcat8.contextPaths],
  ['onecmdb-tomcat7', chart.tomcat7.contextPaths],
])('%s', (deployment, contextPaths) => {
  test('becomes ready, serves every WAR on its context path, logs no SEVERE line', async () => {
    // GIVEN the synthesized manifests and stand-ins for tomcat:* and the artifact image
    // WHEN the pod starts: RehearsedPod.start waits for the readiness probe and
    // fails if Tomcat's log (stdout and the logs emptyDir) has a SEVERE line
    await withPod(manifests, { deployment, images: defaultImageTable(manifests), check: noSevereTomcatLines() }, async pod => {
      // THEN each WAR answers on its context path with its own content
      expect(contextPaths).toEqual(['/', '/itil', '/onecmdb-itil-1.4.0', '/onecmdb-modeller']);
      for (const ctx of contextPaths) {
        const war = ctx === '/' ? 'ROOT.war' : `${ctx.slice(1)}.war`;
        const answer = await pod.get(ctx === '/' ? '/' : `${ctx}/`);
        expect({ ctx, status: answer.status }).toEqual({ ctx, status: 200 });
        expect(answer.body).toContain(warMarker(war));
      }
      // AND a JSP compiles (Tomcat writes to work/) and runs on the right context
      expect((await pod.get('/itil/context.jsp')).body).toContain('context=[/itil]');
      expect(pod.log('tomcat')).toContain('Server startup in');
    });
  });
});
