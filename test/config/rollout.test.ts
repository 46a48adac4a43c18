import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { chart, errorOf, podAnnotations, podSpec, tomcatApp } from './helpers';
import { AppConfig, AppSecret, ConfigTarget, RolloutMode, SecretHashKey, Warnings } from '../../src';
import { findObject, synthValid } from '../fixtures/validate';

const KEY = 'k'.repeat(16) + '0123456789abcdef0123';

/** Synthesizes a Tomcat app using one ConfigMap with `data` (in that insertion order); returns the manifests. */
function withConfig(data: [string, string][], rollout?: RolloutMode): any[] {
  const c = chart();
  const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
  const cfg = new AppConfig(c, 'cfg', { name: 'shop-conf', rollout });
  for (const [k, v] of data) cfg.addData(k, v);
  cfg.envFrom(t, { prefix: 'CFG_' });
  return synthValid(c);
}

function configHash(data: [string, string][]): string {
  return podAnnotations(withConfig(data))['cdk8s-paas.io/config-hash'];
}

function withSecret(data: { [k: string]: string }, rollout?: RolloutMode): any[] {
  const c = chart();
  SecretHashKey.use(c, SecretHashKey.fromEnv('TEST_SECRET_HASH_KEY'));
  const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
  const s = AppSecret.fromLiterals(c, 'db', { name: 'db', data, acknowledgePlaintext: true, rollout });
  s.envFrom(t);
  return synthValid(c);
}

beforeAll(() => {
  process.env.TEST_SECRET_HASH_KEY = KEY;
});

