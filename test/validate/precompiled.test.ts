import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import { AppConfig, AppNetwork, AppSecret, ConfigTarget, Peer, TomcatApp, WarArtifact } from '../../src';
import { dataPath } from '../../src/validate/data';
import { PRECOMPILED_FILE, PRECOMPILED_KINDS, precompiledValidatorsCode, SchemaValidator } from '../../src/validate/schema';
import { synthValid } from '../fixtures/validate';

// The validators of the kinds the library emits most are ajv standalone code
// generated at build time (data/validators/k8s-1.27.js, `npx projen gen:validators`).
// They must be current and find exactly what runtime compilation finds.

/** A validator that compiles every kind at run time (no precompiled code), as before. */
const runtime = (): SchemaValidator => new (SchemaValidator as any)(false, false);

/** Good manifests of every precompiled kind: a synthesized Tomcat app and a few literals. */
function goodManifests(): any[] {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
  const tomcat = new TomcatApp(chart, 'shop', { artifacts: [WarArtifact.fromImage('registry.example.com/team/shop-war:1.0.0', { path: '/wars', wars: ['ROOT.war'] })] });
  const target = ConfigTarget.fromTomcatApp(tomcat);
  new AppConfig(chart, 'config', { name: 'shop-config', data: { LOG_LEVEL: 'INFO' } }).envFrom(target);
  AppSecret.fromLiterals(chart, 'secret', { name: 'shop-db', data: { password: 'x' }, acknowledgePlaintext: true }).envVars(target, { DB_PASSWORD: 'password' });
  AppNetwork.allowFrom(tomcat, Peer.namespace('ingress-nginx'));
  const synthesized = synthValid(chart);
  const meta = { name: 'x', namespace: 'shop', labels: { app: 'x' } };
  const pod = synthesized.find(m => m.kind === 'Deployment').spec.template;
  const selector = { matchLabels: { app: 'x' } };
  return [
    ...synthesized,
    { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: { serviceName: 'x', selector, template: pod, volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta, spec: { selector, template: pod, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'pull' }] },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '5Gi' } } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta, spec: { podSelector: selector, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: selector }], ports: [{ port: 8080, protocol: 'TCP' }] }] } },
    { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: meta, spec: { selector, endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scheme: 'http' }] } },
    { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: meta, spec: { selector: 'app == "x"', types: ['Ingress', 'Egress'], egress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [443, '8000:8080'], nets: ['10.0.0.0/8'] } }] } },
  ];
}

/** Every JSON pointer path (as key arrays) of the leaves and inner nodes of `obj`. */
function paths(obj: any, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (obj && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) {
      const p = [...prefix, Array.isArray(obj) ? Number(k) : k];
      out.push(p, ...paths(v, p));
    }
  }
  return out;
}

function mutate(obj: any, path: (string | number)[], change: (parent: any, key: string | number) => void): any {
  const copy = structuredClone(obj);
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k];
  change(parent, path[path.length - 1]);
  return copy;
}

/** Bad variants of a good manifest: at every path a wrong type, an unknown sibling, a removed field, a bad string. */
function badManifests(good: any): any[] {
  const out: any[] = [];
  for (const p of paths(good)) {
    out.push(mutate(good, p, (o, k) => { o[k] = typeof o[k] === 'number' ? 'eighty' : 42; }));
    out.push(mutate(good, p, (o, k) => { o[k] = typeof o[k] === 'object' ? { nmae: 'x', [`${String(k)}x`]: true } : [true]; }));
    out.push(mutate(good, p, (o, k) => { if (Array.isArray(o)) o.splice(Number(k), 1); else delete o[k]; }));
    out.push(mutate(good, p, (o, k) => { o[k] = 'Sometimes'; }));
    out.push(mutate(good, p, o => { if (!Array.isArray(o)) o.imagePullPolicyy = 'Always'; }));
  }
  return out;
}

describe('precompiled validators (data/validators/k8s-1.27.js)', () => {
  test('the committed file is current (regenerate with `npx projen gen:validators`)', () => {
    expect(fs.readFileSync(dataPath(PRECOMPILED_FILE), 'utf-8') === precompiledValidatorsCode()).toBe(true);
  });

  test('every precompiled kind has a good manifest here', () => {
    expect(new Set(goodManifests().map(m => `${m.apiVersion}/${m.kind}`))).toEqual(new Set(PRECOMPILED_KINDS));
  });

  test('they find exactly what runtime compilation finds, on good and bad manifests', () => {
    const pre = SchemaValidator.k8s();
    const rt = runtime();
    let bad = 0;
    for (const good of goodManifests()) {
      expect(pre.validateDetailed(good)).toEqual([]);
      for (const m of [good, ...badManifests(good)]) {
        const expected = rt.validateDetailed(m);
        expect(pre.validateDetailed(m)).toEqual(expected);
        if (expected.length > 0) bad++;
      }
    }
    expect(bad).toBeGreaterThan(1000);
  });

  test('the good manifests need no schema loaded nor compiled at run time', () => {
    const fresh: SchemaValidator = new (SchemaValidator as any)();
    for (const m of goodManifests()) expect(fresh.validate(m)).toEqual([]);
    expect((fresh as any).loadedAjv).toBeUndefined();
  });

  test('a precompiled validator reports like runtime compilation (pointer, value, suggestion)', () => {
    const deployment = goodManifests().find(m => m.kind === 'Deployment');
    const bad = mutate(deployment, ['spec', 'template', 'spec', 'containers', 0, 'image'], c => { c.imagePullPolice = 'Always'; });
    expect(SchemaValidator.k8s().validateDetailed(bad)).toEqual([{
      pointer: '/spec/template/spec/containers/0/imagePullPolice',
      message: 'unknown field "imagePullPolice"',
      keyword: 'unknown-field',
      present: true,
      value: 'Always',
      suggestion: 'imagePullPolicy',
    }]);
  });

  test('a custom resource registered before a precompiled kind is used replaces its schema, as at run time', () => {
    const crd = (v: SchemaValidator) => v.addCustomResourceDefinition({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      spec: {
        group: 'monitoring.coreos.com',
        names: { kind: 'ServiceMonitor' },
        versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { only: { type: 'string' } } } } } } }],
      },
    });
    const sm = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'x' }, spec: { selector: {} } };
    const fresh: SchemaValidator = new (SchemaValidator as any)();
    const rt = runtime();
    crd(fresh);
    crd(rt);
    expect(fresh.validate(sm)).toEqual([{ pointer: '/spec/selector', message: 'unknown field "selector"' }]);
    expect(fresh.validate(sm)).toEqual(rt.validate(sm));
  });
});
