import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AppConfig, AppSecret, AppServiceAccount, GlobalNetworkPolicy, ManifestValidator, NetworkPolicy, PaasApp, PersistentStorage, Tenant,
  TomcatApp, TomcatRuntime, ValidationError, VolumeSource, WarArtifact,
} from '../../src';
import { didYouMean, editDistance } from '../../src/core/checks';

const war = () => WarArtifact.fromImage('registry.example.com/shop/wars:1.0', { wars: ['ROOT.war'] });

/** The ValidationError message of `fn`; fails when it throws anything else or nothing. */
function validationMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (!ValidationError.isValidationError(e)) {
      throw new Error(`expected a ValidationError, got ${(e as any)?.constructor?.name}: ${(e as any)?.message}`);
    }
    return (e as ValidationError).message;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('ValidationError.format never throws and shows values as they are', () => {
  const circular: any = { a: 1 };
  circular.self = circular;
  test.each([
    ['NaN', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['-0', -0, '-0'],
    ['BigInt', BigInt(10), '10n'],
    ['function', function build() {}, '[Function build]'],
    ['symbol', Symbol('s'), 'Symbol(s)'],
    ['undefined', undefined, 'undefined'],
    ['circular', circular, '{"a":1,"self":[Circular]}'],
    ['nested BigInt', { n: [BigInt(1), NaN] }, '{"n":[1n,NaN]}'],
  ])('%s', (_name, value, shown) => {
    expect(ValidationError.format('p', 'f', value, 'is wrong')).toBe(`p: f: ${shown} is wrong`);
  });

  test('a value whose keys cannot be read', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    expect(() => ValidationError.format('p', 'f', hostile, 'is wrong')).not.toThrow();
  });
});