describe('rollout on change: hash annotation (default)', () => {
  test('same content gives the same hash on every run and machine (golden value), whatever the insertion order', () => {
    const h = configHash([['server.xml', '<Server/>'], ['db.url', 'jdbc:postgresql://db/shop']]);
    // a literal: any machine, any run, any Node version must produce exactly this
    expect(h).toBe('sha256:071b5a04d4e1bd4a9f65ef16a9fd7453ee69a2d12d71af1103da85ac45770160');
    expect(configHash([['db.url', 'jdbc:postgresql://db/shop'], ['server.xml', '<Server/>']])).toBe(h);
  });

  test('files read from different places with the same content hash the same', () => {
    const make = (order: string[]) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-'));
      for (const n of order) fs.writeFileSync(path.join(dir, n), `content of ${n}\n`);
      const c = chart();
      const cfg = new AppConfig(c, 'cfg', { name: 'conf', directories: [dir] });
      cfg.mountDirectory(ConfigTarget.fromTomcatApp(tomcatApp(c)), '/etc/shop');
      return podAnnotations(synthValid(c))['cdk8s-paas.io/config-hash'];
    };
    expect(make(['a.xml', 'b.xml', 'c.xml'])).toBe(make(['c.xml', 'a.xml', 'b.xml']));
  });

  test('the hash changes iff a key or value changes (property)', () => {
    const entries = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/), fc.string({ maxLength: 20 })), { selector: ([k]) => k, minLength: 1, maxLength: 5 });
    fc.assert(fc.property(entries, fc.nat(), fc.string({ minLength: 1, maxLength: 5 }), (data, pick, extra) => {
      const base = configHash(data);
      // the same content in another order: same hash
      expect(configHash([...data].reverse())).toBe(base);
      const i = pick % data.length;
      // a changed value
      const changedValue = data.map(([k, v], j) => [k, j === i ? v + extra : v] as [string, string]);
      expect(configHash(changedValue)).not.toBe(base);
      // a renamed key
      const renamed = data.map(([k, v], j) => [j === i ? `${k}-x` : k, v] as [string, string]);
      if (!data.some(([k]) => k === `${data[i][0]}-x`)) expect(configHash(renamed)).not.toBe(base);
      // a removed or added key
      if (data.length > 1) expect(configHash(data.filter((_, j) => j !== i))).not.toBe(base);
      expect(configHash([...data, ['zz-added', '']])).not.toBe(base);
    }), { numRuns: 40 });
  });

  test('only pods that use a ConfigMap carry its hash', () => {
    const c = chart();
    const a = tomcatApp(c, 'a');
    tomcatApp(c, 'b');
    new AppConfig(c, 'cfg', { data: { x: '1' } }).envFrom(ConfigTarget.fromTomcatApp(a));
    const m = synthValid(c);
    expect(podAnnotations(m, 'a')['cdk8s-paas.io/config-hash']).toMatch(/^sha256:/);
    // b's pod template carries only TomcatApp's own annotation, no hash
    expect(podAnnotations(m, 'b')).toEqual({ 'kubectl.kubernetes.io/default-container': 'tomcat' });
  });

  test('content added after attaching is part of the hash (computed at synth)', () => {
    const run = (late: string) => {
      const c = chart();
      const cfg = new AppConfig(c, 'cfg', { name: 'conf', data: { a: '1' } });
      cfg.envFrom(ConfigTarget.fromTomcatApp(tomcatApp(c)));
      cfg.addData('b', late);
      return podAnnotations(synthValid(c))['cdk8s-paas.io/config-hash'];
    };
    expect(run('x')).not.toBe(run('y'));
  });

  test('Secrets get an HMAC keyed with the SecretHashKey: same content same value, any change another', () => {
    const h = podAnnotations(withSecret({ password: 'hunter2', user: 'shop' }))['cdk8s-paas.io/secret-hash'];
    expect(h).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(podAnnotations(withSecret({ user: 'shop', password: 'hunter2' }))['cdk8s-paas.io/secret-hash']).toBe(h);
    expect(podAnnotations(withSecret({ password: 'hunter3', user: 'shop' }))['cdk8s-paas.io/secret-hash']).not.toBe(h);
    expect(podAnnotations(withSecret({ password: 'hunter2', login: 'shop' }))['cdk8s-paas.io/secret-hash']).not.toBe(h);
    // another key gives another value: the annotation cannot be recomputed without the key
    process.env.TEST_SECRET_HASH_KEY = KEY.replace('k', 'K');
    try {
      expect(podAnnotations(withSecret({ password: 'hunter2', user: 'shop' }))['cdk8s-paas.io/secret-hash']).not.toBe(h);
    } finally {
      process.env.TEST_SECRET_HASH_KEY = KEY;
    }
  });

  test('without a SecretHashKey there is no secret annotation, and a warning says so', () => {
    const saved = process.env.CDK8S_PAAS_SECRET_HASH_KEY;
    delete process.env.CDK8S_PAAS_SECRET_HASH_KEY;
    try {
      const c = chart();
      const app = tomcatApp(c);
      AppSecret.fromLiterals(c, 'db', { data: { password: 'x' }, acknowledgePlaintext: true }).envFrom(ConfigTarget.fromTomcatApp(app));
      expect(podAnnotations(synthValid(c))['cdk8s-paas.io/secret-hash']).toBeUndefined();
      expect(Warnings.collect(c)).toEqual([
        'test/shop/Deployment: pods will not roll when their Secrets change: no secret hash key; set CDK8S_PAAS_SECRET_HASH_KEY to at least 32 random characters in the synth environment or call SecretHashKey.use()',
      ]);
    } finally {
      if (saved !== undefined) process.env.CDK8S_PAAS_SECRET_HASH_KEY = saved;
    }
  });

  test('the default key comes from CDK8S_PAAS_SECRET_HASH_KEY', () => {
    const saved = process.env.CDK8S_PAAS_SECRET_HASH_KEY;
    process.env.CDK8S_PAAS_SECRET_HASH_KEY = KEY;
    try {
      const c = chart();
      AppSecret.fromLiterals(c, 'db', { data: { password: 'x' }, acknowledgePlaintext: true }).envFrom(ConfigTarget.fromTomcatApp(tomcatApp(c)));
      expect(podAnnotations(synthValid(c))['cdk8s-paas.io/secret-hash']).toMatch(/^hmac-sha256:/);
    } finally {
      if (saved === undefined) delete process.env.CDK8S_PAAS_SECRET_HASH_KEY; else process.env.CDK8S_PAAS_SECRET_HASH_KEY = saved;
    }
  });

  test('SecretHashKey errors never show the key', () => {
    process.env.SHORT_KEY = 'tooshort';
    const msg = errorOf(() => SecretHashKey.fromEnv('SHORT_KEY'));
    expect(msg).toBe('SecretHashKey: environment variable SHORT_KEY: "<hidden, 8 bytes>" is too short to key an HMAC: use at least 32 random characters (e.g. "openssl rand -hex 32")');
    expect(msg).not.toContain('tooshort');
    expect(errorOf(() => SecretHashKey.fromEnv('UNSET_KEY_VARIABLE'))).toContain('SecretHashKey.fromEnv: variable: "UNSET_KEY_VARIABLE" is not set in the synth environment');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'key-')), 'key');
    fs.writeFileSync(file, `${KEY}\n`);
    expect(SecretHashKey.fromFile(file).source).toBe(`file ${file}`);
    expect(errorOf(() => SecretHashKey.fromFile('/nonexistent/key'))).toContain('SecretHashKey.fromFile: file: "/nonexistent/key" cannot be read (ENOENT)');
  });
});

