import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import * as YAML from 'yaml';
import { KubeVersion, PaasApp, PaasChart, ValidationError } from '../../src';
import { dataPath } from '../../src/validate/data';
import { ManifestCheck, ManifestValidator } from '../../src/validate/manifest-validator';
import { SchemaValidator } from '../../src/validate/schema';
import { BASE_SCHEMA_FILE, hasSchema, k8sDefinitions, shippedSchemaVersions, VERSIONS_SCHEMA_FILE } from '../../src/validate/schema-store';

// A pod with a sidecar: an init container with restartPolicy "Always" (KEP-753, 1.28)
const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
const sidecarPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: {
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    initContainers: [{ name: 'log-shipper', image: 'busybox:1.36', restartPolicy: 'Always', securityContext: restricted }],
    containers: [{ name: 'web', image: 'nginx:1.25', securityContext: restricted }],
  },
};
// a pod with the appArmorProfile field (GA in 1.30; before: annotations)
const appArmorPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: {
    securityContext: { appArmorProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'web', image: 'nginx:1.25', securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }],
  },
};

const schemaMessages = (m: any, v: string) => ManifestValidator.validateObject(m, { kubeVersion: KubeVersion.parse(v) })
  .filter(f => f.check === ManifestCheck.SCHEMA).map(f => f.message);

describe('per-version Kubernetes schemas', () => {
  test('the package ships 1.24 to 1.34 compactly: 1.27 in full, the others as differences to it', () => {
    expect(shippedSchemaVersions().map(v => v.minorString)).toEqual(
      ['1.24', '1.25', '1.26', '1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34']);
    expect(fs.readdirSync(path.join(__dirname, '..', '..', 'data', 'k8s')).sort()).toEqual(['k8s-1.27.json.gz', 'k8s-versions.json.gz']);
    for (const f of [BASE_SCHEMA_FILE, VERSIONS_SCHEMA_FILE]) expect(fs.statSync(dataPath(f)).size).toBeLessThan(100_000);
    // a kind removed in 1.25 is in 1.24 only; a kind added in 1.34 only there; no descriptions kept
    const d24 = k8sDefinitions(KubeVersion.V1_24);
    const d27 = k8sDefinitions(KubeVersion.V1_27);
    const d34 = k8sDefinitions(KubeVersion.V1_34);
    expect(d24['io.k8s.api.policy.v1beta1.PodSecurityPolicy']).toBeDefined();
    expect(d27['io.k8s.api.policy.v1beta1.PodSecurityPolicy']).toBeUndefined();
    expect(d34['io.k8s.api.resource.v1.DeviceClass']).toBeDefined();
    expect(d27['io.k8s.api.resource.v1.DeviceClass']).toBeUndefined();
    expect(Object.keys(d34).length).toBe(730);
    expect(Object.keys(d24).length).toBe(564);
    expect(JSON.stringify(d24['io.k8s.api.core.v1.Container'])).not.toContain('"description"');
    // 1.28 Container gains restartPolicy, the rest of the definition as in 1.27
    const c27 = d27['io.k8s.api.core.v1.Container'];
    const c28 = k8sDefinitions(KubeVersion.V1_28)['io.k8s.api.core.v1.Container'];
    expect(Object.keys(c28.properties).filter(k => !(k in c27.properties))).toEqual(['restartPolicy']);
    expect(c28.properties.restartPolicy).toEqual({ type: 'string' });
  });

  test.each(['1.28', '1.29', '1.34'])('a sidecar init container (restartPolicy "Always") is accepted on %s', (v) => {
    expect(schemaMessages(sidecarPod, v)).toEqual([]);
  });

  test.each(['1.24', '1.27'])('a sidecar init container is rejected on %s, naming the field, value and version', (v) => {
    expect(schemaMessages(sidecarPod, v)).toEqual([
      `spec.initContainers[0].restartPolicy: "Always" is set on unknown field "restartPolicy", which the v1 Pod${v === '1.27' ? '' : ` (Kubernetes ${v})`} schema does not define`,
    ]);
  });

  test('appArmorProfile is accepted on 1.30 and rejected on 1.29', () => {
    expect(schemaMessages(appArmorPod, '1.30')).toEqual([]);
    const on129 = schemaMessages(appArmorPod, '1.29');
    expect(on129).toHaveLength(2);
    on129.sort();
    expect(on129[1]).toMatch(/^spec\.securityContext\.appArmorProfile: \{"type":"RuntimeDefault"\} is set on unknown field "appArmorProfile", which the v1 Pod \(Kubernetes 1\.29\) schema/);
    expect(on129[0]).toMatch(/^spec\.containers\[0\]\.securityContext\.appArmorProfile: /);
  });

  test('a kind a version does not serve yet is unknown there (flowcontrol v1 from 1.29)', () => {
    const fs1 = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'x' }, spec: { priorityLevelConfiguration: { name: 'global-default' } } };
    expect(SchemaValidator.forVersion(KubeVersion.V1_29).validate(fs1)).toEqual([]);
    expect(SchemaValidator.forVersion(KubeVersion.V1_28).validate(fs1)).toEqual([{
      pointer: '',
      message: 'unknown apiVersion/kind "flowcontrol.apiserver.k8s.io/v1/FlowSchema": no Kubernetes 1.28 or registered custom resource schema defines it',
    }]);
  });

  test('a version outside the data (1.20, 1.35) fails with a ValidationError naming it and the shipped range', () => {
    expect(hasSchema(KubeVersion.parse('1.20'))).toBe(false);
    for (const v of ['1.20', 'v1.35.1']) {
      let err: any;
      try {
        ManifestValidator.validateObject(sidecarPod, { kubeVersion: KubeVersion.parse(v) });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.message).toBe(`kubeVersion: kubeVersion: "${v.replace(/^v/, '')}" has no Kubernetes schema in cdk8s-paas, so its manifests cannot be validated: target one of the shipped versions 1.24 to 1.34`);
    }
  });

  describe('through PaasApp.synth()', () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-versions-')); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    function build(version: string): PaasApp {
      const app = new PaasApp({ outdir: dir, kubeVersion: KubeVersion.parse(version) });
      const chart = new PaasChart(app, 'web', { namespace: 'web' });
      new ApiObject(chart, 'pod', sidecarPod);
      return app;
    }

    test('1.28 writes the sidecar pod; 1.27 refuses it and writes nothing', () => {
      build('1.28').synth();
      const written = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'web.k8s.yaml'), 'utf-8')).map(d => d.toJSON());
      expect(written.find(m => m.kind === 'Pod').spec.initContainers[0].restartPolicy).toBe('Always');

      fs.rmSync(dir, { recursive: true, force: true });
      expect(() => build('1.27').synth()).toThrow(/spec\.initContainers\[0\]\.restartPolicy: "Always" is set on unknown field "restartPolicy"/);
      expect(fs.existsSync(path.join(dir, 'web.k8s.yaml'))).toBe(false);
    });
  });
});
