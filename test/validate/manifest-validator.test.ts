import { FindingSeverity, KubeVersion, ManifestCheck, ManifestValidator, PodSecurityLevel } from '../../src';
import { pointerToField, show, validateManifests, valueAt } from '../../src/validate/manifest-validator';

const secure = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const deployment = (podSpec: any, extra: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x:1', securityContext: secure }], ...podSpec } }, ...extra },
});
const messages = (m: any, opts: any = {}) => ManifestValidator.validateObject(m, opts).map(f => f.message);

describe('ManifestValidator: the known problems, each with a precise message', () => {
  test('a valid object has no findings', () => {
    expect(ManifestValidator.validateObject(deployment({}))).toEqual([]);
  });

  test('unknown field: names the field, the value and the close known field', () => {
    const d = deployment({ containers: [{ name: 'c', image: 'x:1', securityContext: secure, imagePullPolicyy: 'Always' }] });
    expect(ManifestValidator.validateObject(d)).toEqual([{
      severity: FindingSeverity.ERROR,
      check: ManifestCheck.SCHEMA,
      rule: 'unknown-field',
      field: 'spec.template.spec.containers[0].imagePullPolicyy',
      message: 'spec.template.spec.containers[0].imagePullPolicyy: "Always" is set on unknown field "imagePullPolicyy", which the apps/v1 Deployment schema does not define (did you mean "imagePullPolicy")',
    }]);
  });

  test('a Secret value never appears in a message, even when it is wrongly typed', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { token: 12345 }, data: { pin: 4711 } };
    const found = messages(secret);
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/^stringData\.token: \(secret value hidden\) has the wrong type/),
      expect.stringMatching(/^data\.pin: \(secret value hidden\) has the wrong type/),
    ]));
    expect(found.join('\n')).not.toMatch(/12345|4711/);
  });

  test('wrong type: names the field, the value and the expected type', () => {
    const d = deployment({}, { replicas: 'three' });
    expect(messages(d)).toEqual(['spec.replicas: "three" has the wrong type: must be integer']);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: true }] } };
    expect(messages(svc)).toEqual(['spec.ports[0].targetPort: true has the wrong type: must be string or integer']);
  });

  test('missing required field', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ image: 'x:1', securityContext: secure }] } };
    expect(messages(pod)).toEqual(['spec.containers[0].name: (missing) is required by the v1 Pod schema']);
  });

  test('removed API: names the version that removed it and the replacement, instead of "unknown kind"', () => {
    const pdb = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1 } };
    const [f, ...rest] = ManifestValidator.validateObject(pdb);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: FindingSeverity.ERROR, check: ManifestCheck.REMOVED_API, field: 'apiVersion', rule: 'policy/v1beta1/PodDisruptionBudget' });
    expect(f.message).toMatch(/^apiVersion: "policy\/v1beta1" is not served for kind PodDisruptionBudget on Kubernetes 1\.27: removed in 1\.25; use policy\/v1 \(served since 1\.21\)/);
    const ext = { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'd' } };
    expect(messages(ext)[0]).toMatch(/removed in 1\.16; use apps\/v1/);
  });

  test('an API removed after the target version is a warning naming the release that removes it', () => {
    const fs = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kind: 'FlowSchema', metadata: { name: 'f' }, spec: { priorityLevelConfiguration: { name: 'x' } } };
    const found = ManifestValidator.validateObject(fs);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: FindingSeverity.WARNING, check: ManifestCheck.DEPRECATED_API });
    expect(found[0].message).toMatch(/^apiVersion: "flowcontrol.apiserver.k8s.io\/v1beta2" is removed for kind FlowSchema in Kubernetes 1\.29 \(the target 1\.27 still serves it\)/);
    // on 1.29 it is an error
    expect(ManifestValidator.validateObject(fs, { kubeVersion: KubeVersion.V1_29 })[0].severity).toBe(FindingSeverity.ERROR);
  });

  test('privileged pod: flagged under restricted and baseline, with the value, level and check', () => {
    const d = deployment({ containers: [{ name: 'c', image: 'x:1', securityContext: { ...secure, privileged: true } }] });
    const msg = 'spec.template.spec.containers[0].securityContext.privileged: true must be unset or false';
    expect(messages(d)).toEqual([`${msg} (pod security "restricted", check privileged)`]);
    expect(messages(d, { podSecurity: PodSecurityLevel.BASELINE })).toEqual([`${msg} (pod security "baseline", check privileged)`]);
    expect(messages(d, { podSecurity: PodSecurityLevel.PRIVILEGED })).toEqual([]);
  });

  test('hostPath under restricted: names the volume and the allowed types', () => {
    const d = deployment({ volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] });
    expect(ManifestValidator.validateObject(d)).toEqual([expect.objectContaining({
      check: ManifestCheck.POD_SECURITY,
      rule: 'restrictedVolumes',
      field: 'spec.template.spec.volumes[0].hostPath',
      message: 'spec.template.spec.volumes[0].hostPath: {"path":"/var/log"} volume "logs" is of type hostPath: restricted allows only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret (pod security "restricted", check restrictedVolumes)',
    })]);
  });

  test('bad Calico field: an unknown field, a wrong type and an action calicoctl rejects', () => {
    const policy = {
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-web', namespace: 'shop' },
      spec: { selector: "app == 'web'", order: 'first', ingres: [], ingress: [{ action: 'Permit' }], types: ['Ingress', 'Sideways'] },
    };
    expect(messages(policy).sort()).toEqual([
      'spec.ingres: [] is set on unknown field "ingres", which the projectcalico.org/v3 NetworkPolicy schema does not define (did you mean "ingress")',
      'spec.ingress[0].action: "Permit" must be one of "Allow", "Deny", "Log", "Pass"',
      'spec.order: "first" has the wrong type: must be number',
      'spec.types[1]: "Sideways" must be one of "Ingress", "Egress"',
    ]);
    const ok = { ...policy, spec: { selector: "app == 'web'", order: 100, ingress: [{ action: 'Allow' }], types: ['Ingress'] } };
    expect(messages(ok)).toEqual([]);
  });

  test('an unknown kind and a non-object are errors on apiVersion', () => {
    expect(messages({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }))
      .toEqual(['apiVersion: "example.com/v1" with kind "Widget" is not a known API: no Kubernetes 1.27 or registered custom resource schema defines it']);
    expect(messages({ kind: 'Pod' })).toEqual(['apiVersion: (unset) is not a Kubernetes object: apiVersion and kind must be strings']);
  });
});