describe('rollout on change: immutable objects with a content-hash name suffix', () => {
  test('the ConfigMap is immutable, named <name>-<hash>, and every reference uses that name', () => {
    const c = chart();
    const t = ConfigTarget.fromTomcatApp(tomcatApp(c));
    const cfg = new AppConfig(c, 'cfg', { name: 'shop-conf', data: { 'server.xml': '<Server/>', 'db.url': 'jdbc:x' }, rollout: RolloutMode.IMMUTABLE_NAME_SUFFIX });
    cfg.mountFile(t, 'server.xml', '/usr/local/tomcat/conf/server.xml');
    cfg.envVars(t, { DB_URL: 'db.url' });
    cfg.envFrom(t, { prefix: 'CFG_' });
    const m = synthValid(c);
    const cm = m.find(o => o.kind === 'ConfigMap');
    expect(cm.immutable).toBe(true);
    expect(cm.metadata.name).toBe(`shop-conf-${cfg.contentHash.slice(0, 10)}`);
    expect(cm.metadata.name).toMatch(/^shop-conf-[0-9a-f]{10}$/);
    const pod = podSpec(m);
    const tomcat = pod.containers[0];
    expect(pod.volumes.find((v: any) => v.configMap).configMap.name).toBe(cm.metadata.name);
    expect(tomcat.env.find((e: any) => e.name === 'DB_URL').valueFrom.configMapKeyRef.name).toBe(cm.metadata.name);
    expect(tomcat.envFrom[0].configMapRef.name).toBe(cm.metadata.name);
    // the name carries the change: no annotation needed
    expect(podAnnotations(m)['cdk8s-paas.io/config-hash']).toBeUndefined();
    // every string in the output that mentions the ConfigMap uses the hashed name
    expect(JSON.stringify(m).match(/shop-conf[-0-9a-z]*/g)!.every(s => s === cm.metadata.name)).toBe(true);
  });

  test('the name changes iff the content changes', () => {
    const name = (data: [string, string][]) => findObject(withConfig(data, RolloutMode.IMMUTABLE_NAME_SUFFIX), 'ConfigMap').metadata.name;
    const a = name([['a', '1'], ['b', '2']]);
    expect(name([['b', '2'], ['a', '1']])).toBe(a);
    expect(name([['a', '1'], ['b', '3']])).not.toBe(a);
  });

  test('a generated base name is a DNS label', () => {
    const c = chart();
    const cfg = new AppConfig(c, 'Shop_Config', { data: { a: '1' }, rollout: RolloutMode.IMMUTABLE_NAME_SUFFIX });
    const cm = findObject(synthValid(c), 'ConfigMap');
    expect(cm.metadata.name).toMatch(/^[a-z0-9-]+-[0-9a-f]{10}$/);
    expect(cm.metadata.name.endsWith(cfg.contentHash.slice(0, 10))).toBe(true);
  });

  test('Secrets: immutable, the suffix is a keyed HMAC, references rewritten', () => {
    const m = withSecret({ password: 'hunter2' }, RolloutMode.IMMUTABLE_NAME_SUFFIX);
    const s = findObject(m, 'Secret');
    expect(s.immutable).toBe(true);
    expect(s.metadata.name).toMatch(/^db-[0-9a-f]{10}$/);
    expect(podSpec(m).containers[0].envFrom).toEqual([{ secretRef: { name: s.metadata.name } }]);
    expect(findObject(withSecret({ password: 'hunter3' }, RolloutMode.IMMUTABLE_NAME_SUFFIX), 'Secret').metadata.name).not.toBe(s.metadata.name);
    expect(findObject(withSecret({ password: 'hunter2' }, RolloutMode.IMMUTABLE_NAME_SUFFIX), 'Secret').metadata.name).toBe(s.metadata.name);
  });

  test('an immutable Secret needs a SecretHashKey', () => {
    const saved = process.env.CDK8S_PAAS_SECRET_HASH_KEY;
    delete process.env.CDK8S_PAAS_SECRET_HASH_KEY;
    try {
      expect(errorOf(() => AppSecret.fromLiterals(chart(), 'db', { data: { p: 'x' }, acknowledgePlaintext: true, rollout: RolloutMode.IMMUTABLE_NAME_SUFFIX })))
        .toBe('test/db: rollout: "immutable-name-suffix" needs a secret hash key for the name suffix (a plain hash would expose low-entropy values): '
          + 'set CDK8S_PAAS_SECRET_HASH_KEY to at least 32 random characters or call SecretHashKey.use()');
    } finally {
      if (saved !== undefined) process.env.CDK8S_PAAS_SECRET_HASH_KEY = saved;
    }
  });
});
