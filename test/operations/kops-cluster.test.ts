import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JsonPatch } from 'cdk8s';
import * as YAML from 'yaml';
import { KopsApiEndpoint, KopsCloudProvider, KopsCluster, KopsClusterProps, KopsRole, KubeVersion, PaasApp, ValidationError } from '../../src';
import { SchemaValidator } from '../../src/validate/schema';
import { expectValidManifests } from '../fixtures/validate';

const props: KopsClusterProps = {
  clusterName: 'paas.k8s.local',
  cloudProvider: KopsCloudProvider.OPENSTACK,
  networkCidr: '10.10.0.0/16',
  subnets: [{ name: 'nova', cidr: '10.10.32.0/19', zone: 'nova' }],
};

function cluster(app: PaasApp, p: Partial<KopsClusterProps> = {}): KopsCluster {
  const c = new KopsCluster(app, 'kops-cluster', { ...props, ...p });
  c.addInstanceGroup('control-plane-nova', { role: KopsRole.CONTROL_PLANE, machineType: 'm1.large', subnets: ['nova'] });
  c.addInstanceGroup('nodes-nova', { role: KopsRole.NODE, machineType: 'm1.xlarge', minSize: 3, maxSize: 6, subnets: ['nova'] });
  return c;
}

function errorOf(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('no error');
}

