// The harness itself, on hand-made manifests: volumes (configMap / secret with
// items, subPath, defaultMode), env, command lines, the image table, the root
// layout, teardown; the pod runs are busybox only (fast, no Tomcat).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  busyboxStandIn, BUSYBOX_RULE, commandLine, containerEnv, containerMounts, defaultImageTable, expandVars, filesCopiedBy,
  materializeVolumes, PodContext, RehearsalError, RehearsedPod, resolveImage, rootArgs, testAgentJar, testWar, warsCopiedBy, withPod,
} from './harness';

const NS = 'web';
const SERVER_XML = '<Server port="-1"><Service name="Catalina"/></Server>\n';

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config', namespace: NS },
  data: { 'server.xml': SERVER_XML, 'index.html': '<p>from the ConfigMap</p>\n', 'greeting': 'hello' },
};
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'web-secret', namespace: NS },
  data: { password: Buffer.from('s3cret').toString('base64') },
  stringData: { user: 'admin' },
};
const otherNamespaceConfig = { ...configMap, metadata: { name: 'elsewhere', namespace: 'other' } };

const security = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false };

/** A Deployment of busybox httpd serving /www, fed by a ConfigMap, a Secret and an init container. */
function webDeployment(patch: (spec: any) => void = () => undefined): any {
  const spec: any = {
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 },
    volumes: [
      { name: 'site', configMap: { name: 'web-config', items: [{ key: 'index.html', path: 'pages/index.html' }], defaultMode: 0o640 } },
      { name: 'conf', configMap: { name: 'web-config' } },
      { name: 'creds', secret: { secretName: 'web-secret', defaultMode: 0o400, items: [{ key: 'password', path: 'password', mode: 0o440 }, { key: 'user', path: 'user' }] } },
      { name: 'scratch', emptyDir: {} },
    ],
    initContainers: [{
      name: 'prepare',
      image: 'busybox:1.36',
      securityContext: security,
      env: [
        { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'greeting' } } },
        { name: 'MESSAGE', value: '$(GREETING)-world $$(GREETING)' },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'password' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      command: ['sh', '-c'],
      args: ['set -e; stat -c %a /site/pages/index.html /creds/password /creds/user > /scratch/modes; '
        + 'cp /etc/tomcat/server.xml /scratch/seen.xml; echo "$MESSAGE $PASSWORD $POD $(id -u):$(id -g)" > /scratch/env; '
        + '! touch /rootfs-is-writable 2>/dev/null'],
      volumeMounts: [
        { name: 'site', mountPath: '/site' },
        { name: 'creds', mountPath: '/creds' },
        { name: 'conf', mountPath: '/etc/tomcat/server.xml', subPath: 'server.xml' },
        { name: 'scratch', mountPath: '/scratch' },
      ],
    }],
    containers: [{
      name: 'web',
      image: 'busybox:1.36',
      securityContext: security,
      command: ['httpd', '-f', '-p', '$(PORT)', '-h', '/www'],
      env: [{ name: 'PORT', value: '8080' }],
      ports: [{ containerPort: 8080, name: 'http' }],
      readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 10 },
      volumeMounts: [
        { name: 'site', mountPath: '/www/index.html', subPath: 'pages/index.html' },
        { name: 'scratch', mountPath: '/www/scratch', readOnly: true },
      ],
    }],
  };
  patch(spec);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } },
  };
}

function manifestsWith(patch?: (spec: any) => void): any[] {
  return [configMap, secret, otherNamespaceConfig, webDeployment(patch)];
}