describe('Pod Security per namespace', () => {
  const ns = (name: string, level?: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: level ? { 'pod-security.kubernetes.io/enforce': level } : {} } });
  const privileged = deployment({ hostNetwork: true });
  const entry = (manifest: any, optIn?: PodSecurityLevel) => ({ manifest, ref: 'r', kubeVersion: KubeVersion.V1_27, optIn, optInReasons: optIn ? [`${optIn}: node agent`] : undefined });

  test('namespaceLevels reads the enforce label of Namespace objects', () => {
    expect(ManifestValidator.namespaceLevels([ns('a', 'baseline'), ns('b'), ns('c', 'bogus'), deployment({})])).toEqual({ a: PodSecurityLevel.BASELINE });
  });

  test('restricted by default; a construct opt-in relaxes it', () => {
    expect(validateManifests([entry(privileged)])[0].findings.map(f => f.rule)).toEqual(['hostNamespaces']);
    const [r] = validateManifests([entry(privileged, PodSecurityLevel.PRIVILEGED)]);
    expect(r.findings).toEqual([]);
    expect(r.podSecuritySource).toBe('opted in with PodSecurity.allow (privileged: node agent)');
  });

  test('a Namespace label in the set decides (it is what admission enforces), in both directions', () => {
    const relaxed = validateManifests([entry(ns('shop', 'privileged')), entry(privileged)]);
    expect(relaxed[1].findings).toEqual([]);
    expect(relaxed[1].podSecurity).toBe(PodSecurityLevel.PRIVILEGED);
    const strict = validateManifests([entry(ns('shop', 'restricted')), entry(privileged, PodSecurityLevel.PRIVILEGED)]);
    expect(strict[1].findings.map(f => f.rule)).toEqual(['hostNamespaces']);
    expect(strict[1].podSecuritySource).toMatch(/namespace "shop" is labelled pod-security.kubernetes.io\/enforce=restricted, stricter than the "privileged" its construct opted in to \(privileged: node agent\)/);
  });

  test('the default level can be changed (CLI --pod-security)', () => {
    expect(validateManifests([entry(privileged)], PodSecurityLevel.PRIVILEGED)[0].findings).toEqual([]);
  });

  test('CustomResourceDefinitions in the set are registered before their objects are checked', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.org' },
      spec: {
        group: 'example.org',
        names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    const gadget = (spec: any) => ({ apiVersion: 'example.org/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'shop' }, spec });
    const [c, good, bad] = validateManifests([entry(crd), entry(gadget({ size: 1 })), entry(gadget({ colour: 'red' }))]);
    expect(c.findings).toEqual([]);
    expect(good.findings).toEqual([]);
    expect(bad.findings.map(f => f.message)).toEqual(['spec.colour: "red" is set on unknown field "colour", which the example.org/v1 Gadget schema does not define']);
  });
});

describe('helpers', () => {
  test('pointerToField, valueAt and show', () => {
    expect(pointerToField('/spec/containers/0/name')).toBe('spec.containers[0].name');
    expect(pointerToField('/metadata/labels/app.kubernetes.io~1name')).toBe("metadata.labels['app.kubernetes.io/name']");
    const o = { metadata: { annotations: { 'a.b/c': 'v' } }, spec: { xs: [{ y: 1 }] } };
    expect(valueAt(o, "metadata.annotations['a.b/c']")).toBe('v');
    expect(valueAt(o, 'spec.xs[0].y')).toBe(1);
    expect(valueAt(o, 'spec.nope[3].y')).toBeUndefined();
    expect(show(undefined)).toBe('(unset)');
    expect(show('x'.repeat(100))).toHaveLength(80);
  });
});
