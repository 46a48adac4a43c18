import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import { baselineChart, chart, errorOf, plainDeployment, podSpec, tomcatApp } from './helpers';
import { AppConfig, AppSecret, ConfigTarget, RegistryCredentials, RolloutMode, TomcatApp, WarArtifact } from '../../src';
import { PodSecurityLevel } from '../../src/validate/pod-security';
import { findObject, synthValid } from '../fixtures/validate';

const SERVER_XML = '<Server port="-1"><Service name="Catalina"/></Server>\n';

function tmpDir(files: { [name: string]: string | Buffer }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appconfig-'));
  for (const [n, v] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), v);
  return dir;
}

describe('AppConfig on a TomcatApp', () => {
  test('a single file at an exact path (subPath) leaves the rest of conf/ as the image has it', () => {
    // GIVEN
    const c = chart();
    const app = tomcatApp(c);
    const conf = new AppConfig(c, 'conf', { name: 'shop-conf', data: { 'server.xml': SERVER_XML } });
    // WHEN
    conf.mountFile(ConfigTarget.fromTomcatApp(app), 'server.xml', '/usr/local/tomcat/conf/server.xml');
    // THEN
    const m = synthValid(c);
    const pod = podSpec(m);
    const mounts = pod.containers[0].volumeMounts;
    const mount = mounts.find((v: any) => v.mountPath === '/usr/local/tomcat/conf/server.xml');
    expect(mount).toEqual({ mountPath: '/usr/local/tomcat/conf/server.xml', name: mount.name, subPath: 'server.xml', readOnly: true });
    expect(pod.volumes.find((v: any) => v.name === mount.name)).toEqual({
      name: mount.name,
      configMap: { name: 'shop-conf', defaultMode: 0o644, items: [{ key: 'server.xml', path: 'server.xml' }] },
    });
    // nothing is mounted over conf/ itself: only the file and Tomcat's own conf/Catalina emptyDir
    const underConf = mounts.map((v: any) => v.mountPath).filter((p: string) => p.startsWith('/usr/local/tomcat/conf')).sort();
    expect(underConf).toEqual(['/usr/local/tomcat/conf/Catalina', '/usr/local/tomcat/conf/server.xml']);
    expect(findObject(m, 'ConfigMap', 'shop-conf').data).toEqual({ 'server.xml': SERVER_XML });
  });

  test('all keys as environment variables, with a prefix (envFrom)', () => {
    const c = chart();
    const app = tomcatApp(c);
    const settings = new AppConfig(c, 'settings', { name: 'settings', data: { CURRENCY: 'EUR', LOG_LEVEL: 'INFO' } });
    settings.envFrom(ConfigTarget.fromTomcatApp(app), { prefix: 'SHOP_' });
    const tomcat = podSpec(synthValid(c)).containers[0];
    expect(tomcat.envFrom).toEqual([{ configMapRef: { name: 'settings' }, prefix: 'SHOP_' }]);
  });

  test('chosen keys as environment variables', () => {
    const c = chart();
    const app = tomcatApp(c);
    const settings = new AppConfig(c, 'settings', { name: 'settings', data: { 'db.url': 'jdbc:postgresql://db/shop', 'currency': 'EUR' } });
    settings.envVars(ConfigTarget.fromTomcatApp(app), { DB_URL: 'db.url' });
    const env = podSpec(synthValid(c)).containers[0].env;
    expect(env.find((e: any) => e.name === 'DB_URL')).toEqual({ name: 'DB_URL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'db.url' } } });
    expect(env.find((e: any) => e.name === 'currency')).toBeUndefined();
  });

  test('command-line arguments on Tomcat are JVM options in CATALINA_OPTS, after the variables they reference', () => {
    const c = chart();
    const app = tomcatApp(c);
    app.addCatalinaOpts('-Xmx512m');
    const settings = new AppConfig(c, 'settings', { name: 'settings', data: { 'db.url': 'jdbc:postgresql://db/shop' } });
    settings.passAsArgs(ConfigTarget.fromTomcatApp(app), ['-Dshop.db.url=$(DB_URL)'], { DB_URL: 'db.url' });
    const tomcat = podSpec(synthValid(c)).containers[0];
    const names = tomcat.env.map((e: any) => e.name);
    // Kubernetes expands $(VAR) only for variables defined earlier in the list
    expect(names.indexOf('DB_URL')).toBeLessThan(names.indexOf('CATALINA_OPTS'));
    expect(names.indexOf('DB_URL')).toBeLessThan(names.indexOf('JAVA_OPTS'));
    expect(tomcat.env.find((e: any) => e.name === 'CATALINA_OPTS').value).toBe('-Xmx512m -Dshop.db.url=$(DB_URL)');
    expect(tomcat.args).toBeUndefined(); // catalina.sh run stays the command
  });

  test('keys as files in a directory, all or chosen, read-only', () => {
    const c = chart();
    const app = tomcatApp(c);
    const t = ConfigTarget.fromTomcatApp(app);
    const cfg = new AppConfig(c, 'cfg', { name: 'cfg', data: { 'a.properties': 'a=1', 'b.properties': 'b=2' } });
    cfg.mountDirectory(t, '/etc/shop');
    const other = new AppConfig(c, 'other', { name: 'other', data: { 'x.yaml': 'x: 1', 'y.yaml': 'y: 2' } });
    other.mountDirectory(t, '/etc/other', { keys: ['y.yaml'], mode: 0o440 });
    const pod = podSpec(synthValid(c));
    const mounts = pod.containers[0].volumeMounts;
    const all = mounts.find((v: any) => v.mountPath === '/etc/shop');
    expect(all).toEqual({ mountPath: '/etc/shop', name: all.name, readOnly: true });
    expect(pod.volumes.find((v: any) => v.name === all.name).configMap).toEqual({ name: 'cfg', defaultMode: 0o644 });
    const chosen = mounts.find((v: any) => v.mountPath === '/etc/other');
    expect(pod.volumes.find((v: any) => v.name === chosen.name).configMap).toEqual({ name: 'other', defaultMode: 0o440, items: [{ key: 'y.yaml', path: 'y.yaml' }] });
  });
});

describe('AppConfig on any cdk8s-plus workload', () => {
  test('arguments are appended to the container args with $(VAR) references', () => {
    const c = baselineChart();
    const d = plainDeployment(c);
    const cfg = new AppConfig(c, 'cfg', { name: 'cfg', data: { port: '9000' } });
    cfg.passAsArgs(ConfigTarget.fromWorkload(d), ['--port=$(PORT)', '--literal=$$(NOT_EXPANDED)'], { PORT: 'port' });
    const main = podSpec(synthValid(c, { podSecurity: PodSecurityLevel.BASELINE }), 'worker').containers[0];
    expect(main.args).toEqual(['--serve', '--port=$(PORT)', '--literal=$$(NOT_EXPANDED)']);
    expect(main.env).toEqual([{ name: 'PORT', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'port' } } }]);
  });

  test('envFrom, files and single files on a chosen container of a DaemonSet', () => {
    const c = baselineChart();
    const s = new kplus.DaemonSet(c, 'db', { metadata: { name: 'db' } });
    s.addContainer({ name: 'main', image: 'postgres:16', securityContext: { user: 999 } });
    const sidecar = s.addContainer({ name: 'sidecar', image: 'busybox:1.36', securityContext: { user: 999 } });
    const cfg = new AppConfig(c, 'cfg', { name: 'cfg', data: { 'postgresql.conf': 'max_connections = 50', 'MODE': 'replica' } });
    const t = ConfigTarget.fromWorkload(s, sidecar);
    cfg.envFrom(t);
    cfg.mountFile(t, 'postgresql.conf', '/etc/postgresql/postgresql.conf');
    const m = synthValid(c, { podSecurity: PodSecurityLevel.BASELINE });
    const pod = findObject(m, 'DaemonSet').spec.template;
    const [main, side] = pod.spec.containers;
    expect(main.envFrom).toBeUndefined();
    expect(side.envFrom).toEqual([{ configMapRef: { name: 'cfg' } }]);
    expect(side.volumeMounts).toEqual([expect.objectContaining({ mountPath: '/etc/postgresql/postgresql.conf', subPath: 'postgresql.conf' })]);
    expect(pod.metadata.annotations['cdk8s-paas.io/config-hash']).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('files and directories are read at synth time; non-UTF-8 files go to binaryData', () => {
    const dir = tmpDir({ 'app.properties': 'a=1\n', 'logging.properties': 'level=INFO\n', 'truststore.jks': Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0x00, 0xff]) });
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.writeFileSync(path.join(dir, 'nested', 'ignored.txt'), 'not read');
    const single = tmpDir({ 'setenv.sh': 'export X=1\n' });
    const c = chart();
    const cfg = new AppConfig(c, 'cfg', { name: 'cfg', directories: [dir], files: [path.join(single, 'setenv.sh')] });
    cfg.addFile(path.join(single, 'setenv.sh'), 'other.sh');
    expect(cfg.keys).toEqual(['setenv.sh', 'app.properties', 'logging.properties', 'truststore.jks', 'other.sh']);
    const cm = findObject(synthValid(c), 'ConfigMap', 'cfg');
    expect(cm.data).toEqual({ 'app.properties': 'a=1\n', 'logging.properties': 'level=INFO\n', 'setenv.sh': 'export X=1\n', 'other.sh': 'export X=1\n' });
    expect(cm.binaryData).toEqual({ 'truststore.jks': Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0x00, 0xff]).toString('base64') });
  });
});