const ctx = (manifests: any[]): PodContext => ({ manifests, namespace: NS, podName: 'web-rehearsal' });

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-unit-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('volumes', () => {
  test('configMap and secret volumes honour items, defaultMode and items[].mode', () => {
    const manifests = manifestsWith();
    const vols = materializeVolumes(webDeployment().spec.template.spec, ctx(manifests), tmp);
    const mode = (p: string) => (fs.statSync(p).mode % 0o1000).toString(8);

    expect(fs.readFileSync(path.join(vols.get('site')!.hostPath, 'pages/index.html'), 'utf8')).toBe('<p>from the ConfigMap</p>\n');
    expect(mode(path.join(vols.get('site')!.hostPath, 'pages/index.html'))).toBe('640');
    expect(fs.readdirSync(vols.get('site')!.hostPath)).toEqual(['pages']); // only the listed item
    expect(fs.readdirSync(vols.get('conf')!.hostPath).sort()).toEqual(['greeting', 'index.html', 'server.xml']);
    expect(mode(path.join(vols.get('conf')!.hostPath, 'server.xml'))).toBe('644'); // the default defaultMode
    expect(fs.readFileSync(path.join(vols.get('creds')!.hostPath, 'password'), 'utf8')).toBe('s3cret'); // base64 decoded
    expect(mode(path.join(vols.get('creds')!.hostPath, 'password'))).toBe('440');
    expect(fs.readFileSync(path.join(vols.get('creds')!.hostPath, 'user'), 'utf8')).toBe('admin'); // stringData
    expect(mode(path.join(vols.get('creds')!.hostPath, 'user'))).toBe('400');
    expect(vols.get('scratch')).toMatchObject({ type: 'emptyDir', alwaysReadOnly: false });
    expect(vols.get('conf')).toMatchObject({ type: 'configMap', alwaysReadOnly: true });
  });

  test('subPath binds the file inside the volume; a missing subPath becomes an empty directory, as on a kubelet', () => {
    const spec = webDeployment().spec.template.spec;
    const vols = materializeVolumes(spec, ctx(manifestsWith()), tmp);
    const mounts = containerMounts({
      name: 'tomcat',
      volumeMounts: [
        { name: 'conf', mountPath: '/usr/local/tomcat/conf/server.xml', subPath: 'server.xml' },
        { name: 'conf', mountPath: '/usr/local/tomcat/conf/logging.properties', subPath: 'logging.properties' },
        { name: 'scratch', mountPath: '/usr/local/tomcat' },
      ],
    }, vols, {});
    expect(mounts.map(m => m.containerPath)).toEqual([
      '/usr/local/tomcat', '/usr/local/tomcat/conf/server.xml', '/usr/local/tomcat/conf/logging.properties',
    ]);
    expect(mounts[1]).toMatchObject({ hostPath: path.join(vols.get('conf')!.hostPath, 'server.xml'), readOnly: true });
    expect(fs.readFileSync(mounts[1].hostPath, 'utf8')).toBe(SERVER_XML);
    expect(fs.statSync(mounts[2].hostPath).isDirectory()).toBe(true);
  });

  test('a ConfigMap of another namespace is not found; the error names the volume and the object', () => {
    const spec = { volumes: [{ name: 'cfg', configMap: { name: 'elsewhere' } }] };
    expect(() => materializeVolumes(spec, ctx(manifestsWith()), tmp))
      .toThrow('volume "cfg": ConfigMap "elsewhere" is not among the synthesized objects of namespace "web" and the volume is not optional');
    expect(() => materializeVolumes({ volumes: [{ name: 'cfg', configMap: { name: 'elsewhere', optional: true } }] }, ctx(manifestsWith()), tmp)).not.toThrow();
  });

  test('a missing key, an escaping path and an unsupported volume type are clear errors', () => {
    const run = (volumes: any[]) => () => materializeVolumes({ volumes }, ctx(manifestsWith()), tmp);
    expect(run([{ name: 'c', configMap: { name: 'web-config', items: [{ key: 'nope', path: 'x' }] } }]))
      .toThrow('volume "c": key "nope" is not in ConfigMap "web-config" (keys: server.xml, index.html, greeting)');
    expect(run([{ name: 'c', configMap: { name: 'web-config', items: [{ key: 'greeting', path: '../x' }] } }]))
      .toThrow('volume "c": items[].path: "../x" must be a relative path without ".."');
    expect(run([{ name: 'h', hostPath: { path: '/var/log' } }]))
      .toThrow('volume "h": hostPath volumes are not supported by the rehearsal (supported: emptyDir, configMap, secret; an explicit volumeStandIns');
  });
});

