import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chart, errorOf, podAnnotations, podSpec, tomcatApp } from './helpers';
import { AppSecret, ConfigTarget, Warnings } from '../../src';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

function tmpFile(name: string, content: string | Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'appsecret-')), name);
  fs.writeFileSync(file, content);
  return file;
}

describe('AppSecret sources', () => {
  beforeEach(() => {
    process.env.TEST_DB_USER = 'shop';
    process.env.TEST_DB_PASSWORD = 'pw-from-env';
  });

  test('fromEnv reads the synth environment into an Opaque Secret', () => {
    const c = chart();
    const s = AppSecret.fromEnv(c, 'db', { name: 'db', variables: { username: 'TEST_DB_USER', password: 'TEST_DB_PASSWORD' } });
    expect(s.keys).toEqual(['username', 'password']);
    expect(s.existing).toBe(false);
    const secret = findObject(synthValid(c), 'Secret', 'db');
    expect(secret.type).toBe('Opaque');
    expect(secret.stringData).toEqual({ username: 'shop', password: 'pw-from-env' });
  });

  test('fromEnv: a missing variable is an error naming it', () => {
    delete process.env.TEST_MISSING;
    expect(errorOf(() => AppSecret.fromEnv(chart(), 'db', { variables: { username: 'TEST_DB_USER', password: 'TEST_MISSING' } }))).toBe(
      'test/db: variables.password: "TEST_MISSING" is not set (or empty) in the synth environment; export it before synthesizing (in CI, as a masked secret variable)');
    process.env.TEST_EMPTY = '';
    expect(errorOf(() => AppSecret.fromEnv(chart(), 'db', { variables: { token: 'TEST_EMPTY' } }))).toContain('variables.token: "TEST_EMPTY" is not set (or empty)');
    expect(errorOf(() => AppSecret.fromEnv(chart(), 'db', { variables: { token: '1NVALID' } }))).toContain('variables.token: "1NVALID" is not a valid environment variable name');
  });

  test('fromFile reads text into stringData and other bytes into data (base64)', () => {
    const c = chart();
    const keystore = Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0x00, 0x00, 0x00, 0x02, 0xff]);
    AppSecret.fromFile(c, 'tls', { name: 'tls', files: { 'keystore.jks': tmpFile('keystore.jks', keystore), 'keystore.pass': tmpFile('pass', 'changeit\n') } });
    const secret = findObject(synthValid(c), 'Secret', 'tls');
    expect(secret.stringData).toEqual({ 'keystore.pass': 'changeit\n' });
    expect(secret.data).toEqual({ 'keystore.jks': keystore.toString('base64') });
    expect(errorOf(() => AppSecret.fromFile(chart(), 'x', { files: { key: '/nonexistent/key' } })))
      .toMatch(/^test\/x: files.key: "\/nonexistent\/key" cannot be read \(ENOENT\)/);
  });

  test('fromExisting is a reference: nothing synthesized, not hashed', () => {
    const c = chart();
    const app = tomcatApp(c);
    const s = AppSecret.fromExisting(c, 'db', 'shop-db-credentials', { keys: ['password'] });
    s.envVars(ConfigTarget.fromTomcatApp(app), { DB_PASSWORD: 'password' });
    const m = synthValid(c);
    expect(findObjects(m, 'Secret')).toEqual([]);
    expect(podSpec(m).containers[0].env.find((e: any) => e.name === 'DB_PASSWORD').valueFrom)
      .toEqual({ secretKeyRef: { name: 'shop-db-credentials', key: 'password' } });
    expect(podAnnotations(m)['cdk8s-paas.io/secret-hash']).toBeUndefined();
    expect(s.keys).toEqual(['password']);
    expect(errorOf(() => s.envVars(ConfigTarget.fromTomcatApp(app), { DB_USER: 'username' }))).toContain('variables.DB_USER: "username" is not a key of this Secret; its keys are "password"');
    // without known keys any key may be referenced
    AppSecret.fromExisting(c, 'any', 'other').envVars(ConfigTarget.fromTomcatApp(app), { TOKEN: 'token' });
    expect(errorOf(() => AppSecret.fromExisting(c, 'bad', 'Bad_Name'))).toContain('test/bad: name: "Bad_Name" is not a valid DNS-1123 subdomain');
  });

  test('fromLiterals warns about plaintext unless acknowledged', () => {
    const c = chart();
    AppSecret.fromLiterals(c, 'plain', { data: { token: 'literal-token' } });
    AppSecret.fromLiterals(c, 'acked', { data: { token: 'literal-token' }, acknowledgePlaintext: true });
    expect(Warnings.collect(c)).toEqual([
      'test/plain: data: secret values are written in plaintext into the synthesized manifest; read them with AppSecret.fromEnv or fromFile, or set acknowledgePlaintext: true',
    ]);
  });
});