describe('AppConfig validation', () => {
  test('key grammar', () => {
    expect(errorOf(() => new AppConfig(chart(), 'cfg', { data: { 'bad key': 'x' } })))
      .toBe('test/cfg: data.bad key: "bad key" is not a valid key: 1 to 253 letters, digits, "-", "_" or ".", not "." or ".." (e.g. "server.xml" or "db.url")');
    expect(errorOf(() => new AppConfig(chart(), 'cfg', { data: { '..': 'x' } }))).toContain('data...: ".." is not a valid key');
    expect(errorOf(() => new AppConfig(chart(), 'cfg', { data: { ['k'.repeat(254)]: 'x' } }))).toContain('is not a valid key');
  });

  test('duplicate keys', () => {
    const dir = tmpDir({ 'server.xml': SERVER_XML });
    expect(errorOf(() => new AppConfig(chart(), 'cfg', { data: { 'server.xml': 'x' }, files: [path.join(dir, 'server.xml')] })))
      .toBe('test/cfg: files[0]: "server.xml" is already a key of this ConfigMap; each key must be unique (use another key or remove the duplicate)');
    const cfg = new AppConfig(chart(), 'cfg2', { data: { a: '1' } });
    expect(errorOf(() => cfg.addData('a', '2'))).toContain('data.a: "a" is already a key of this ConfigMap');
  });

  test('1 MiB total size of keys and values', () => {
    const cfg = new AppConfig(chart(), 'cfg', { data: { half: 'x'.repeat(512 * 1024) } });
    cfg.addData('almost', 'x'.repeat(512 * 1024 - 'half'.length - 'almost'.length)); // exactly 1 MiB is fine
    expect(errorOf(() => cfg.addData('more', 'x')))
      .toBe('test/cfg: data.more: "more" brings the ConfigMap to 1048581 bytes of keys and values; the limit is 1048576 bytes (1 MiB): split it or mount large files from elsewhere');
  });

  test('files that cannot be read', () => {
    expect(errorOf(() => new AppConfig(chart(), 'cfg', { files: ['/nonexistent/server.xml'] })))
      .toMatch(/^test\/cfg: files\[0\]: "\/nonexistent\/server.xml" cannot be read \(ENOENT\)/);
    expect(errorOf(() => new AppConfig(chart(), 'cfg', { directories: ['/nonexistent'] })))
      .toMatch(/^test\/cfg: directories\[0\]: "\/nonexistent" cannot be listed \(ENOENT\)/);
  });

  test('environment variable names', () => {
    const c = chart();
    const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
    const cfg = new AppConfig(c, 'cfg', { data: { 'db.url': 'x', '9lives': 'y' } });
    expect(errorOf(() => cfg.envVars(t, { '1DB': 'db.url' }))).toBe(
      'test/cfg: variables.1DB: "1DB" is not a valid environment variable name: letters, digits, "_", "-" or ".", not starting with a digit');
    expect(errorOf(() => cfg.envFrom(t, { prefix: '0_' }))).toContain('test/cfg: prefix: "0_" is not a valid environment variable name');
    // without a prefix a key starting with a digit is no variable name (the kubelet would skip it)
    expect(errorOf(() => cfg.envFrom(t))).toContain('test/cfg: envFrom: key 9lives: "9lives" is not a valid environment variable name');
    // keys added after envFrom are checked too
    const ok = new AppConfig(c, 'ok', { data: { A: '1' } });
    ok.envFrom(t);
    expect(errorOf(() => ok.addData('2B', 'x'))).toContain('test/ok: envFrom: key 2B: "2B" is not a valid environment variable name');
  });

  test('a variable set twice in one container', () => {
    const c = chart();
    const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
    const cfg = new AppConfig(c, 'cfg', { data: { a: '1', b: '2' } });
    cfg.envVars(t, { A: 'a' });
    expect(errorOf(() => cfg.envVars(t, { A: 'b' }))).toBe(
      'test/cfg: variables.A: "A" is already an environment variable of container "tomcat"; each name can be set once');
    expect(errorOf(() => cfg.envVars(t, { CATALINA_OPTS: 'b' }))).toContain('"CATALINA_OPTS" is already an environment variable');
  });

  test('unknown keys', () => {
    const c = chart();
    const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
    const cfg = new AppConfig(c, 'cfg', { data: { 'server.xml': SERVER_XML } });
    expect(errorOf(() => cfg.mountFile(t, 'context.xml', '/usr/local/tomcat/conf/context.xml')))
      .toBe('test/cfg: key: "context.xml" is not a key of this ConfigMap; its keys are "server.xml"');
    expect(errorOf(() => cfg.mountDirectory(t, '/etc/x', { keys: ['nope'] }))).toContain('keys[0]: "nope" is not a key of this ConfigMap');
    const empty = new AppConfig(c, 'empty');
    expect(errorOf(() => empty.envVars(t, { X: 'x' }))).toContain('its keys are none yet (add content before attaching)');
  });

  test('duplicate and conflicting mount paths', () => {
    const c = chart();
    const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
    const cfg = new AppConfig(c, 'cfg', { data: { 'server.xml': SERVER_XML, 'context.xml': '<Context/>', 'web.xml': '<web-app/>' } });
    // the same path as Tomcat's webapps emptyDir
    expect(errorOf(() => cfg.mountDirectory(t, '/usr/local/tomcat/webapps'))).toBe(
      'test/cfg: path: "/usr/local/tomcat/webapps" conflicts with the mount of volume "webapps" at "/usr/local/tomcat/webapps" in container "tomcat": each mount path must be unique');
    // a directory over conf/ would hide the image's conf and cover conf/Catalina
    expect(errorOf(() => cfg.mountDirectory(t, '/usr/local/tomcat/conf'))).toBe(
      'test/cfg: path: "/usr/local/tomcat/conf" would cover the mount of volume "tomcat-conf-catalina" at "/usr/local/tomcat/conf/Catalina" in container "tomcat", '
      + 'and the kubelet cannot create a mount point inside a read-only ConfigMap or Secret volume; mount single files with mountFile instead');
    // a file where a directory is mounted below
    expect(errorOf(() => cfg.mountFile(t, 'web.xml', '/usr/local/tomcat/conf'))).toContain(
      'path: "/usr/local/tomcat/conf" is a file mount but the mount of volume "tomcat-conf-catalina" at "/usr/local/tomcat/conf/Catalina" in container "tomcat" is under it');
    cfg.mountFile(t, 'server.xml', '/usr/local/tomcat/conf/server.xml');
    // two files at one path
    expect(errorOf(() => cfg.mountFile(t, 'context.xml', '/usr/local/tomcat/conf/server.xml'))).toContain(
      'path: "/usr/local/tomcat/conf/server.xml" conflicts with the mount of volume "config-cfg-0" at "/usr/local/tomcat/conf/server.xml" (file "server.xml")');
    // something inside a read-only ConfigMap directory
    const dir = new AppConfig(c, 'dir', { data: { 'a.conf': 'a' } });
    dir.mountDirectory(t, '/etc/shop');
    expect(errorOf(() => cfg.mountFile(t, 'context.xml', '/etc/shop/context.xml'))).toContain(
      'path: "/etc/shop/context.xml" is inside the mount of volume "config-dir-1" at "/etc/shop" in container "tomcat", which is read-only or a single file; choose a path outside it');
    // relative paths
    expect(errorOf(() => cfg.mountFile(t, 'context.xml', 'conf/context.xml'))).toContain('path: "conf/context.xml" is not a valid absolute path');
  });

  test('a file key mounted twice in one container', () => {
    const c = chart();
    const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
    const cfg = new AppConfig(c, 'cfg', { data: { 'server.xml': SERVER_XML, 'web.xml': '<web-app/>' } });
    cfg.mountFile(t, 'server.xml', '/usr/local/tomcat/conf/server.xml');
    expect(errorOf(() => cfg.mountFile(t, 'server.xml', '/etc/server.xml'))).toBe(
      'test/cfg: key: "server.xml" is already mounted in container "tomcat"; mount each key once (one file can be read from one path)');
    expect(errorOf(() => cfg.mountDirectory(t, '/etc/all'))).toBe(
      'test/cfg: path: "server.xml" is already mounted in container "tomcat", and this directory would mount every key again; mount each key once (pass keys to mount the others)');
    cfg.mountDirectory(t, '/etc/web', { keys: ['web.xml'] });
    const whole = new AppConfig(c, 'whole', { data: { 'a.conf': 'a' } });
    whole.mountDirectory(t, '/etc/whole');
    expect(errorOf(() => whole.mountFile(t, 'a.conf', '/etc/a.conf'))).toContain('key: "a.conf" is already mounted in container "tomcat"');
  });

  test('file modes, names and arguments', () => {
    const c = chart();
    const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
    const cfg = new AppConfig(c, 'cfg', { data: { 'setenv.sh': 'export A=1', 'u': 'x' } });
    expect(errorOf(() => cfg.mountFile(t, 'setenv.sh', '/usr/local/tomcat/bin/setenv.sh', { mode: 0o1777 }))).toContain('mode: 1023 must be an integer from 0 to 511');
    expect(errorOf(() => new AppConfig(c, 'bad', { name: 'Shop_Conf' }))).toContain('test/bad: name: "Shop_Conf" is not a valid DNS-1123 subdomain');
    expect(errorOf(() => cfg.passAsArgs(t, ['-Dx=$(NOPE)'], { U: 'u' }))).toContain(
      'args[0]: "-Dx=$(NOPE)" references $(NOPE), which is not an environment variable of container "tomcat"; add it to variables');
    expect(errorOf(() => cfg.passAsArgs(t, ['-Dx=$(U2) -Dy=1'], { U2: 'u' }))).toContain(
      'args[0]: "-Dx=$(U2) -Dy=1" contains whitespace, and CATALINA_OPTS is split on whitespace');
  });

  test('ConfigTarget must name a container of the workload', () => {
    const c = chart();
    const d = plainDeployment(c);
    const empty = new kplus.Deployment(c, 'empty');
    expect(errorOf(() => ConfigTarget.fromWorkload(empty))).toBe('test/empty: container: "" is missing: the workload has no container yet; add one before attaching configuration');
    const stranger = new kplus.Container({ name: 'stranger', image: 'busybox:1.36' });
    expect(errorOf(() => ConfigTarget.fromWorkload(d, stranger))).toBe('test/worker: container: "stranger" is not a container of this workload; pass one of its containers or init containers');
  });
});