describe('volume stand-ins', () => {
  const claim = { name: 'uploads', persistentVolumeClaim: { claimName: 'uploads' } };
  const csi = { name: 'creds', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true } };

  test('without the explicit option, persistentVolumeClaim and csi volumes are the clear unsupported-volume error', () => {
    expect(() => materializeVolumes({ volumes: [claim] }, ctx(manifestsWith()), tmp))
      .toThrow('volume "uploads": persistentVolumeClaim volumes are not supported by the rehearsal (supported: emptyDir, configMap, secret; '
        + 'an explicit volumeStandIns: { persistentVolumeClaim: \'emptyDir\' } makes it an empty directory)');
    // a stand-in for one type does not let another through
    expect(() => materializeVolumes({ volumes: [claim, csi] }, ctx(manifestsWith()), tmp, { persistentVolumeClaim: 'emptyDir' }))
      .toThrow('volume "creds": csi volumes are not supported by the rehearsal');
  });

  test('with it, each becomes an empty directory, read-only when its source says so, and is noted', () => {
    const notes: string[] = [];
    const vols = materializeVolumes({ volumes: [claim, csi] }, ctx(manifestsWith()), tmp, { persistentVolumeClaim: 'emptyDir', csi: 'emptyDir' }, n => notes.push(n));
    expect(vols.get('uploads')).toMatchObject({ type: 'persistentVolumeClaim', standIn: 'emptyDir', alwaysReadOnly: false });
    expect(vols.get('creds')).toMatchObject({ type: 'csi', standIn: 'emptyDir', alwaysReadOnly: true });
    expect(fs.readdirSync(vols.get('uploads')!.hostPath)).toEqual([]);
    expect(notes).toEqual([
      'volume "uploads" (persistentVolumeClaim) stands in as an empty directory: its real content is not rehearsed',
      'volume "creds" (csi) stands in as an empty directory, read-only: its real content is not rehearsed',
    ]);
  });
});

describe('env and command line', () => {
  test('env: valueFrom ConfigMap / Secret / fieldRef, $(VAR) expansion, envFrom with prefix, over the image env', () => {
    const c = webDeployment().spec.template.spec.initContainers[0];
    const env = containerEnv({ ...c, envFrom: [{ configMapRef: { name: 'web-config' }, prefix: 'CFG_' }] }, ctx(manifestsWith()), { PATH: '/bin', GREETING: 'image' });
    expect(env).toMatchObject({
      PATH: '/bin', GREETING: 'hello', MESSAGE: 'hello-world $(GREETING)', PASSWORD: 's3cret', POD: 'web-rehearsal', CFG_greeting: 'hello',
    });
    expect(() => containerEnv({ name: 'x', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'nope' } } }] }, ctx(manifestsWith()), {}))
      .toThrow('container "x": env A: Secret "web-secret" has no key "nope"');
    expect(expandVars('$(A)/$(B)/$$(A)', { A: '1' })).toBe('1/$(B)/$(A)');
  });

  test('command and args replace ENTRYPOINT and CMD as Kubernetes does', () => {
    const image = { entrypoint: ['/entry'], cmd: ['catalina.sh', 'run'] };
    expect(commandLine({}, image)).toEqual(['/entry', 'catalina.sh', 'run']);
    expect(commandLine({ args: ['x'] }, image)).toEqual(['/entry', 'x']);
    expect(commandLine({ command: ['sh'] }, image)).toEqual(['sh']);
    expect(commandLine({ command: ['sh'], args: ['-c', 'true'] }, image)).toEqual(['sh', '-c', 'true']);
  });
});

