// The servlet-app example for real: the greeter's WAR is compiled from
// examples/servlet-app/webapp/ with javac against Debian's servlet API jars,
// packaged with `jar`, put into a stand-in of its artifact image, and the pod
// synthesized by PaasApp.synth() is started. The servlet's answers carry the
// values it reads at run time (ConfigMap env var, subPath file, Secret file);
// a changed ConfigMap changes the rollout hash and the answer. The same source
// compiled against javax.servlet is not served by Tomcat 10.1: the reason the
// library refuses that combination at synth.
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'yaml';
import {
  artifactImageRule, buildServletWar, DEFAULT_FAILURE_LOGS_DIR, defaultImageTable, HttpAnswer, ImageRule, noSevereTomcatLines, RehearsedPod,
  ServletWar, tomcatSevereLines, warEntries, warsCopiedBy, withPod,
} from './harness';
import { GREETER_ARTIFACT_IMAGE, GREETER_WEBAPP, ServletAppChart, ServletAppProps } from '../../examples/servlet-app/main';
import { PaasApp, ServletApi, TomcatRuntime, ValidationError } from '../../src';
import { findObject } from '../fixtures/validate';

const TOKEN = 'rehearsal-greeter-api-token';
process.env.GREETER_API_TOKEN = TOKEN;
process.env.CDK8S_PAAS_SECRET_HASH_KEY = process.env.CDK8S_PAAS_SECRET_HASH_KEY ?? 'rehearsal-key-0123456789abcdef0123456789';

const CONF_FILE = path.join(__dirname, '../../examples/servlet-app/conf/greeter.properties');
const CONFIG_HASH = 'cdk8s-paas.io/config-hash';

/** The example synthesized the user's way: PaasApp.synth() into a temporary folder, read back. */
function synth(props: ServletAppProps = {}): any[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'servlet-app-synth-'));
  try {
    const app = new PaasApp({ outdir });
    new ServletAppChart(app, 'servlet-app', props);
    app.synth();
    return fs.readdirSync(outdir).filter(f => f.endsWith('.yaml'))
      .flatMap(f => yaml.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map(d => d.toJS()));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The image table: the artifact image carries `war` at the path the init container copies from. */
function images(manifests: any[], war: ServletWar): ImageRule[] {
  const init = findObject(manifests, 'Deployment', 'greeter').spec.template.spec.initContainers[0];
  expect(init.image).toBe(GREETER_ARTIFACT_IMAGE);
  const [from] = warsCopiedBy(init);
  expect(from).toBe('/app_dir/greeter.war');
  return [artifactImageRule(GREETER_ARTIFACT_IMAGE, { [from]: war.content }), ...defaultImageTable(manifests)];
}

function podTemplate(manifests: any[]): any {
  return findObject(manifests, 'Deployment', 'greeter').spec.template;
}

/** The host directory of the volume mounted at `mountPath` in the Tomcat container. */
function mountedVolumeDir(pod: RehearsedPod, mountPath: string): string {
  const mount = pod.spec.containers[0].volumeMounts.find((m: any) => m.mountPath === mountPath);
  return pod.volumeDir(mount.name);
}

function json(answer: HttpAnswer): any {
  expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({ status: 200, type: 'application/json;charset=UTF-8' });
  return JSON.parse(answer.body);
}

let jakarta: ServletWar;
let javax: ServletWar;
let manifests: any[];

beforeAll(() => {
  jakarta = buildServletWar(GREETER_WEBAPP, ServletApi.JAKARTA);
  javax = buildServletWar(GREETER_WEBAPP, ServletApi.JAVAX);
  manifests = synth();
});

test('the greeter WARs are real WARs built by javac and jar, once per source (cached by hash)', () => {
  for (const war of [jakarta, javax]) {
    expect(warEntries(war.file)).toEqual(expect.arrayContaining([
      'META-INF/MANIFEST.MF', 'WEB-INF/web.xml', 'WEB-INF/classes/example/greeter/GreeterServlet.class',
      'WEB-INF/classes/example/greeter/HealthServlet.class', 'about.txt',
    ]));
  }
  // the same sources give the same cached file; the two APIs give two builds
  expect(buildServletWar(GREETER_WEBAPP, ServletApi.JAKARTA)).toMatchObject({ file: jakarta.file, built: false });
  expect(javax.file).not.toBe(jakarta.file);
  // the javax class really references javax.servlet (the constant pool names its superclass)
  const classOf = (war: ServletWar) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'greeter-class-'));
    try {
      spawnSync('jar', ['--extract', '--file', war.file], { cwd: dir });
      return fs.readFileSync(path.join(dir, 'WEB-INF/classes/example/greeter/GreeterServlet.class'), 'latin1');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  expect(classOf(javax)).toContain('javax/servlet/http/HttpServlet');
  expect(classOf(javax)).not.toContain('jakarta/servlet');
  expect(classOf(jakarta)).toContain('jakarta/servlet/http/HttpServlet');
});