describe('namespaces', () => {
  test('a pod uses ConfigMaps, Secrets and pull secrets of its own namespace only', () => {
    process.env.TEST_NS_PASSWORD = 'x';
    const c = chart();
    const app = new TomcatApp(c, 'shop', {
      namespace: 'shop',
      artifacts: [WarArtifact.fromImage('registry.example.com/shop/shop-artifacts:2.3.0', { path: '/app_dir', wars: ['ROOT.war'] })],
    });
    const t = ConfigTarget.fromTomcatApp(app);
    const elsewhere = new AppConfig(c, 'elsewhere', { data: { a: '1' } });
    expect(errorOf(() => elsewhere.envFrom(t))).toBe(
      'test/elsewhere: namespace: "(none)" differs from the namespace "shop" of test/shop/Deployment; a pod can use ConfigMaps and Secrets of its own namespace only: give both the same namespace');
    const other = AppSecret.fromLiterals(c, 'other', { namespace: 'other', data: { a: '1' }, acknowledgePlaintext: true });
    expect(errorOf(() => other.mountFile(t, 'a', '/run/a'))).toContain('test/other: namespace: "other" differs from the namespace "shop" of test/shop/Deployment');
    const reg = RegistryCredentials.fromEnv(c, 'reg', { namespace: 'other', registry: 'registry.example.com', username: 'u', passwordVariable: 'TEST_NS_PASSWORD' });
    expect(errorOf(() => reg.addTo(app.deployment))).toContain('test/reg: namespace: "other" differs from the namespace "shop"');
    // same namespace, or an existing Secret (namespace unknown): fine
    new AppConfig(c, 'same', { namespace: 'shop', data: { b: '2' } }).envFrom(t);
    AppSecret.fromExisting(c, 'existing', 'db').envFrom(t);
    expect(podSpec(synthValid(c)).containers[0].envFrom).toHaveLength(2);
  });

  test('an immutable object leaves room for the hash suffix in its name', () => {
    expect(errorOf(() => new AppConfig(chart(), 'cfg', { name: 'a'.repeat(243), rollout: RolloutMode.IMMUTABLE_NAME_SUFFIX })))
      .toBe(`test/cfg: name: "${'a'.repeat(243)}" is too long for a content-hash suffix: at most 242 characters (the name gets "-" and 10 hex characters)`);
    new AppConfig(chart(), 'ok', { name: 'a'.repeat(243) });
  });
});
