import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { KopsCloudProvider, KopsCluster, KopsRole, KubeVersion, PaasApp, UpgradePlan, ValidationError } from '../../src';
import { useVolumePluginData, volumeRemovals } from '../../src/platform/upgrade-plan';

const obj = (apiVersion: string, kind: string, name: string, spec: any = {}) => ({ apiVersion, kind, metadata: { name, namespace: 'ops' }, spec });

describe('UpgradePlan', () => {
  test('one step per minor version, control plane first, then drain and upgrade the nodes', () => {
    const plan = UpgradePlan.forManifests([], { current: KubeVersion.parse('v1.25.4'), target: KubeVersion.V1_28 });
    expect(plan.steps.map(s => `${s.from}->${s.to}`)).toEqual(['1.25->1.26', '1.26->1.27', '1.27->1.28']);
    const [before, manifests, apiserver, controllers, nodes, storage, schema] = plan.steps[1].actions;
    expect(manifests).toBe('manifests: nothing to migrate before 1.27');
    expect(storage).toBe('storage: nothing to rewrite');
    expect(schema).toBe('schema: 0 of 0 objects validate against the 1.27 schema');
    expect(before).toMatch(/^before: every kube-apiserver, kube-controller-manager, kube-scheduler and cloud-controller-manager runs 1\.26, every kubelet and kube-proxy 1\.25 or 1\.26/);
    expect(apiserver).toMatch(/^upgrade every kube-apiserver to 1\.27 \(one minor version at a time, never skipping one\)/);
    expect(controllers).toMatch(/^upgrade kube-controller-manager, kube-scheduler and cloud-controller-manager to 1\.27/);
    expect(nodes).toMatch(/^node group "nodes", node by node: drain the node .*honours the PodDisruptionBudgets.*upgrade its kubelet and kube-proxy to 1\.27, uncordon it/);
    expect(plan.safe).toBe(true);
    expect(UpgradePlan.forManifests([], { current: KubeVersion.V1_27, target: KubeVersion.V1_27 }).steps).toEqual([]);
  });

  test('the action order follows the version-skew policy reference', () => {
    // a copy of shared/reference/version-skew.json
    const order: string[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'version-skew.json'), 'utf-8')).upgrade_order;
    const actions = UpgradePlan.forManifests([], { current: KubeVersion.V1_26, target: KubeVersion.V1_27 }).steps[0].actions.slice(2);
    expect(order[0]).toMatch(/kube-apiserver first/);
    expect(actions[0]).toMatch(/kube-apiserver/);
    expect(order.find(o => /kube-controller-manager/.test(o) && /^then/.test(o))).toBeDefined();
    expect(actions[1]).toMatch(/kube-controller-manager/);
    expect(order.some(o => /kubelets/.test(o) && /[Dd]rain/.test(o))).toBe(true);
    expect(actions[2]).toMatch(/drain.*kubelet/);
  });

  test('each step lists the objects that break there; objects broken already are listed apart', () => {
    const manifests = [
      obj('batch/v1beta1', 'CronJob', 'nightly'),
      obj('autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'web'),
      obj('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', 'fs'),
      obj('extensions/v1beta1', 'Ingress', 'legacy'),
      obj('apps/v1', 'Deployment', 'fine'),
    ];
    const plan = UpgradePlan.forManifests(manifests, { current: KubeVersion.V1_24, target: KubeVersion.parse('1.29') });
    const byStep = Object.fromEntries(plan.steps.map(s => [s.to.toString(), s.breaks.map(b => b.object)]));
    expect(byStep).toEqual({
      1.25: ['CronJob ops/nightly'],
      1.26: ['HorizontalPodAutoscaler ops/web'],
      1.27: [],
      1.28: [],
      1.29: ['FlowSchema ops/fs'],
    });
    expect(plan.steps[0].breaks[0]).toEqual({ object: 'CronJob ops/nightly', path: 'CronJob ops/nightly', field: 'apiVersion', reason: '"batch/v1beta1" is not served for CronJob from 1.25: use batch/v1' });
    expect(plan.brokenNow.map(b => b.object)).toEqual(['Ingress ops/legacy']);
    expect(plan.safe).toBe(false);
    const text = plan.toString();
    expect(text).toMatch(/^upgrade plan 1\.24 -> 1\.29: 5 steps\nalready broken on 1\.24:\n  - Ingress ops\/legacy/);
    expect(text).toMatch(/step 2: 1\.25 -> 1\.26\n  1\. before:.*\n  2\. manifests: breaks on 1\.26, migrate before step 2:\n    - HorizontalPodAutoscaler ops\/web .*: use autoscaling\/v2 \(served since 1\.23\), possible now[^\n]*\n  3\. control plane to 1\.26:/);
    expect(text).toMatch(/2\. manifests: nothing in the app breaks on 1\.27/);
    expect(text).not.toContain('migrate before step 1)');
  });

  test('forApp reads the app objects and their current version', () => {
    const app = new PaasApp({ kubeVersion: KubeVersion.V1_24, outdir: '/tmp/unused' });
    new ApiObject(new Chart(app, 'jobs'), 'nightly', obj('batch/v1beta1', 'CronJob', 'nightly'));
    const plan = UpgradePlan.forApp(app, { target: KubeVersion.V1_26 });
    expect(plan.current.toString()).toBe('1.24');
    expect(plan.steps[0].breaks).toEqual([expect.objectContaining({ object: 'CronJob ops/nightly', path: 'jobs/nightly' })]);
    expect(UpgradePlan.forApp(Testing.app(), { current: KubeVersion.V1_25, target: KubeVersion.V1_26 }).safe).toBe(true);
  });

  test('downgrades and major jumps are rejected with the value', () => {
    expect(() => UpgradePlan.forManifests([], { current: KubeVersion.V1_27, target: KubeVersion.V1_26 })).toThrow(ValidationError);
    expect(() => UpgradePlan.forManifests([], { current: KubeVersion.V1_27, target: KubeVersion.V1_26 }))
      .toThrow('UpgradePlan: target: "1.26" is older than the current version 1.27: Kubernetes does not support downgrades, the target must be 1.27 or newer');
    expect(() => UpgradePlan.forManifests([], { current: KubeVersion.V1_27, target: KubeVersion.parse('2.0') })).toThrow(/target: "2.0" has another major version/);
  });

  test('removed in-tree volume plugins break at their step when volume-plugin data is available', () => {
    const data = {
      plugins: [
        { field: 'spec.volumes[*].emptyDir', removed: null },
        { field: 'spec.volumes[*].rbd', removed: 'v1.31 (non-functional)' },
        { field: 'spec.volumes[*].azureDisk', removed: 'v1.27 (redirected to CSI)', csi_driver: 'disk.csi.azure.com' },
      ],
    };
    const removals = volumeRemovals(data);
    expect(removals.map(r => `${r.plugin}@${r.removedIn}`)).toEqual(['rbd@1.31', 'azureDisk@1.27']);
    expect(removals[1].note).toMatch(/CSI driver disk.csi.azure.com/);

    useVolumePluginData(data);
    try {
      const pod = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'db' }, spec: { template: { spec: { volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'data', rbd: { image: 'x', monitors: ['m'] } }] } } } };
      const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'disk' }, spec: { azureDisk: { diskName: 'd', diskURI: 'u' } } };
      const plan = UpgradePlan.forManifests([pod, pv], { current: KubeVersion.V1_26, target: KubeVersion.parse('1.31') });
      const breaks = plan.steps.flatMap(s => s.breaks.map(b => `${s.to}: ${b.object} ${b.field}`));
      expect(breaks).toEqual(['1.27: PersistentVolume disk spec.azureDisk', '1.31: Deployment db spec.template.spec.volumes[1].rbd']);
      expect(plan.steps[4].breaks[0].reason).toBe('the in-tree rbd volume plugin is removed in 1.31: the volume stops working: move the data to a CSI volume');
    } finally {
      useVolumePluginData(undefined);
    }
  });

  describe('real transitions', () => {
    const restricted = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    const pod = (name: string, extra: any) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'ops' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25', securityContext: restricted }], ...extra },
    });
    const sidecar = pod('sidecar', { initContainers: [{ name: 'log', image: 'busybox:1.36', restartPolicy: 'Always' }] });
    const apparmor = pod('apparmor', { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } });
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'ops' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } };
    const frozen = { ...pdb, metadata: { name: 'db', namespace: 'ops' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'db' } } } };
    const fs2 = obj('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', 'fs', { priorityLevelConfiguration: { name: 'global-default' } });
    const fs3 = obj('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', 'fs3', { priorityLevelConfiguration: { name: 'global-default' } });

    test('1.24 -> 1.27: CronJob and PDB v1beta1 at 1.25, HPA v2beta2 at 1.26; flowcontrol storage moves to v1beta3 at 1.26', () => {
      const manifests = [obj('batch/v1beta1', 'CronJob', 'nightly'), obj('autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'web', { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 }),
        obj('policy/v1beta1', 'PodDisruptionBudget', 'old', { maxUnavailable: 1 }), pdb];
      const plan = UpgradePlan.forManifests(manifests, { current: KubeVersion.V1_24, target: KubeVersion.V1_27 });
      expect(plan.steps.map(s => s.migrations.map(m => `${m.kind}:${m.migrateTo}@${m.migrateToServedSince}/step${m.possibleFromStep}`))).toEqual([
        ['CronJob:batch/v1@1.21/step1', 'PodDisruptionBudget:policy/v1@1.21/step1'],
        ['HorizontalPodAutoscaler:autoscaling/v2@1.23/step1'],
        [],
      ]);
      expect(plan.steps[1].storageRewrites).toEqual([
        { resource: 'flowschemas.flowcontrol.apiserver.k8s.io', change: 'v1beta2 -> v1beta3', command: 'kubectl get flowschemas.flowcontrol.apiserver.k8s.io -A -o json | kubectl replace -f -' },
        { resource: 'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io', change: 'v1beta2 -> v1beta3', command: 'kubectl get prioritylevelconfigurations.flowcontrol.apiserver.k8s.io -A -o json | kubectl replace -f -' },
      ]);
      expect(plan.steps[0].storageRewrites).toEqual([]);
      // the policy/v1 PDB validates on every step; the removed ones stop validating where they are removed
      expect(plan.steps.map(s => s.schemaCheck.valid)).toEqual([
        ['HorizontalPodAutoscaler ops/web', 'PodDisruptionBudget ops/web'],
        ['PodDisruptionBudget ops/web'],
        ['PodDisruptionBudget ops/web'],
      ]);
      expect(plan.steps[0].disruptionBudgets).toEqual(['ops/old: maxUnavailable 1', 'ops/web: maxUnavailable 1']);
    });

    test('1.27 -> 1.30: a 1.27 FlowSchema v1beta2 is flagged at the 1.28 -> 1.29 step with its replacement; new fields validate from their version', () => {
      const plan = UpgradePlan.forManifests([fs2, sidecar, apparmor, pdb, frozen], { current: KubeVersion.V1_27, target: KubeVersion.V1_30 });
      expect(plan.steps.map(s => `${s.from}->${s.to}: ${s.migrations.map(m => m.object).join(',')}`)).toEqual(['1.27->1.28: ', '1.28->1.29: FlowSchema ops/fs', '1.29->1.30: ']);
      expect(plan.steps[1].migrations[0]).toEqual({
        object: 'FlowSchema ops/fs',
        path: 'FlowSchema ops/fs',
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
        kind: 'FlowSchema',
        removedIn: '1.29',
        migrateTo: 'flowcontrol.apiserver.k8s.io/v1beta3',
        migrateToServedSince: '1.26',
        possibleFromStep: 1,
        laterReplacement: 'flowcontrol.apiserver.k8s.io/v1',
        notableChanges: expect.arrayContaining([expect.stringMatching(/nominalConcurrencyShares/)]),
      });
      const text = plan.toString();
      expect(text).toMatch(/step 2: 1\.28 -> 1\.29\n.*\n  2\. manifests: breaks on 1\.29, migrate before step 2:\n    - FlowSchema ops\/fs .*apiVersion: "flowcontrol\.apiserver\.k8s\.io\/v1beta2" is not served for FlowSchema from 1\.29: use flowcontrol\.apiserver\.k8s\.io\/v1beta3 \(served since 1\.26\), possible now; then flowcontrol\.apiserver\.k8s\.io\/v1 once the cluster runs 1\.29/);
      // order in a step: manifests, control plane, node groups, storage, schema
      const step2 = text.slice(text.indexOf('step 2:'), text.indexOf('step 3:'));
      const order = ['2. manifests', '3. control plane to 1.29', '4. node group "nodes"', 'kubectl drain N --ignore-daemonsets', '5. storage:', '6. schema 1.29'].map(t => step2.indexOf(t));
      expect(order.every(i => i > 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expect(step2).toContain('flowschemas.flowcontrol.apiserver.k8s.io (v1beta3 -> v1): kubectl get flowschemas.flowcontrol.apiserver.k8s.io -A -o json | kubectl replace -f -');
      expect(step2).toContain('drains honour the PodDisruptionBudgets: ops/web: maxUnavailable 1, ops/db: maxUnavailable 0 (allows no disruption: drains block until it is relaxed)');
      // the sidecar pod validates from 1.28 on; appArmorProfile only on 1.30
      const invalid = plan.steps.map(s => s.schemaCheck.invalid.map(b => b.object));
      // FlowSchema v1beta2 is still served on 1.28
      expect(invalid).toEqual([['Pod ops/apparmor'], ['FlowSchema ops/fs', 'Pod ops/apparmor'], ['FlowSchema ops/fs']]);
      expect(plan.steps[0].schemaCheck.invalid[0].reason).toMatch(/spec\.securityContext\.appArmorProfile: .* is set on unknown field "appArmorProfile", which the v1 Pod \(Kubernetes 1\.28\) schema/);
      expect(plan.steps[0].schemaCheck.valid).toContain('Pod ops/sidecar');
      expect(plan.safe).toBe(false);
    });

    test('a replacement the current version does not serve yet: the migration is possible only from a later step', () => {
      const plan = UpgradePlan.forManifests([fs2], { current: KubeVersion.V1_24, target: KubeVersion.V1_29 });
      const m = plan.steps[4].migrations[0];
      expect(m).toMatchObject({ migrateTo: 'flowcontrol.apiserver.k8s.io/v1beta3', migrateToServedSince: '1.26', possibleFromStep: 3 });
      expect(plan.toString()).toContain('use flowcontrol.apiserver.k8s.io/v1beta3 (served since 1.26), possible once step 2 is done (the cluster serves it from 1.26)');
    });

    test('1.29 -> 1.34: five steps, FlowSchema v1beta3 flagged at 1.31 -> 1.32 (v1 served since 1.29), JSON output', () => {
      const plan = UpgradePlan.forManifests([fs3, pdb], { current: KubeVersion.V1_29, target: KubeVersion.V1_34 });
      expect(plan.steps.map(s => s.to.minorString)).toEqual(['1.30', '1.31', '1.32', '1.33', '1.34']);
      expect(plan.steps[2].migrations).toEqual([expect.objectContaining({ object: 'FlowSchema ops/fs3', migrateTo: 'flowcontrol.apiserver.k8s.io/v1', migrateToServedSince: '1.29', possibleFromStep: 1 })]);
      expect(plan.steps.filter((_s, i) => i !== 2).every(s => s.migrations.length === 0)).toBe(true);
      expect(plan.steps[0].storageRewrites.map(r => r.resource)).toEqual([
        'validatingadmissionpolicies.admissionregistration.k8s.io', 'validatingadmissionpolicybindings.admissionregistration.k8s.io',
      ]);
      const json = JSON.parse(JSON.stringify(plan.toJson()));
      expect(json).toMatchObject({ current: '1.29', target: '1.34', safe: false });
      expect(json.steps[2]).toMatchObject({ step: 3, from: '1.31', to: '1.32', migrations: [{ apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', migrateTo: 'flowcontrol.apiserver.k8s.io/v1' }] });
      expect(json.steps[4].schemaCheck).toEqual({ version: '1.34', checked: true, valid: ['PodDisruptionBudget ops/web'], invalid: [expect.objectContaining({ object: 'FlowSchema ops/fs3' })] });
    });

    test('versions outside the shipped schemas: the plan still lists removals, the schema check says it did not run', () => {
      const plan = UpgradePlan.forManifests([obj('extensions/v1beta1', 'Ingress', 'legacy')], { current: KubeVersion.parse('1.21'), target: KubeVersion.parse('1.22') });
      expect(plan.steps[0].migrations[0]).toMatchObject({ migrateTo: 'networking.k8s.io/v1', migrateToServedSince: '1.19' });
      expect(plan.steps[0].schemaCheck).toEqual({ version: '1.22', checked: false, valid: [], invalid: [] });
      expect(plan.toString()).toContain('schema 1.22: not checked (cdk8s-paas ships no 1.22 schema)');
    });
  });

  test('with a kops cluster: each step carries its kops specs (control plane first) and kops commands; node groups from kops', () => {
    const app = new PaasApp({ kubeVersion: KubeVersion.V1_27, outdir: '/tmp/unused' });
    const kops = new KopsCluster(app, 'kops-cluster', {
      clusterName: 'paas.k8s.local',
      cloudProvider: KopsCloudProvider.OPENSTACK,
      networkCidr: '10.10.0.0/16',
      subnets: [{ name: 'nova', cidr: '10.10.0.0/19', zone: 'nova' }],
    });
    kops.addInstanceGroup('nodes-a', { role: KopsRole.NODE, machineType: 'm1.large', subnets: ['nova'] });
    kops.addInstanceGroup('control-plane', { role: KopsRole.CONTROL_PLANE, machineType: 'm1.large', subnets: ['nova'] });
    kops.addInstanceGroup('nodes-b', { role: KopsRole.NODE, machineType: 'm1.large', subnets: ['nova'] });
    new ApiObject(new Chart(app, 'web'), 'pdb', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'ops' }, spec: { maxUnavailable: 1 } });
    const plan = UpgradePlan.forApp(app, { target: KubeVersion.V1_29, kops });
    const step = plan.steps[1];
    expect(step.kopsSpecs!.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Cluster/paas.k8s.local', 'InstanceGroup/control-plane', 'InstanceGroup/nodes-a', 'InstanceGroup/nodes-b']);
    expect(step.kopsSpecs![0].spec.kubernetesVersion).toBe('1.29.0');
    expect(plan.steps[0].kopsSpecs![0].spec.kubernetesVersion).toBe('1.28.0');
    expect(step.controlPlane).toEqual([
      'kops replace -f kops-step-2.yaml   # the step\'s kops specs: Cluster kubernetesVersion 1.29.0',
      'kops update cluster --name paas.k8s.local --yes',
      'kops rolling-update cluster --name paas.k8s.local --instance-group control-plane --yes   # control plane first, one instance at a time',
      'kubectl version   # every kube-apiserver reports the new version before the nodes move',
    ]);
    expect(step.nodeGroups.map(g => g.name)).toEqual(['nodes-a', 'nodes-b']);
    expect(step.nodeGroups[0].commands[0]).toMatch(/^kops rolling-update cluster --name paas\.k8s\.local --instance-group nodes-a --yes .*PodDisruptionBudgets/);
    // the kops objects are not app manifests: only the PDB is checked
    expect(step.schemaCheck.valid).toEqual(['PodDisruptionBudget ops/web']);
  });
});