test('on Tomcat 10.1 the greeter answers with the ConfigMap env var, the subPath file and the Secret file read at run time', async () => {
  const settings = findObject(manifests, 'ConfigMap', 'greeter-settings');
  const conf = findObject(manifests, 'ConfigMap', 'greeter-conf');
  expect(conf.data['greeter.properties']).toBe(fs.readFileSync(CONF_FILE, 'utf8'));

  await withPod(manifests, { deployment: 'greeter', namespace: 'greeter', images: images(manifests, jakarta), check: noSevereTomcatLines() }, async pod => {
    const health = await pod.get('/greeter/health');
    expect({ status: health.status, body: health.body }).toEqual({ status: 200, body: 'OK\n' });

    const answer = await pod.get('/greeter/');
    const a = json(answer);
    expect(a).toMatchObject({
      servletApi: 'jakarta',
      serverInfo: expect.stringMatching(/^Apache Tomcat\/10\.1\.\d+/),
      contextPath: '/greeter',
      greeting: settings.data.greeting, // env GREETING ← configMapKeyRef
      configFile: '/etc/greeter/greeter.properties',
      config: conf.data['greeter.properties'], // the subPath file, as in the ConfigMap
      tokenFile: '/etc/greeter/secrets/api-token',
      tokenSha256: crypto.createHash('sha256').update(TOKEN).digest('hex'), // the Secret file's content
      tokenBytes: Buffer.byteLength(TOKEN),
      tokenPermissions: 'r--------', // mode 0400
      tmpdir: '/usr/local/tomcat/temp',
      tmpFile: '/usr/local/tomcat/temp/greeter-1.txt',
      tmpFileContent: expect.stringMatching(/^greeter wrote this at \d{4}-\d\d-\d\dT/),
    });
    expect(settings.data.greeting).toBe('Hello from the ConfigMap');
    expect(answer.body).not.toContain(TOKEN);
    // the file is really in the temp emptyDir (the root filesystem is read-only)
    expect(fs.readFileSync(path.join(mountedVolumeDir(pod, '/usr/local/tomcat/temp'), 'greeter-1.txt'), 'utf8')).toBe(a.tmpFileContent);
    // a second request writes a second file: the answer is computed per request
    expect(json(await pod.get('/greeter/')).tmpFile).toBe('/usr/local/tomcat/temp/greeter-2.txt');
    // the servlet's own log line (ServletContext.log → Tomcat's localhost log file in the logs emptyDir)
    const logs = mountedVolumeDir(pod, '/usr/local/tomcat/logs');
    const localhostLog = fs.readdirSync(logs).filter(f => f.startsWith('localhost.')).map(f => fs.readFileSync(path.join(logs, f), 'utf8')).join('');
    expect(localhostLog).toMatch(/greeter started on Apache Tomcat\/10\.1\.\d+.* \(servlet API jakarta\)/);
  });
});

test('a changed ConfigMap changes the pod template hash and the rehearsed answer', async () => {
  const changed = synth({ greeting: 'Bonjour from the changed ConfigMap' });
  const before = podTemplate(manifests).metadata.annotations;
  const after = podTemplate(changed).metadata.annotations;
  expect(after[CONFIG_HASH]).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(after[CONFIG_HASH]).not.toBe(before[CONFIG_HASH]);
  expect(after['cdk8s-paas.io/secret-hash']).toBe(before['cdk8s-paas.io/secret-hash']);
  expect(findObject(changed, 'ConfigMap', 'greeter-settings').data.greeting).toBe('Bonjour from the changed ConfigMap');

  await withPod(changed, { deployment: 'greeter', namespace: 'greeter', images: images(changed, jakarta), check: noSevereTomcatLines() }, async pod => {
    expect(json(await pod.get('/greeter/')).greeting).toBe('Bonjour from the changed ConfigMap');
  });
});

