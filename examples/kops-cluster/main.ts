// A private cloud cluster as code: the kops Cluster and its instance groups
// (three control-plane groups, one per zone, for an etcd quorum; app and data
// node groups) on OpenStack, with the private PaaS of examples/private-paas on
// it. One Kubernetes version for both: the kops `kubernetesVersion` is the
// version the PaaS manifests are validated for. Also writes the upgrade plan
// to 1.30 and the kops specs of each of its steps.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import {
  KopsApiEndpoint, KopsCloudProvider, KopsCluster, KopsRole, KubeVersion, PaasApp, UpgradePlan,
} from '../../src';
import { PrivatePaasChart } from '../private-paas/main';

const ZONES = ['az-1', 'az-2', 'az-3'];

/** The cluster with its instance groups. */
export function kopsCluster(app: PaasApp): KopsCluster {
  const cluster = new KopsCluster(app, 'kops-cluster', {
    clusterName: 'paas.k8s.local', // gossip DNS: no DNS zone needed
    cloudProvider: KopsCloudProvider.OPENSTACK,
    networkCidr: '10.10.0.0/16',
    subnets: ZONES.map((zone, i) => ({ name: zone, zone, cidr: `10.10.${32 * i}.0/19` })),
    kubernetesApiAccess: ['10.0.0.0/8'], // the office and the CI runners
    sshAccess: ['10.10.0.0/16'], // from inside the cluster network only (bastion)
    api: KopsApiEndpoint.INTERNAL_LOAD_BALANCER, // Octavia
  });
  for (const zone of ZONES) {
    cluster.addInstanceGroup(`control-plane-${zone}`, { role: KopsRole.CONTROL_PLANE, machineType: 'm1.large', subnets: [zone] });
  }
  cluster.addInstanceGroup('nodes-app', {
    role: KopsRole.NODE,
    machineType: 'm1.xlarge',
    minSize: 3,
    maxSize: 9,
    subnets: ZONES,
    nodeLabels: { 'cdk8s-paas.io/tier': 'app' },
  });
  cluster.addInstanceGroup('nodes-data', {
    role: KopsRole.NODE,
    machineType: 'm1.xlarge.ssd',
    minSize: 3,
    maxSize: 3,
    subnets: ZONES,
    nodeLabels: { 'cdk8s-paas.io/tier': 'data' },
  });
  return cluster;
}

/** Synthesizes the cluster and the PaaS into `outdir`, and the upgrade plan to `target` into `outdir/upgrade/`. */
export function synthKopsPaas(outdir: string, target = KubeVersion.V1_30): UpgradePlan {
  const app = new PaasApp({ outdir, kubeVersion: KubeVersion.parse('v1.27.16') });
  const cluster = kopsCluster(app);
  new PrivatePaasChart(app, 'private-paas');
  app.synth();

  const plan = UpgradePlan.forApp(app, { target, kops: cluster });
  const dir = path.join(outdir, 'upgrade');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'plan.txt'), plan.toString() + '\n');
  plan.steps.forEach((s, i) => {
    fs.writeFileSync(path.join(dir, `kops-step-${i + 1}.yaml`), (s.kopsSpecs ?? []).map(o => YAML.stringify(o)).join('---\n'));
  });
  return plan;
}

if (require.main === module) {
  synthKopsPaas(process.env.CDK8S_OUTDIR ?? 'dist/kops-cluster');
}