describe('KopsCluster and KopsInstanceGroup', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kops-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('synthesizes Cluster and InstanceGroups to kops-cluster.k8s.yaml, version from the app, Calico, etcd main + events', () => {
    // GIVEN an app targeting 1.28.15
    const app = new PaasApp({ outdir: dir, kubeVersion: KubeVersion.parse('v1.28.15') });
    cluster(app);
    // WHEN
    app.synth();
    // THEN one file, cluster first, then the groups
    expect(fs.readdirSync(dir).filter(f => !f.startsWith('.'))).toEqual(['kops-cluster.k8s.yaml']);
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'kops-cluster.k8s.yaml'), 'utf-8')).map(d => d.toJSON());
    expect(docs.map(d => `${d.apiVersion} ${d.kind}/${d.metadata.name}`)).toEqual([
      'kops.k8s.io/v1alpha2 Cluster/paas.k8s.local',
      'kops.k8s.io/v1alpha2 InstanceGroup/control-plane-nova',
      'kops.k8s.io/v1alpha2 InstanceGroup/nodes-nova',
    ]);
    const spec = docs[0].spec;
    expect(spec.kubernetesVersion).toBe('1.28.15');
    expect(spec.cloudProvider).toBe('openstack');
    expect(spec.networking).toEqual({ calico: {} });
    expect(spec.etcdClusters).toEqual([
      { name: 'main', etcdMembers: [{ name: 'control-plane-nova', instanceGroup: 'control-plane-nova' }] },
      { name: 'events', etcdMembers: [{ name: 'control-plane-nova', instanceGroup: 'control-plane-nova' }] },
    ]);
    expect(spec.kubernetesApiAccess).toEqual(['10.10.0.0/16']);
    expect(spec.sshAccess).toEqual(['10.10.0.0/16']);
    expect(spec.api).toEqual({ loadBalancer: { type: 'Internal' } });
    expect(spec.subnets).toEqual([{ name: 'nova', cidr: '10.10.32.0/19', zone: 'nova', type: 'Private' }]);
    expect(docs[2].metadata.labels).toEqual({ 'kops.k8s.io/cluster': 'paas.k8s.local' });
    expect(docs[2].spec).toEqual({ role: 'Node', machineType: 'm1.xlarge', minSize: 3, maxSize: 6, subnets: ['nova'], zones: ['nova'] });
    // strict against the kops CRD schemas (second check, outside the synth pipeline)
    expectValidManifests(docs);
  });

  test('the CRD schemas are strict: an unknown field in a kops object fails', () => {
    const v = SchemaValidator.k8s();
    const ig = { apiVersion: 'kops.k8s.io/v1alpha2', kind: 'InstanceGroup', metadata: { name: 'x' }, spec: { role: 'Node', machineTyp: 'm1.large' } };
    expect(v.validate(ig)).toEqual([{ pointer: '/spec/machineTyp', message: 'unknown field "machineTyp"' }]);
    const c = { apiVersion: 'kops.k8s.io/v1alpha2', kind: 'Cluster', metadata: { name: 'x.k8s.local' }, spec: { networking: { calico: { typhaReplica: 2 } } } };
    expect(v.validate(c)).toEqual([{ pointer: '/spec/networking/calico/typhaReplica', message: 'unknown field "typhaReplica"' }]);
  });

  test('synth validates the kops objects against the CRD schema: a patched-in unknown field fails, nothing written', () => {
    const app = new PaasApp({ outdir: dir });
    const c = cluster(app);
    c.apiObject.addJsonPatch(JsonPatch.add('/spec/kubeletVersion', '1.28.0'));
    expect(() => app.synth()).toThrow(/spec\.kubeletVersion: "1\.28\.0" is set on unknown field "kubeletVersion", which the kops\.k8s\.io\/v1alpha2 Cluster schema does not define/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('the YAML is what kubectl reads (no server needed) as kops objects', () => {
    const app = new PaasApp({ outdir: dir });
    cluster(app, { api: KopsApiEndpoint.DNS });
    app.synth();
    const r = spawnSync('kubectl', ['annotate', '--local', '-f', path.join(dir, 'kops-cluster.k8s.yaml'), 'x=y', '-o', 'json'], { encoding: 'utf-8' });
    expect(r.status).toBe(0);
    // one JSON object per document
    const items = JSON.parse(`[${r.stdout.trim().replace(/\n}\n{/g, '\n},\n{')}]`);
    expect(items.map((i: any) => i.kind)).toEqual(['Cluster', 'InstanceGroup', 'InstanceGroup']);
    expect(items[0].spec.kubernetesVersion).toBe('1.27.0');
    expect(items[0].spec.api).toEqual({ dns: {} });
    expect(items[2].spec.minSize).toBe(3);
  });

  test('specsAt: the Cluster at another version, control-plane groups first', () => {
    const app = new PaasApp({ outdir: dir });
    const c = new KopsCluster(app, 'kops-cluster', props);
    c.addInstanceGroup('nodes', { role: KopsRole.NODE, machineType: 'm1.large', subnets: ['nova'] });
    c.addInstanceGroup('cp', { role: KopsRole.CONTROL_PLANE, machineType: 'm1.large', subnets: ['nova'] });
    const specs = c.specsAt(KubeVersion.V1_29);
    expect(specs.map(s => `${s.kind}/${s.metadata.name}`)).toEqual(['Cluster/paas.k8s.local', 'InstanceGroup/cp', 'InstanceGroup/nodes']);
    expect(specs[0].spec.kubernetesVersion).toBe('1.29.0');
  });

  test.each([
    [{ clusterName: 'Paas' }, 'kops-cluster: clusterName: "Paas" is not a cluster name'],
    [{ cloudProvider: 'vsphere' as any }, 'kops-cluster: cloudProvider: "vsphere" is not a kops cloud provider: expected one of openstack, metal'],
    [{ networking: 'weave' as any }, 'kops-cluster: networking: "weave" is not a kops networking option: expected one of calico'],
    [{ networkCidr: '10.10.0.1/16' }, 'kops-cluster: networkCidr: "10.10.0.1/16" is not an IPv4 network in CIDR notation with no host bits set'],
    [{ subnets: [{ name: 'nova', cidr: '10.20.0.0/19', zone: 'nova' }] }, 'kops-cluster: subnets[0].cidr: "10.20.0.0/19" is not inside the cluster network 10.10.0.0/16'],
    [{ subnets: [] }, 'kops-cluster: subnets: [] is empty'],
    [{ kubernetesApiAccess: ['0.0.0.0'] }, 'kops-cluster: kubernetesApiAccess[0]: "0.0.0.0" is not an IPv4 network in CIDR notation'],
  ])('bad cluster input %o: ValidationError naming field and value', (p, msg) => {
    const e = errorOf(() => new KopsCluster(new PaasApp({ outdir: dir }), 'kops-cluster', { ...props, ...p }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toContain(msg);
  });

  test('bad instance group input: ValidationError naming field and value', () => {
    const c = new KopsCluster(new PaasApp({ outdir: dir }), 'kops-cluster', props);
    const base = { role: KopsRole.NODE, machineType: 'm1.large', subnets: ['nova'] };
    expect(errorOf(() => c.addInstanceGroup('a', { ...base, minSize: 3, maxSize: 2 })).message)
      .toBe('kops-cluster/a: maxSize: 2 is smaller than minSize 3: maxSize must be at least minSize');
    expect(errorOf(() => c.addInstanceGroup('b', { ...base, subnets: ['utility'] })).message)
      .toBe('kops-cluster/b: subnets[0]: "utility" is not a subnet of cluster paas.k8s.local: expected one of "nova"');
    expect(errorOf(() => c.addInstanceGroup('c', { ...base, role: 'Master' as any })).message)
      .toBe('kops-cluster/c: role: "Master" is not a kops instance group role: expected one of ControlPlane, Node, Bastion');
    expect(errorOf(() => c.addInstanceGroup('d', { ...base, machineType: 'm1 large' })).message).toMatch(/^kops-cluster\/d: machineType: "m1 large" is not a machine type/);
    expect(errorOf(() => c.addInstanceGroup('e', { ...base, minSize: 1.5 })).message).toBe('kops-cluster/e: minSize: 1.5 is not a group size: an integer from 0 to 1000');
    expect(errorOf(() => c.addInstanceGroup('Bad_Name', base)).message).toMatch(/^kops-cluster\/Bad_Name: name: "Bad_Name" is not a valid instance group name/);
  });

  test('a cluster without a control-plane group, or with an even number, fails synth and writes nothing', () => {
    const app = new PaasApp({ outdir: dir });
    const c = new KopsCluster(app, 'kops-cluster', props);
    c.addInstanceGroup('nodes', { role: KopsRole.NODE, machineType: 'm1.large', subnets: ['nova'] });
    expect(() => app.synth()).toThrow(/kops-cluster: instanceGroups: 0 control-plane groups: a kops cluster needs at least one instance group with role ControlPlane/);
    c.addInstanceGroup('cp-a', { role: KopsRole.CONTROL_PLANE, machineType: 'm1.large', subnets: ['nova'] });
    c.addInstanceGroup('cp-b', { role: KopsRole.CONTROL_PLANE, machineType: 'm1.large', subnets: ['nova'] });
    expect(() => app.synth()).toThrow(/instanceGroups: \["cp-a","cp-b"\] are 2 control-plane groups: etcd needs an odd number of members/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