describe('AppSecret attached', () => {
  beforeEach(() => {
    process.env.TEST_DB_PASSWORD = 'pw-from-env';
  });

  test('as environment variables: all keys (envFrom) or chosen keys', () => {
    const c = chart();
    const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
    const s = AppSecret.fromEnv(c, 'db', { name: 'db', variables: { password: 'TEST_DB_PASSWORD' } });
    s.envFrom(t, { prefix: 'DB_' });
    s.envVars(t, { DATABASE_PASSWORD: 'password' });
    const tomcat = podSpec(synthValid(c)).containers[0];
    expect(tomcat.envFrom).toEqual([{ secretRef: { name: 'db' }, prefix: 'DB_' }]);
    expect(tomcat.env.find((e: any) => e.name === 'DATABASE_PASSWORD').valueFrom).toEqual({ secretKeyRef: { name: 'db', key: 'password' } });
  });

  test('as files: mode 0400 by default, or as given', () => {
    const c = chart();
    const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
    const s = AppSecret.fromEnv(c, 'db', { name: 'db', variables: { password: 'TEST_DB_PASSWORD' } });
    s.mountDirectory(t, '/run/secrets/db');
    const tls = AppSecret.fromLiterals(c, 'tls', { name: 'tls', data: { 'keystore.pass': 'changeit' }, acknowledgePlaintext: true });
    tls.mountFile(t, 'keystore.pass', '/usr/local/tomcat/conf/keystore.pass', { mode: 0o440 });
    const pod = podSpec(synthValid(c));
    const mounts = pod.containers[0].volumeMounts;
    const dir = mounts.find((m: any) => m.mountPath === '/run/secrets/db');
    expect(dir.readOnly).toBe(true);
    expect(pod.volumes.find((v: any) => v.name === dir.name).secret).toEqual({ secretName: 'db', defaultMode: 0o400 });
    const file = mounts.find((m: any) => m.mountPath === '/usr/local/tomcat/conf/keystore.pass');
    expect(file).toMatchObject({ subPath: 'keystore.pass', readOnly: true });
    expect(pod.volumes.find((v: any) => v.name === file.name).secret).toEqual({
      secretName: 'tls', defaultMode: 0o440, items: [{ key: 'keystore.pass', path: 'keystore.pass' }],
    });
    // the pod's fsGroup lets the non-root Tomcat user read the 0400 files
    expect(pod.securityContext.fsGroup).toBe(10001);
  });

  test('validation messages name keys and sizes, never values', () => {
    const value = 'v'.repeat(1024 * 1024);
    process.env.TEST_HUGE = value;
    const msg = errorOf(() => AppSecret.fromEnv(chart(), 'huge', { variables: { blob: 'TEST_HUGE' } }));
    expect(msg).toBe('test/huge: variables.blob: "blob" brings the Secret to 1048580 bytes of keys and values; the limit is 1048576 bytes (1 MiB): split it or mount large files from elsewhere');
    expect(errorOf(() => AppSecret.fromLiterals(chart(), 'k', { data: { 'bad key': 'hunter2' }, acknowledgePlaintext: true }))).not.toContain('hunter2');
  });
});