describe('javax on Tomcat 10', () => {
  test('the library refuses a javax WAR on a Tomcat 10.1 runtime at synth', () => {
    expect(() => synth({ servletApi: ServletApi.JAVAX })).toThrow(ValidationError);
    expect(() => synth({ servletApi: ServletApi.JAVAX }))
      .toThrow('servlet-app/greeter: artifacts[0].servletApi: "javax" does not match the runtime "tomcat:10.1", which provides the jakarta servlet API');
  });

  // Past the refusal: a manifest the library accepts (javax WAR, tomcat:9.0), whose
  // tomcat image the rehearsal runs as Debian's Tomcat 10.1, is exactly the javax WAR
  // on Tomcat 10. The probes point at the WAR's static file, so the pod becomes ready
  // and the servlet itself can be asked (a kubelet would never mark it ready).
  const onTomcat9Manifest = () => synth({ runtime: TomcatRuntime.of('9.0'), servletApi: ServletApi.JAVAX, healthCheckPath: '/greeter/about.txt' });

  test('the javax build is deployed but its servlets are not served: class error in Tomcat\'s log', async () => {
    const m = onTomcat9Manifest();
    expect(podTemplate(m).spec.containers[0].image).toBe('tomcat:9.0');
    await withPod(m, { deployment: 'greeter', namespace: 'greeter', images: images(m, javax) }, async pod => {
      expect(pod.standIn('tomcat').description).toContain('Tomcat 10.1');
      // the context is there: Tomcat's default servlet serves the WAR's static file
      const about = await pod.get('/greeter/about.txt');
      expect(about.status).toBe(200);
      // … but neither servlet answers
      for (const p of ['/greeter/', '/greeter/health']) {
        const answer = await pod.get(p);
        expect({ path: p, status: answer.status, greeter: answer.body.includes('"greeting"') || answer.body === 'OK\n' })
          .toEqual({ path: p, status: 404, greeter: false });
      }
      // and Tomcat says why: the javax superclass does not exist on Tomcat 10
      const severe = tomcatSevereLines(pod);
      for (const servlet of ['greeter', 'health']) {
        expect(severe).toContainEqual(expect.stringMatching(new RegExp(`SEVERE .* Servlet \\[${servlet}\\] in web application \\[/greeter\\] threw load\\(\\) exception\n`
          + '\\s+java\\.lang\\.ClassNotFoundException: javax\\.servlet\\.http\\.HttpServlet$')));
      }
    });
  });

  test('as a failing rehearsal (SEVERE lines), it leaves Tomcat\'s logs under .rehearsal/logs/<test>/', async () => {
    const m = onTomcat9Manifest();
    const error = await RehearsedPod.start(m, { deployment: 'greeter', namespace: 'greeter', images: images(m, javax), check: noSevereTomcatLines() })
      .then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/pod greeter\/greeter-rehearsal: ready, but Tomcat in container "tomcat" logged 2 SEVERE line\(s\)/);
    const dir = path.join(DEFAULT_FAILURE_LOGS_DIR, 'javax-on-Tomcat-10-as-a-failing-rehearsal-SEVERE-lines-it-leaves-Tomcat-s-logs-under-.rehearsal-logs-test', 'greeter_greeter-rehearsal');
    expect(error!.message).toContain(`(logs of pod greeter/greeter-rehearsal kept in ${path.relative(process.cwd(), dir)}/)`);
    // the Tomcat container's output (catalina.sh run: what catalina.out holds in a classic install) …
    expect(fs.readFileSync(path.join(dir, 'tomcat.log'), 'utf8')).toMatch(/Deployment of web application archive \[\/usr\/local\/tomcat\/webapps\/greeter\.war\]/);
    expect(fs.readFileSync(path.join(dir, 'copy-wars-0-greeter-artifacts.log'), 'utf8')).toBe('');
    // … and the files of its logs emptyDir, with the web application's errors
    expect(fs.readdirSync(path.join(dir, 'volumes'))).toEqual(['tomcat-logs']); // not the expanded WAR's about.txt
    const tomcatLogs = path.join(dir, 'volumes', 'tomcat-logs');
    const files = fs.readdirSync(tomcatLogs);
    expect(files).toEqual(expect.arrayContaining([expect.stringMatching(/^catalina\.\d{4}-\d\d-\d\d\.log$/), expect.stringMatching(/^localhost\.\d{4}-\d\d-\d\d\.log$/)]));
    const all = files.map(f => fs.readFileSync(path.join(tomcatLogs, f), 'utf8')).join('');
    expect(all).toContain('java.lang.ClassNotFoundException: javax.servlet.http.HttpServlet');
  });

  test('control: the jakarta build of the same source in the same manifest is served', async () => {
    const m = onTomcat9Manifest();
    await withPod(m, { deployment: 'greeter', namespace: 'greeter', images: images(m, jakarta), check: noSevereTomcatLines() }, async pod => {
      expect(json(await pod.get('/greeter/')).servletApi).toBe('jakarta');
      expect((await pod.get('/greeter/health')).status).toBe(200);
    });
  });
});