describe('image table and root', () => {
  test('an image without a stand-in is a clear error naming it and the table', () => {
    expect(() => resolveImage(defaultImageTable([]), 'nginx:1.25'))
      .toThrow(/image "nginx:1.25" has no local stand-in in the rehearsal's image table \(known: .*tomcat.*busybox.*\)/);
    expect(resolveImage([BUSYBOX_RULE], 'docker.io/library/busybox:1.36').cmd).toEqual(['sh']);
  });

  test('the artifact images are found by their init containers copying WARs', () => {
    expect(warsCopiedBy({ command: ['cp', '/app_dir/ROOT.war', '/app_dir/itil.war', '/cdk8s-paas/webapps/'] })).toEqual(['/app_dir/ROOT.war', '/app_dir/itil.war']);
    expect(warsCopiedBy({ command: ['sh', '-c', 'cp /a.war /b/'] })).toEqual([]);
    const dep = webDeployment(s => s.initContainers.push({ name: 'wars', image: 'registry.example.com/a:1', command: ['cp', '/app/x.war', '/w/'] }));
    const standIn = resolveImage(defaultImageTable([dep]), 'registry.example.com/a:1');
    expect(fs.readFileSync(path.join(standIn.layout, 'app/x.war'))).toEqual(testWar('x.war'));
  });

  test('an image whose init container copies a *.jar stands in with the rehearsal javaagent jar there', () => {
    expect(filesCopiedBy({ command: ['cp', '/agent.jar', '/a/agent.jar'] }, '.jar')).toEqual(['/agent.jar']);
    const dep = webDeployment(s => s.initContainers.push({ name: 'agent', image: 'registry.example.com/agent:1', command: ['cp', '/agent.jar', '/a/agent.jar'] }));
    const jar = path.join(resolveImage(defaultImageTable([dep]), 'registry.example.com/agent:1').layout, 'agent.jar');
    expect(fs.readFileSync(jar)).toEqual(testAgentJar());
    const manifest = spawnSync('busybox', ['unzip', '-p', jar, 'META-INF/MANIFEST.MF'], { encoding: 'utf8' });
    expect(manifest.stdout).toContain('Premain-Class: RehearsalAgent');
    const cls = spawnSync('busybox', ['unzip', '-p', jar, 'RehearsalAgent.class']).stdout;
    expect(cls.readUInt32BE(0)).toBe(0xcafebabe); // a class file
    expect(cls.readUInt16BE(6)).toBe(52); // Java 8, loadable by every JRE a tomcat10 host has
  });

  test('a test WAR is a ZIP that unzip lists', () => {
    const war = path.join(tmp, 'x.war');
    fs.writeFileSync(war, testWar('x.war'));
    const listed = spawnSync('busybox', ['unzip', '-l', war], { encoding: 'utf8' });
    expect(listed.stdout).toContain('index.html');
    expect(listed.stdout).toContain('context.jsp');
  });

  test('the root: a tmpfs with binds, directories holding mount points made on it, read-only last', () => {
    const layout = busyboxStandIn('unit', { '/usr/local/tomcat/conf/server.xml': 'x', '/usr/local/tomcat/bin/catalina.sh': 'y' }).layout;
    const args = rootArgs({
      layers: [{ hostPath: '/usr', containerPath: '/usr' }, { hostPath: layout, containerPath: '/' }],
      symlinks: { '/lib': 'usr/lib' },
      mounts: [{ hostPath: tmp, containerPath: '/usr/local/tomcat/conf/Catalina', readOnly: false, volume: 'v' }],
      readOnlyRoot: true,
    }).join(' ');
    // /usr merges the host's and the layout's; directories on the way to a mount point are made on the tmpfs
    for (const part of ['--dir /usr ', '--ro-bind /usr/bin /usr/bin ', '--dir /usr/local ', '--dir /usr/local/tomcat ',
      `--ro-bind ${layout}/usr/local/tomcat/bin /usr/local/tomcat/bin `, '--dir /usr/local/tomcat/conf ',
      `--ro-bind ${layout}/usr/local/tomcat/conf/server.xml /usr/local/tomcat/conf/server.xml `, '--symlink usr/lib /lib ']) {
      expect(args).toContain(part);
    }
    expect(args).toMatch(new RegExp(`--bind ${tmp} /usr/local/tomcat/conf/Catalina --remount-ro /$`));
  });
});

describe('a busybox pod, started for real', () => {
  test('init container sees ConfigMap / Secret files with their modes, subPath files and env; the server answers its probe', async () => {
    const manifests = manifestsWith();
    await withPod(manifests, { deployment: 'web', images: defaultImageTable(manifests), readyTimeoutSeconds: 30 }, async pod => {
      // the main container serves a ConfigMap item bound by subPath
      const index = await pod.get('/index.html');
      expect(index).toMatchObject({ status: 200, body: '<p>from the ConfigMap</p>\n' });
      // the init container ran first, as UID/GID 10001, on a read-only root, and wrote into the shared emptyDir
      expect((await pod.get('/scratch/modes')).body).toBe('640\n440\n400\n');
      expect((await pod.get('/scratch/seen.xml')).body).toBe(SERVER_XML);
      expect((await pod.get('/scratch/env')).body).toBe('hello-world $(GREETING) s3cret web-rehearsal 10001:10001\n');
      expect((await pod.get('/nothing')).status).toBe(404);
    });
  });

  test('a failing init container stops the pod with its log', async () => {
    const manifests = manifestsWith(s => {
      s.initContainers[0].args = ['echo "no WAR here" >&2; exit 3'];
    });
    await expect(RehearsedPod.start(manifests, { deployment: 'web', images: defaultImageTable(manifests) }))
      .rejects.toThrow(/init container "prepare" \(image "busybox:1.36"\) exited with 3\n--- log of container "prepare" \(last 60 lines\) ---\nno WAR here\n---/);
  });

  test('a probe that never passes times out with the probe, the answer and the log', async () => {
    const manifests = manifestsWith(s => {
      s.containers[0].readinessProbe.httpGet.path = '/healthz';
    });
    await expect(RehearsedPod.start(manifests, { deployment: 'web', images: defaultImageTable(manifests), readyTimeoutSeconds: 3 }))
      .rejects.toThrow(/container "web" not ready after 3 s: readiness probe GET http:\/\/127\.0\.0\.1:8080\/healthz answered HTTP 404 \(attempt \d+\)\n--- log of container "web"/);
  });

  test('runAsNonRoot without a user on a root image is refused, as by the kubelet', async () => {
    const manifests = manifestsWith(s => {
      delete s.securityContext.runAsUser;
      delete s.initContainers[0].securityContext.runAsUser;
    });
    await expect(RehearsedPod.start(manifests, { deployment: 'web', images: defaultImageTable(manifests) }))
      .rejects.toThrow('pod web/web-rehearsal: container "prepare": runAsNonRoot is set but the image "busybox:1.36" runs as root and no runAsUser is given');
  });

  test('stop() leaves no process and no directory behind', async () => {
    const manifests = manifestsWith();
    const pod = await RehearsedPod.start(manifests, { deployment: 'web', images: defaultImageTable(manifests), readyTimeoutSeconds: 30 });
    expect(fs.existsSync(pod.dir)).toBe(true);
    await pod.stop();
    expect(pod.terminated).toBe(true);
    expect(fs.existsSync(pod.dir)).toBe(false);
    await expect(pod.get('/')).rejects.toThrow(RehearsalError);
  });
});

describe('logs of a failed rehearsal', () => {
  /** The folder named by the error's "(logs of pod … kept in <dir>/)" line. */
  const keptIn = (message: string): string => {
    const m = /\n\(logs of pod web\/web-rehearsal kept in (.+)\/\)$/.exec(message);
    expect(m).not.toBeNull();
    return path.resolve(m![1]);
  };
  // the init container also writes a log file into the shared emptyDir
  const withAppLog = (s: any) => {
    s.initContainers[0].args = [`${s.initContainers[0].args[0]}; echo "prepare ran as $(id -u)" > /scratch/app.log`];
  };

  test('a pod that fails to start keeps each container\'s output and the log files of its emptyDirs', async () => {
    const manifests = manifestsWith(s => {
      withAppLog(s);
      s.containers[0].readinessProbe.httpGet.path = '/healthz';
    });
    const error = await RehearsedPod.start(manifests, { deployment: 'web', images: defaultImageTable(manifests), readyTimeoutSeconds: 2, failureLogsDir: tmp })
      .then(() => undefined, (e: Error) => e);
    expect(error?.message).toContain('not ready after 2 s');
    const dir = keptIn(error!.message);
    // <failureLogsDir>/<test name>/<namespace>_<pod>/
    expect(path.relative(tmp, dir)).toBe(path.join(
      'logs-of-a-failed-rehearsal-a-pod-that-fails-to-start-keeps-each-container-s-output-and-the-log-files-of-its-emptyDirs', 'web_web-rehearsal'));
    expect(fs.readdirSync(dir).sort()).toEqual(['prepare.log', 'volumes', 'web.log']);
    expect(fs.readFileSync(path.join(dir, 'volumes/scratch/app.log'), 'utf8')).toBe('prepare ran as 10001\n');
    // only log files: not the other files of the emptyDir (modes, env, seen.xml)
    expect(fs.readdirSync(path.join(dir, 'volumes/scratch'))).toEqual(['app.log']);
    expect(error!.stack).toContain('kept in'); // what jest prints
  });

  test('withPod keeps them when the checks on a ready pod fail, and not when they pass', async () => {
    const manifests = manifestsWith(withAppLog);
    const options = { deployment: 'web', images: defaultImageTable(manifests), readyTimeoutSeconds: 30, failureLogsDir: tmp };
    await withPod(manifests, options, async pod => expect((await pod.get('/index.html')).status).toBe(200));
    expect(fs.readdirSync(tmp)).toEqual([]);
    const error = await withPod(manifests, options, async pod => {
      expect((await pod.get('/scratch/app.log')).status).toBe(404); // it is served: fails
    }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/Expected: 404\nReceived: 200/);
    const dir = keptIn(error!.message);
    expect(fs.readFileSync(path.join(dir, 'volumes/scratch/app.log'), 'utf8')).toBe('prepare ran as 10001\n');
    expect(fs.existsSync(path.join(dir, 'web.log'))).toBe(true);
  });
});
