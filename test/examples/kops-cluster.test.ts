import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { synthKopsPaas } from '../../examples/kops-cluster/main';
import { expectValidManifests } from '../fixtures/validate';

const read = (file: string): any[] => YAML.parseAllDocuments(fs.readFileSync(file, 'utf-8')).map(d => d.toJSON());

describe('examples/kops-cluster', () => {
  const quiet = process.env.CDK8S_PAAS_QUIET_WARNINGS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kops-example-'));
  let plan: ReturnType<typeof synthKopsPaas>;
  beforeAll(() => {
    process.env.CDK8S_PAAS_QUIET_WARNINGS = '1';
    plan = synthKopsPaas(dir);
  });
  afterAll(() => {
    process.env.CDK8S_PAAS_QUIET_WARNINGS = quiet;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the cluster in its own file, at the version the PaaS is validated for, strict against the kops CRDs', () => {
    expect(fs.readdirSync(dir).filter(f => !f.startsWith('.')).sort()).toEqual(['kops-cluster.k8s.yaml', 'private-paas.k8s.yaml', 'upgrade']);
    const kops = read(path.join(dir, 'kops-cluster.k8s.yaml'));
    expect(kops.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Cluster/paas.k8s.local', 'InstanceGroup/control-plane-az-1', 'InstanceGroup/control-plane-az-2', 'InstanceGroup/control-plane-az-3',
      'InstanceGroup/nodes-app', 'InstanceGroup/nodes-data',
    ]);
    expect(kops[0].spec.kubernetesVersion).toBe('1.27.16');
    expect(kops[0].spec.etcdClusters[0].etcdMembers.map((m: any) => m.instanceGroup)).toEqual(['control-plane-az-1', 'control-plane-az-2', 'control-plane-az-3']);
    expectValidManifests(kops);
    // the PaaS file holds no kops object (it is what kubectl applies)
    const paas = read(path.join(dir, 'private-paas.k8s.yaml'));
    expect(paas.some(o => o.apiVersion.startsWith('kops.k8s.io'))).toBe(false);
    expectValidManifests(paas);
  });

  test('the upgrade plan to 1.30 and the kops specs of each step, control plane first', () => {
    expect(plan.steps.map(s => s.to.minorString)).toEqual(['1.28', '1.29', '1.30']);
    expect(plan.safe).toBe(true);
    const text = fs.readFileSync(path.join(dir, 'upgrade', 'plan.txt'), 'utf-8');
    expect(text).toMatch(/^upgrade plan 1\.27 -> 1\.30: 3 steps\n/);
    expect(text).toContain('drains honour the PodDisruptionBudgets: shop/storefront: maxUnavailable 1, shop/backoffice: maxUnavailable 1');
    plan.steps.forEach((s, i) => {
      const specs = read(path.join(dir, 'upgrade', `kops-step-${i + 1}.yaml`));
      expect(specs[0].spec.kubernetesVersion).toBe(`${s.to.minorString}.0`);
      expect(specs.slice(1, 4).every(o => o.spec.role === 'ControlPlane')).toBe(true);
      expect(specs.slice(4).map(o => o.metadata.name)).toEqual(['nodes-app', 'nodes-data']);
      expectValidManifests(specs);
    });
  });
});
