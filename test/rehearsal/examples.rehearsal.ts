// Every example's Tomcat pods, started for real, one at a time: each Deployment
// whose main container is Tomcat becomes ready, serves each WAR its init
// containers copy on the WAR's context path, loads its javaagent when it has
// one (the monitoring example's JMX exporter, stood in by a tiny real agent),
// and logs no SEVERE line. Volumes the harness cannot materialize (the NFS
// claim, the CSI secrets-store volume) are empty directories here, explicitly.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import {
  AGENT_MARKER, defaultImageTable, noSevereTomcatLines, RehearsedPod, TOMCAT_RULE, VolumeStandIns, warMarker, warsCopiedBy, withPod,
} from './harness';
import { CustomVolumePluginChart } from '../../examples/custom-volume-plugin/main';
import { LOCAL_DIGEST, ONECMDB_ENVIRONMENTS, onecmdbDelivery } from '../../examples/delivery/main';
import { ShopChart } from '../../examples/monitoring/main';
import { NetworkIsolationExample } from '../../examples/network-isolation/main';
import { PrivatePaasChart } from '../../examples/private-paas/main';
import { WarArtifact } from '../../src';
import { synthValid } from '../fixtures/validate';

/** Examples with a rehearsal file of their own (more specific checks). */
const REHEARSED_ELSEWHERE = [
  'onecmdb', 'config-and-secrets', 'servlet-app',
  // its PaaS is examples/private-paas's PrivatePaasChart, unchanged (rehearsed below as private-paas);
  // the rest of it is the kops cluster spec, which runs no pod
  'kops-cluster',
];

/** Only this rehearsal turns the volumes a kubelet would get from a cluster into empty directories. */
const VOLUME_STAND_INS: VolumeStandIns = { persistentVolumeClaim: 'emptyDir', csi: 'emptyDir' };