describe('did you mean', () => {
  test('edit distance', () => {
    expect(editDistance('replica', 'replicas')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
  });
  test('suggests within 2 edits only', () => {
    expect(didYouMean('replica', ['replicas', 'port'])).toContain('"replicas"');
    expect(didYouMean('zzzzzz', ['replicas', 'port'])).toBe('');
  });
});

describe('TomcatApp checks its props at the door', () => {
  const cases: Array<[string, any, string[]]> = [
    ['misspelt key', { artifacts: [war()], replica: 5 }, ['test/web: replica: 5 is not a property of TomcatAppProps (did you mean "replicas"?)']],
    ['artifacts a string', { artifacts: 'x' }, ['test/web: artifacts: "x" must be an array of WarArtifact']],
    ['catalinaOpts a number', { artifacts: [war()], catalinaOpts: 42 }, ['catalinaOpts: 42 must be a string']],
    ['serviceAccount a string', { artifacts: [war()], serviceAccount: 'shop-sa' }, ['serviceAccount: "shop-sa" must be an IServiceAccount']],
    ['null where not allowed', { artifacts: [war()], replicas: null }, ['replicas: null must be an integer', 'leave the property out']],
    ['NaN replicas', { artifacts: [war()], replicas: NaN }, ['replicas: NaN must be an integer']],
    ['maxSurge -1', { artifacts: [war()], maxSurge: kplus.PercentOrAbsolute.absolute(-1) }, ['maxSurge: -1 must be a kplus.PercentOrAbsolute of zero or more']],
    ['maxSurge NaN', { artifacts: [war()], maxSurge: kplus.PercentOrAbsolute.absolute(NaN) }, ['maxSurge: NaN must be']],
    ['serviceType any string', { artifacts: [war()], serviceType: 'Public' }, ['serviceType: "Public" must be a ServiceType that selects pods: one of "ClusterIP", "NodePort", "LoadBalancer"']],
    ['EXTERNAL_NAME', { artifacts: [war()], serviceType: kplus.ServiceType.EXTERNAL_NAME }, ['serviceType: "ExternalName" must be a ServiceType that selects pods']],
    ['label value a number', { artifacts: [war()], labels: { tier: 3 } }, ['labels.tier: 3 must be a string']],
    ['resources unknown key', { artifacts: [war()], resources: { memoryLimits: '1Gi' } }, ['resources.memoryLimits: "1Gi" is not a property of TomcatResources (did you mean "memoryLimit"?)']],
    ['env constructor key', { artifacts: [war()], env: { constructor: 5 } }, ['env.constructor: 5 must be a string']],
    ['props null', null, ['test/web: props: null must be a TomcatAppProps object']],
  ];
  test.each(cases)('%s', (_name, props, parts) => {
    const msg = validationMessage(() => new TomcatApp(Testing.chart(), 'web', props));
    for (const p of parts) expect(msg).toContain(p);
  });

  test('a PaasApp as scope is refused: a TomcatApp needs a chart', () => {
    const app = new PaasApp({ outdir: '/tmp/never-written' });
    expect(validationMessage(() => new TomcatApp(app as any, 'web', { artifacts: [war()] })))
      .toContain('web: scope: "(the app)" is not inside a chart: create the TomcatApp in a PaasChart');
  });

  test('a bad id is refused', () => {
    expect(validationMessage(() => new TomcatApp(Testing.chart(), 42 as any, { artifacts: [war()] }))).toContain('id: 42 must be a non-empty string');
    expect(validationMessage(() => new TomcatApp('chart' as any, 'web', { artifacts: [war()] }))).toContain('scope: "chart" must be a construct');
  });

  test('map keys named like Object.prototype members are ordinary keys', () => {
    const chart = Testing.chart();
    const app = new TomcatApp(chart, 'web', { artifacts: [war()], env: { constructor: 'x', toString: 'y' } });
    const env = app.container.env.variables;
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['constructor', 'toString']));
  });

  test('TomcatRuntime.of("constructor") is not a line (no prototype lookup)', () => {
    expect(validationMessage(() => TomcatRuntime.of('constructor'))).toContain('TomcatRuntime.of: line: "constructor" is not a supported Tomcat line');
    expect(validationMessage(() => TomcatRuntime.of(9 as any))).toContain('line: 9 must be a string');
  });

  test('WarArtifact.fromImage checks its options', () => {
    expect(validationMessage(() => WarArtifact.fromImage('x', { war: ['ROOT.war'] } as any))).toContain('war: ["ROOT.war"] is not a property of WarArtifactOptions (did you mean "wars"?)');
    expect(validationMessage(() => WarArtifact.fromImage('x', { wars: 'ROOT.war' } as any))).toContain('wars: "ROOT.war" must be an array of strings');
  });
});

describe('config constructors check their props', () => {
  test('a number as a ConfigMap value', () => {
    expect(validationMessage(() => new AppConfig(Testing.chart(), 'cfg', { data: { port: 8080 as any } })))
      .toContain('test/cfg: data.port: 8080 must be a string');
  });
  test('addData with a number', () => {
    const cfg = new AppConfig(Testing.chart(), 'cfg');
    expect(validationMessage(() => cfg.addData('port', 8080 as any))).toContain('data.port: 8080 must be a string');
  });
  test('a number as a Secret value: the value is never shown', () => {
    const msg = validationMessage(() => AppSecret.fromLiterals(Testing.chart(), 's', { data: { password: 918273645 as any }, acknowledgePlaintext: true }));
    expect(msg).toContain('data.password: (secret value hidden, a number) must be a string');
    expect(msg).not.toContain('918273645');
  });
  test('AppSecret unknown key', () => {
    expect(validationMessage(() => AppSecret.fromLiterals(Testing.chart(), 's', { date: { a: 'b' } } as any)))
      .toContain('date: {"a":"b"} is not a property of AppSecretFromLiteralsProps (did you mean "data"?)');
  });
  test('labels are checked on AppConfig, AppSecret and AppServiceAccount', () => {
    expect(validationMessage(() => new AppConfig(Testing.chart(), 'c', { labels: { 'bad key!': 'x' } }))).toContain('labels.bad key!: "bad key!" is not a valid label key');
    expect(validationMessage(() => AppSecret.fromLiterals(Testing.chart(), 's', { data: {}, labels: { team: 'a b' } }))).toContain('labels.team: "a b" is not a valid label value');
    expect(validationMessage(() => new AppServiceAccount(Testing.chart(), 'sa', { labels: { team: 'x'.repeat(64) } }))).toContain('is not a valid label value');
  });
  test('rollout given any string', () => {
    expect(validationMessage(() => new AppConfig(Testing.chart(), 'c', { rollout: 'restart' as any }))).toContain('rollout: "restart" must be a RolloutMode');
  });
});

