import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { KubeVersion, PaasApp, UpgradePlan, ValidationError } from '../../src';
import { useVolumePluginData, volumeRemovals } from '../../src/platform/upgrade-plan';

const obj = (apiVersion: string, kind: string, name: string, spec: any = {}) => ({ apiVersion, kind, metadata: { name, namespace: 'ops' }, spec });

describe('UpgradePlan', () => {
  test('one step per minor version, control plane first, then drain and upgrade the nodes', () => {
    const plan = UpgradePlan.forManifests([], { current: KubeVersion.parse('v1.25.4'), target: KubeVersion.V1_28 });
    expect(plan.steps.map(s => `${s.from}->${s.to}`)).toEqual(['1.25->1.26', '1.26->1.27', '1.27->1.28']);
    const [before, apiserver, controllers, nodes] = plan.steps[1].actions;
    expect(before).toMatch(/^before: every kube-apiserver, kube-controller-manager, kube-scheduler and cloud-controller-manager runs 1\.26, every kubelet and kube-proxy 1\.25 or 1\.26/);
    expect(apiserver).toMatch(/^upgrade every kube-apiserver to 1\.27 \(one minor version at a time, never skipping one\)/);
    expect(controllers).toMatch(/^upgrade kube-controller-manager, kube-scheduler and cloud-controller-manager to 1\.27/);
    expect(nodes).toMatch(/^node by node: drain the node .*upgrade its kubelet and kube-proxy to 1\.27, uncordon it/);
    expect(plan.safe).toBe(true);
    expect(UpgradePlan.forManifests([], { current: KubeVersion.V1_27, target: KubeVersion.V1_27 }).steps).toEqual([]);
  });

  test('the action order follows the version-skew policy reference', () => {
    // a copy of shared/reference/version-skew.json
    const order: string[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'version-skew.json'), 'utf-8')).upgrade_order;
    const actions = UpgradePlan.forManifests([], { current: KubeVersion.V1_26, target: KubeVersion.V1_27 }).steps[0].actions.slice(1);
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
    expect(text).toMatch(/step 2: 1\.25 -> 1\.26\n  1\. before:.*\n  2\. upgrade every kube-apiserver to 1\.26.*\n  3\. .*\n  4\. .*\n  breaks on 1\.26 \(migrate before step 1\):\n    - HorizontalPodAutoscaler ops\/web/);
    expect(text).toMatch(/nothing in the app breaks on 1\.27/);
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
});
