import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { KubeVersion, PaasApp, PaasChart, TomcatApp, ValidationError, WarArtifact } from '../../src';
import { notServedReason, requireKubeVersion, servedSince } from '../../src/validate/served-api';

describe('the APIs the target version serves', () => {
  test('servedSince reads when a replacement API became available (api-removals.json)', () => {
    expect(servedSince('policy/v1', 'PodDisruptionBudget')?.minorString).toBe('1.21');
    expect(servedSince('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema')?.minorString).toBe('1.29');
    expect(servedSince('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')?.minorString).toBe('1.26');
    expect(servedSince('apps/v1', 'Deployment')?.minorString).toBe('1.9');
    expect(servedSince('v1', 'ConfigMap')).toBeUndefined();
  });

  test('notServedReason: too new, removed, or served', () => {
    expect(notServedReason('policy/v1', 'PodDisruptionBudget', KubeVersion.parse('1.20')))
      .toBe('is not served for PodDisruptionBudget by the target Kubernetes 1.20: it is served from 1.21; target 1.21 or newer');
    expect(notServedReason('policy/v1beta1', 'PodDisruptionBudget', KubeVersion.V1_27))
      .toBe('is not served for PodDisruptionBudget by the target Kubernetes 1.27: removed in 1.25; use policy/v1');
    expect(notServedReason('policy/v1', 'PodDisruptionBudget', KubeVersion.parse('1.21'))).toBeUndefined();
  });

  describe('TomcatApp on a target that does not serve policy/v1 PodDisruptionBudget', () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'served-api-')); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function app(version: string): PaasApp {
      // validation off: the construct's own check speaks, not the (missing) 1.20 schema
      const a = new PaasApp({ outdir: dir, kubeVersion: KubeVersion.parse(version), validation: false });
      const chart = new PaasChart(a, 'itil', { namespace: 'itil' });
      new TomcatApp(chart, 'onecmdb', { artifacts: [WarArtifact.fromImage('registry.example.com/itil/onecmdb:1.4.0', { path: '/app_dir', wars: ['ROOT.war'] })] });
      return a;
    }

    test('1.20: synth fails naming the PDB, the field and the value; nothing is written', () => {
      expect(() => app('1.20').synth()).toThrow('itil/onecmdb/DisruptionBudget: apiVersion: "policy/v1" is not served for PodDisruptionBudget by the target Kubernetes 1.20: it is served from 1.21; target 1.21 or newer');
      expect(fs.existsSync(path.join(dir, 'itil.k8s.yaml'))).toBe(false);
    });

    test('1.21 writes the policy/v1 PDB', () => {
      app('1.21').synth();
      expect(fs.readFileSync(path.join(dir, 'itil.k8s.yaml'), 'utf-8')).toMatch(/apiVersion: policy\/v1\nkind: PodDisruptionBudget/);
    });
  });

  test('requireKubeVersion: sidecar containers need 1.28', () => {
    const a = new PaasApp({ kubeVersion: KubeVersion.V1_27 });
    const scope = new Construct(a, 'web');
    let err: any;
    try {
      requireKubeVersion(scope, 'sidecars', 'sidecar containers (init container restartPolicy "Always")', KubeVersion.V1_28);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe('web: sidecars: "1.27" is the target Kubernetes version, which has no sidecar containers (init container restartPolicy "Always"): they need 1.28 or newer');
    const b = new PaasApp({ kubeVersion: KubeVersion.V1_28 });
    expect(() => requireKubeVersion(new Construct(b, 'web'), 'sidecars', 'sidecar containers', KubeVersion.V1_28)).not.toThrow();
  });
});