describe('Tenant, storage and network constructors check their props', () => {
  test('Tenant podSecurity given any string', () => {
    expect(validationMessage(() => new Tenant(Testing.chart(), 'team', { podSecurity: 'strict' as any })))
      .toContain('test/team: podSecurity: "strict" must be a PodSecurityLevel: one of "privileged", "baseline", "restricted"');
  });
  test('Tenant quota pods as a string', () => {
    expect(validationMessage(() => new Tenant(Testing.chart(), 'team', { quota: { pods: '40' as any } }))).toContain('quota.pods: "40" must be an integer');
  });
  test('Tenant peers with invalid namespace names', () => {
    expect(validationMessage(() => new Tenant(Testing.chart(), 'team', { allowIngressFromNamespaces: ['Ingress NGINX'] })))
      .toContain('allowIngressFromNamespaces[0]: "Ingress NGINX" is not a valid DNS-1123 label');
  });
  test('PersistentStorage reclaimPolicy and volumeMode given any string', () => {
    const source = VolumeSource.nfs({ server: 'nfs.example.com', path: '/export' });
    expect(validationMessage(() => new PersistentStorage(Testing.chart(), 'd', { source, capacity: '1Gi', reclaimPolicy: 'Keep' as any })))
      .toContain('reclaimPolicy: "Keep" must be a PersistentVolumeReclaimPolicy');
    expect(validationMessage(() => new PersistentStorage(Testing.chart(), 'd', { source, capacity: '1Gi', volumeMode: 'Raw' as any })))
      .toContain('volumeMode: "Raw" must be a PersistentVolumeMode');
    expect(validationMessage(() => new PersistentStorage(Testing.chart(), 'd', { source: 'nfs' as any, capacity: '1Gi' })))
      .toContain('source: "nfs" must be a VolumeSource');
  });
  test('NetworkPolicy and GlobalNetworkPolicy labels', () => {
    expect(validationMessage(() => new NetworkPolicy(Testing.chart(), 'p', { labels: { 'a/b/c': 'x' } }))).toContain('labels.a/b/c: "a/b/c" is not a valid label key');
    expect(validationMessage(() => new GlobalNetworkPolicy(Testing.chart(), 'g', { labels: { tier: 'front end' } }))).toContain('labels.tier: "front end" is not a valid label value');
  });
  test('NetworkPolicy selector of the wrong type', () => {
    expect(validationMessage(() => new NetworkPolicy(Testing.chart(), 'p', { selector: "app == 'web'" as any }))).toContain('selector: "app == \'web\'" must be a Selector');
  });
});

describe('ManifestValidator public methods on values that are not objects', () => {
  test.each([null, undefined])('validateObject(%s) is a finding, not a crash', v => {
    const findings = ManifestValidator.validateObject(v as any);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('is not a Kubernetes object');
  });
  test('validateObject with null options uses the defaults', () => {
    expect(ManifestValidator.validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, null as any)).toEqual([]);
  });
  test('namespaceLevels(null) is a ValidationError', () => {
    expect(validationMessage(() => ManifestValidator.namespaceLevels(null as any))).toContain('ManifestValidator.namespaceLevels: manifests: null must be an array');
  });
});