/** Each example's charts with Deployments, built in-process as test/examples/*.test.ts do. */
const EXAMPLES: { [example: string]: () => Chart[] } = {
  'monitoring': () => [new ShopChart(Testing.app(), 'shop')],
  'network-isolation': () => {
    const example = new NetworkIsolationExample(Testing.app());
    return [example.shop, example.billing];
  },
  'delivery': () => {
    const delivery = onecmdbDelivery(fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-rehearsal-')), LOCAL_DIGEST);
    return ONECMDB_ENVIRONMENTS.map(e => delivery.chartOf(e.name));
  },
  'custom-volume-plugin': () => [new CustomVolumePluginChart(Testing.app(), 'custom-volume-plugin')],
  'private-paas': () => [new PrivatePaasChart(Testing.app(), 'private-paas')],
};

/** The context path Tomcat deploys a WAR file on (the library's rule: ROOT.war → /, a#b.war → /a/b). */
function contextPath(war: string): string {
  return WarArtifact.contextPath(path.basename(war));
}

/** The Tomcat container of a pod spec: named tomcat (TomcatApp) or running a tomcat:* image. */
function tomcatContainer(podSpec: any): any {
  return (podSpec.containers ?? []).find((c: any) => c.name === 'tomcat' || (TOMCAT_RULE.pattern as RegExp).test(c.image));
}

/** `-javaagent:<jar>=<args>` options of a container's CATALINA_OPTS / JAVA_OPTS. */
function javaagents(container: any): Array<{ jar: string; args: string }> {
  const opts = (container.env ?? []).filter((e: any) => ['CATALINA_OPTS', 'JAVA_OPTS'].includes(e.name)).map((e: any) => e.value ?? '').join(' ');
  return [...opts.matchAll(/-javaagent:([^=\s]+)(?:=(\S*))?/g)].map(m => ({ jar: m[1], args: m[2] ?? '' }));
}

interface Case {
  readonly example: string;
  readonly manifests: any[];
  readonly deployment: any;
}

const cases: Case[] = [];
for (const [example, charts] of Object.entries(EXAMPLES)) {
  for (const chart of charts()) {
    const manifests = synthValid(chart);
    for (const d of manifests.filter(m => m.kind === 'Deployment' && tomcatContainer(m.spec.template.spec))) {
      cases.push({ example, manifests, deployment: d });
    }
  }
}

test('every example is rehearsed, here or in a rehearsal of its own', () => {
  const examples = fs.readdirSync(path.join(__dirname, '../../examples'), { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name);
  expect(examples.filter(e => !(e in EXAMPLES) && !REHEARSED_ELSEWHERE.includes(e))).toEqual([]);
  // and each example here has at least one Tomcat Deployment to rehearse
  expect(Object.keys(EXAMPLES).filter(e => !cases.some(c => c.example === e))).toEqual([]);
  // the monitoring example's pod is the one with a javaagent (the JMX exporter)
  expect(cases.filter(c => javaagents(tomcatContainer(c.deployment.spec.template.spec)).length > 0).map(c => c.example)).toEqual(['monitoring']);
});

describe.each(cases.map(c => [`${c.example}: ${c.deployment.metadata.namespace}/${c.deployment.metadata.name}`, c] as const))('%s', (_, c) => {
  const spec = c.deployment.spec.template.spec;
  const tomcat = tomcatContainer(spec);
  const wars: string[] = (spec.initContainers ?? []).flatMap(warsCopiedBy);
  const agent = javaagents(tomcat).length > 0 ? ', runs its javaagent (JVM-loaded, /metrics served)' : '';

  test(`becomes ready, serves each WAR on its context path${agent}, logs no SEVERE line`, async () => {
    expect(wars.length).toBeGreaterThan(0);
    await withPod(c.manifests, {
      deployment: c.deployment.metadata.name,
      namespace: c.deployment.metadata.namespace,
      images: defaultImageTable(c.manifests),
      volumeStandIns: VOLUME_STAND_INS,
      check: noSevereTomcatLines(tomcat.name),
    }, async pod => {
      for (const war of wars) {
        const ctx = contextPath(war);
        const answer = await pod.get(ctx === '/' ? '/' : `${ctx}/`);
        expect({ ctx, status: answer.status }).toEqual({ ctx, status: 200 });
        expect(answer.body).toContain(warMarker(path.basename(war)));
      }
      await expectAgentsRan(pod, tomcat);
      expectStandInsNoted(pod, spec);
    });
  });
});

/** Each -javaagent ran in the JVM with the manifest's arguments, read its config file and serves /metrics on its port. */
async function expectAgentsRan(pod: RehearsedPod, tomcat: any): Promise<void> {
  for (const agent of javaagents(tomcat)) {
    const line = pod.log(tomcat.name).split('\n').find(l => l.startsWith(AGENT_MARKER));
    const [, port, config] = /^(?:.*:)?(\d+):([^:]+)$/.exec(agent.args) ?? [];
    expect(line).toBe(`${AGENT_MARKER}args=[${agent.args}] port=${port} config=${config} (${configSize(pod, tomcat, config)} bytes)`);
    const metrics = await pod.get('/metrics', Number(port));
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('rehearsal_javaagent_up 1');
  }
}

/** The size of the config file in the pod, from the volume mounted at its directory. */
function configSize(pod: RehearsedPod, tomcat: any, file: string): number {
  const mount = (tomcat.volumeMounts ?? []).find((m: any) => !m.subPath && file.startsWith(`${m.mountPath}/`));
  return fs.statSync(path.join(pod.volumeDir(mount.name), file.slice(mount.mountPath.length + 1))).size;
}

/** Each volume made an empty directory is said so. */
function expectStandInsNoted(pod: RehearsedPod, spec: any): void {
  const standIns = (spec.volumes ?? []).filter((v: any) => Object.keys(v).some(k => k in VOLUME_STAND_INS));
  expect(pod.notes).toEqual(standIns.map((v: any) => expect.stringContaining(`volume "${v.name}"`)));
}

test('without the explicit stand-in, the NFS claim of custom-volume-plugin is the clear unsupported-volume error', async () => {
  const c = cases.find(x => x.example === 'custom-volume-plugin' && x.deployment.metadata.name === 'storefront')!;
  await expect(RehearsedPod.start(c.manifests, { deployment: 'storefront', namespace: 'shop', images: defaultImageTable(c.manifests) }))
    .rejects.toThrow('volume "uploads": persistentVolumeClaim volumes are not supported by the rehearsal (supported: emptyDir, configMap, secret; '
      + 'an explicit volumeStandIns: { persistentVolumeClaim: \'emptyDir\' } makes it an empty directory)');
});
