import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import * as yaml from 'yaml';
import { errorOf, tomcatApp } from './helpers';
import {
  AppConfig, AppSecret, AppServiceAccount, ConfigTarget, PaasApp, PaasChart, PodSecurity, RegistryCredentials, RolloutMode, SecretHashKey, Warnings,
} from '../../src';
import { PodSecurityLevel } from '../../src/validate/pod-security';
import { expectValidManifests } from '../fixtures/validate';

// Distinct values, each from one source. A 4-digit PIN is the worst case for
// a hash: 10,000 guesses would find it.
const VALUES: { [what: string]: string } = {
  envPassword: 'Env-Pa55word-q8Zr',
  envUser: 'shop-db-user-7Kx',
  pin: '4711',
  fileToken: 'File-Token-v3N9',
  literal: 'Literal-Value-t2Wm',
  immutable: 'Immutable-Secret-c6Hd',
  registryPassword: 'Registry-Pa55-p4Lq',
  registryFilePassword: 'Registry-File-j8Ys',
};
const HASH_KEY = 'leak-test-hmac-key-0123456789abcdef0123456789';

/** Every form in which a value could slip out: verbatim, base64, hex, plain SHA-256. */
function forms(value: string): string[] {
  return [
    value,
    Buffer.from(value).toString('base64').replace(/=+$/, ''),
    Buffer.from(value).toString('hex'),
    createHash('sha256').update(value).digest('hex'),
  ];
}

class LeakChart extends PaasChart {
  constructor(scope: PaasApp, id: string, dir: string) {
    super(scope, id, { namespace: 'shop' });
    const app = tomcatApp(this);
    const t = ConfigTarget.fromTomcatApp(app);
    const db = AppSecret.fromEnv(this, 'db', { name: 'db', variables: { username: 'LEAK_DB_USER', password: 'LEAK_DB_PASSWORD', pin: 'LEAK_PIN' } });
    db.envVars(t, { DB_USER: 'username', DB_PASSWORD: 'password' });
    db.envFrom(t, { prefix: 'DB_ALL_' });
    db.mountFile(t, 'pin', '/run/secrets/pin');
    const token = AppSecret.fromFile(this, 'token', { name: 'token', files: { token: path.join(dir, 'token') } });
    token.mountDirectory(t, '/run/secrets/token');
    AppSecret.fromLiterals(this, 'literal', { name: 'literal', data: { value: VALUES.literal }, acknowledgePlaintext: true }).envFrom(t);
    AppSecret.fromLiterals(this, 'immutable', { name: 'immutable', data: { value: VALUES.immutable }, acknowledgePlaintext: true, rollout: RolloutMode.IMMUTABLE_NAME_SUFFIX })
      .envVars(t, { IMMUTABLE: 'value' });
    const registry = RegistryCredentials.fromEnv(this, 'registry', { registry: 'registry.example.com', username: 'deployer', passwordVariable: 'LEAK_REGISTRY_PASSWORD' });
    const mirror = RegistryCredentials.fromFile(this, 'mirror', { registry: 'mirror.example.com:5000', username: 'deployer', passwordFile: path.join(dir, 'registry-password') });
    const sa = new AppServiceAccount(this, 'sa', { imagePullSecrets: [registry, mirror] });
    const worker = new kplus.Deployment(this, 'worker', { serviceAccount: sa });
    worker.addContainer({ name: 'main', image: 'registry.example.com/worker:1', securityContext: { user: 1000 } });
    // a plain cdk8s-plus Deployment has no seccomp profile and keeps the default capabilities
    PodSecurity.allow(worker, PodSecurityLevel.BASELINE, 'plain cdk8s-plus worker of the leak test');
    registry.addTo(worker);
    mirror.addTo(worker);
    const wt = ConfigTarget.fromWorkload(worker);
    db.envVars(wt, { PASSWORD: 'password' });
    new AppConfig(this, 'cfg', { data: { mode: 'prod' } }).passAsArgs(wt, ['--mode=$(MODE)'], { MODE: 'mode' });
  }
}

describe('secret values appear only in Secret objects', () => {
  let outdir: string;
  let stderr: string;
  let warnings: string[];

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-'));
    fs.writeFileSync(path.join(dir, 'token'), VALUES.fileToken);
    fs.writeFileSync(path.join(dir, 'registry-password'), `${VALUES.registryFilePassword}\n`);
    Object.assign(process.env, {
      LEAK_DB_USER: VALUES.envUser,
      LEAK_DB_PASSWORD: VALUES.envPassword,
      LEAK_PIN: VALUES.pin,
      LEAK_REGISTRY_PASSWORD: VALUES.registryPassword,
      LEAK_HASH_KEY: HASH_KEY,
    });
    outdir = path.join(dir, 'dist');
    const app = new PaasApp({ outdir });
    SecretHashKey.use(app, SecretHashKey.fromEnv('LEAK_HASH_KEY'));
    new LeakChart(app, 'shop', dir);
    // capture everything synth prints
    const write = process.stderr.write.bind(process.stderr);
    const printed: string[] = [];
    (process.stderr as any).write = (s: any) => { printed.push(String(s)); return true; };
    try {
      app.synth();
    } finally {
      (process.stderr as any).write = write;
    }
    stderr = printed.join('');
    warnings = Warnings.collect(app);
  });

  test('a scan of every synthesized file finds each value in a Secret and nowhere else', () => {
    const files = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).map(f => path.join(outdir, f));
    expect(files.length).toBeGreaterThan(0);
    const docs = files.flatMap(f => yaml.parseAllDocuments(fs.readFileSync(f, 'utf-8')).map(d => d.toJS()));
    // the plain worker Deployment is baseline; the Tomcat app is restricted (checked in the other tests)
    expectValidManifests(docs, { podSecurity: PodSecurityLevel.BASELINE });
    const secrets = docs.filter(d => d.kind === 'Secret');
    const others = docs.filter(d => d.kind !== 'Secret');
    expect(secrets.length).toBe(6); // db, token, literal, immutable, registry, mirror
    expect(others.map(d => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Deployment', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    const secretText = JSON.stringify(secrets);
    const otherText = JSON.stringify(others) + others.map(d => yaml.stringify(d)).join('\n');
    for (const [what, value] of Object.entries(VALUES)) {
      expect({ what, inSecret: secretText.includes(value) || secretText.includes(Buffer.from(value).toString('base64').replace(/=+$/, '')) })
        .toEqual({ what, inSecret: true });
      for (const form of forms(value)) {
        // the PIN is 4 digits: it may legitimately occur inside a long hex hash by chance, so
        // for it check whole tokens only
        const found = value === VALUES.pin ? new RegExp(`(^|[^0-9a-f])${form}([^0-9a-f]|$)`).test(otherText) : otherText.includes(form);
        expect({ what, form, found }).toEqual({ what, form, found: false });
      }
    }
  });

  test('nothing printed at synth and no warning carries a value', () => {
    for (const value of Object.values(VALUES)) {
      expect(stderr).not.toContain(value);
      for (const w of warnings) expect(w).not.toContain(value);
    }
  });

  test('error messages about secrets name keys and variables, never values', () => {
    const app = new PaasApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'leak-err-')) });
    const chart = new PaasChart(app, 'c');
    const t = ConfigTarget.fromTomcatApp(tomcatApp(chart));
    const s = AppSecret.fromEnv(chart, 's', { variables: { password: 'LEAK_DB_PASSWORD' } });
    const messages = [
      errorOf(() => s.envVars(t, { X: 'nokey' })),
      errorOf(() => s.mountFile(t, 'nokey', '/run/x')),
      errorOf(() => AppSecret.fromEnv(chart, 'dup', { variables: { password: 'LEAK_DB_PASSWORD', ['bad key']: 'LEAK_DB_PASSWORD' } })),
      errorOf(() => AppSecret.fromFile(chart, 'f', { files: { a: '/nonexistent' } })),
      errorOf(() => RegistryCredentials.fromEnv(chart, 'r', { registry: 'https://registry.example.com', username: 'u', passwordVariable: 'LEAK_REGISTRY_PASSWORD' })),
    ];
    for (const m of messages) for (const value of Object.values(VALUES)) expect(m).not.toContain(value);
  });

  test('the secret-hash annotation resists guessing: 10,000 PIN guesses under the plain-hash scheme find nothing', () => {
    const docs = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).flatMap(f => yaml.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf-8')).map(d => d.toJS()));
    const annotation: string = docs.find(d => d.kind === 'Deployment' && d.metadata.name === 'shop').spec.template.metadata.annotations['cdk8s-paas.io/secret-hash'];
    expect(annotation).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const observed = annotation.split(':')[1];
    // an attacker who knows everything but the PIN and the key, trying the documented canonical form
    // (the Tomcat pod uses the Secrets db, literal and token; immutable carries its hash in its name)
    const canonical = (pin: string) => JSON.stringify([
      ['db', JSON.stringify([['password', 't', VALUES.envPassword], ['pin', 't', pin], ['username', 't', VALUES.envUser]])],
      ['literal', JSON.stringify([['value', 't', VALUES.literal]])],
      ['token', JSON.stringify([['token', 't', VALUES.fileToken]])],
    ]);
    const plain = (pin: string) => createHash('sha256').update(canonical(pin)).digest('hex');
    const guesses = Array.from({ length: 10000 }, (_, i) => String(i).padStart(4, '0'));
    expect(guesses.filter(g => plain(g) === observed)).toEqual([]);
    // control: the same attack breaks a plain hash at once
    expect(guesses.filter(g => plain(g) === plain(VALUES.pin))).toEqual([VALUES.pin]);
  });
});
