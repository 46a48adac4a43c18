import { Chart, Testing } from 'cdk8s';
import { TomcatApp, WarArtifact } from '../../src/app';
import {
  AllowFromIngressController, AppNetwork, ClusterDefaultDeny, GlobalNetworkSet, IsolatedGroup, NamespaceIsolation, NetworkFlavor,
  NetworkSet, Peer, Port, PresetOrder, Protocol, Selector,
} from '../../src/network';
import { findObject, findObjects, synthValid } from '../fixtures/validate';

function tenantChart(namespace = 'shop'): Chart {
  return new Chart(Testing.app(), 'tenant', { namespace });
}

function tomcat(scope: Chart, id: string, namespace?: string): TomcatApp {
  return new TomcatApp(scope, id, {
    namespace,
    artifacts: [WarArtifact.fromImage('registry.example.com/shop/web:1.0.0', { path: '/wars', wars: ['ROOT.war'] })],
  });
}

const DNS_DESTINATION = {
  selector: 'k8s-app == "kube-dns"', namespaceSelector: 'kubernetes.io/metadata.name == "kube-system"', ports: [53],
};

describe('NamespaceIsolation', () => {
  test('Calico: same namespace allowed, other namespaces denied (closing Deny), DNS egress allowed', () => {
    const c = tenantChart();
    const iso = new NamespaceIsolation(c, 'isolation');
    iso.allowEgressTo(Peer.namespace('payments'), [Port.of(443)]);
    iso.allowIngressFrom(Peer.nets(['203.0.113.0/24']));
    const p = findObject(synthValid(c), 'NetworkPolicy', 'isolation');
    expect(p.apiVersion).toBe('projectcalico.org/v3');
    expect(p.metadata.namespace).toBe('shop');
    expect(p.spec.order).toBe(PresetOrder.NAMESPACE_ISOLATION);
    expect(p.spec.selector).toBe('all()');
    expect(p.spec.types).toEqual(['Ingress', 'Egress']);
    expect(p.spec.ingress).toEqual([
      { action: 'Allow', source: { selector: 'all()' } },
      { action: 'Allow', source: { nets: ['203.0.113.0/24'] } },
      { action: 'Deny' },
    ]);
    expect(p.spec.egress).toEqual([
      { action: 'Allow', destination: { selector: 'all()' } },
      { action: 'Allow', protocol: 'UDP', destination: DNS_DESTINATION },
      { action: 'Allow', protocol: 'TCP', destination: DNS_DESTINATION },
      { action: 'Allow', protocol: 'TCP', destination: { namespaceSelector: 'kubernetes.io/metadata.name == "payments"', ports: [443] } },
      { action: 'Deny' },
    ]);
  });

  test('Kubernetes flavor: the same allows, no Deny and no order; DNS can be moved or dropped', () => {
    const c = tenantChart();
    new NamespaceIsolation(c, 'iso', { flavor: NetworkFlavor.KUBERNETES, dns: { namespace: 'dns', selector: Selector.label('app').equalTo('coredns') }, egressNets: ['10.20.0.0/16'] });
    new NamespaceIsolation(c, 'nodns', { flavor: NetworkFlavor.KUBERNETES, allowDns: false, selector: Selector.has('tenant-app') });
    const m = synthValid(c);
    const p = findObject(m, 'NetworkPolicy', 'iso');
    expect(p.apiVersion).toBe('networking.k8s.io/v1');
    expect(p.spec.podSelector).toEqual({});
    expect(p.spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(p.spec.egress[1]).toEqual({
      to: [{ podSelector: { matchLabels: { app: 'coredns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }],
    });
    expect(p.spec.egress[3]).toEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }] });
    expect(findObject(m, 'NetworkPolicy', 'nodns').spec.egress).toEqual([{ to: [{ podSelector: {} }] }]);
    expect(findObject(m, 'NetworkPolicy', 'nodns').spec.podSelector).toEqual({ matchExpressions: [{ key: 'tenant-app', operator: 'Exists' }] });
  });
});

describe('IsolatedGroup', () => {
  test('members reachable only from the listed peers and ports; the rest denied', () => {
    const c = tenantChart();
    const partners = new NetworkSet(c, 'partners', { nets: ['198.51.100.0/24'] });
    const group = new IsolatedGroup(c, 'billing', {
      ports: [Port.of(8080)],
      peers: [{ peer: Peer.namespace('frontend') }, { peer: Peer.networkSet(partners), ports: [Port.of(8443)] }],
    });
    const app = tomcat(c, 'ledger');
    group.addApp(app);
    group.addPeer(Peer.pods(Selector.label('role').equalTo('auditor')));
    const m = synthValid(c);
    const p = findObject(m, 'NetworkPolicy', 'billing');
    expect(p.spec.order).toBe(PresetOrder.ISOLATED_GROUP);
    expect(p.spec.selector).toBe('cdk8s-paas.io/isolation-group == "billing"');
    expect(p.spec.types).toEqual(['Ingress']);
    expect(p.spec.ingress).toEqual([
      { action: 'Allow', source: { selector: 'cdk8s-paas.io/isolation-group == "billing"' } },
      { action: 'Allow', protocol: 'TCP', source: { namespaceSelector: 'kubernetes.io/metadata.name == "frontend"' }, destination: { ports: [8080] } },
      { action: 'Allow', protocol: 'TCP', source: { selector: 'cdk8s-paas.io/network-set == "partners"' }, destination: { ports: [8443] } },
      { action: 'Allow', protocol: 'TCP', source: { selector: 'role == "auditor"' }, destination: { ports: [8080] } },
      { action: 'Deny' },
    ]);
    const d = findObject(m, 'Deployment', 'ledger');
    expect(d.spec.template.metadata.labels['cdk8s-paas.io/isolation-group']).toBe('billing');
  });

  test('a custom selector is ORed with the group label; members may be kept apart', () => {
    const c = tenantChart();
    new IsolatedGroup(c, 'g', { group: 'vault', selector: Selector.label('app').equalTo('vault'), allowWithinGroup: false });
    const p = findObject(synthValid(c), 'NetworkPolicy', 'g');
    expect(p.spec.selector).toBe('(cdk8s-paas.io/isolation-group == "vault" || app == "vault")');
    expect(p.spec.ingress).toEqual([{ action: 'Deny' }]);
  });

  test('an app of another namespace cannot join: the group\'s policy would not select it', () => {
    const c = tenantChart('billing');
    const group = new IsolatedGroup(c, 'ledger');
    const other = tomcat(c, 'web', 'shop');
    expect(() => group.addApp(other)).toThrow('tenant/ledger: addApp(tenant/web): "shop" is not the group\'s namespace "billing"');
  });

  test('an invalid group name names the field', () => {
    expect(() => new IsolatedGroup(tenantChart(), 'g', { group: 'not a label' })).toThrow('tenant/g: group: "not a label" is not a valid label value');
  });
});

describe('ClusterDefaultDeny', () => {
  test('a GlobalNetworkPolicy denying everything outside the control plane, except DNS and the API server', () => {
    const c = tenantChart();
    const deny = new ClusterDefaultDeny(c, 'deny');
    deny.policy.addEgress({ action: 'Allow' as any, protocol: Protocol.TCP, destination: { nets: ['10.0.0.10/32'], ports: [Port.of(3128)] } });
    const p = findObject(synthValid(c), 'GlobalNetworkPolicy', 'default-deny');
    expect(p.metadata.namespace).toBeUndefined();
    expect(p.spec.order).toBe(PresetOrder.CLUSTER_DEFAULT_DENY);
    expect(p.spec.namespaceSelector).toBe(
      'kubernetes.io/metadata.name not in {"calico-apiserver", "calico-system", "ingress-nginx", "kube-node-lease", "kube-public", "kube-system", "monitoring", "tigera-operator"}');
    expect(deny.exemptNamespaces).toEqual(['ingress-nginx', 'monitoring']);
    expect(p.spec.types).toEqual(['Ingress', 'Egress']);
    expect(p.spec.ingress).toEqual([{ action: 'Deny' }]);
    expect(p.spec.egress).toEqual([
      { action: 'Allow', protocol: 'UDP', destination: DNS_DESTINATION },
      { action: 'Allow', protocol: 'TCP', destination: DNS_DESTINATION },
      { action: 'Allow', destination: { services: { name: 'kubernetes', namespace: 'default' } } },
      { action: 'Allow', protocol: 'TCP', destination: { nets: ['10.0.0.10/32'], ports: [3128] } },
      { action: 'Deny' },
    ]);
  });

  test('exceptions can be narrowed', () => {
    const c = tenantChart();
    new ClusterDefaultDeny(c, 'deny', { name: 'lockdown', order: 5000, controlPlaneNamespaces: ['kube-system'], exemptNamespaces: [], allowDns: false, allowApiServer: false });
    const p = findObject(synthValid(c), 'GlobalNetworkPolicy', 'lockdown');
    expect(p.spec.namespaceSelector).toBe('kubernetes.io/metadata.name not in {"kube-system"}');
    expect(p.spec.egress).toEqual([{ action: 'Deny' }]);
    expect(() => new ClusterDefaultDeny(tenantChart(), 'd', { controlPlaneNamespaces: ['Kube'] })).toThrow('controlPlaneNamespaces[0]: "Kube" is not a valid DNS-1123 label');
  });
});

describe('AllowFromIngressController', () => {
  test.each([NetworkFlavor.CALICO, NetworkFlavor.KUBERNETES])('%s: the controller pods may reach the selected pods', flavor => {
    const c = tenantChart();
    new AllowFromIngressController(c, 'from-ingress', { flavor, selector: Selector.label('app').equalTo('web'), ports: [Port.of(8080)] });
    const p = findObject(synthValid(c), 'NetworkPolicy', 'from-ingress');
    if (flavor === NetworkFlavor.CALICO) {
      expect(p.spec.order).toBe(PresetOrder.EXCEPTION);
      expect(p.spec.ingress).toEqual([{
        action: 'Allow',
        protocol: 'TCP',
        source: { selector: 'app.kubernetes.io/name == "ingress-nginx"', namespaceSelector: 'kubernetes.io/metadata.name == "ingress-nginx"' },
        destination: { ports: [8080] },
      }]);
    } else {
      expect(p.spec.podSelector).toEqual({ matchLabels: { app: 'web' } });
      expect(p.spec.ingress).toEqual([{
        from: [{
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
        }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }]);
    }
  });
});

describe('AppNetwork (TomcatApp integration)', () => {
  test('allowFrom: one line lets a peer reach the app\'s container port', () => {
    const c = tenantChart();
    const web = tomcat(c, 'web');
    const api = tomcat(c, 'api', 'backend');
    const policy = AppNetwork.allowFrom(api, Peer.app(web));
    AppNetwork.allowFrom(api, Peer.namespace('monitoring'), { ports: [Port.of(9404)] });
    const m = synthValid(c);
    expect(policy.name).toBe('api-allow-0');
    const p = findObject(m, 'NetworkPolicy', 'api-allow-0');
    expect(p.metadata.namespace).toBe('backend');
    expect(p.spec.selector).toBe(`cdk8s.io/metadata.addr == "${api.deployment.matchLabels['cdk8s.io/metadata.addr']}"`);
    expect(p.spec.ingress).toEqual([{
      action: 'Allow',
      protocol: 'TCP',
      source: {
        selector: `cdk8s.io/metadata.addr == "${web.deployment.matchLabels['cdk8s.io/metadata.addr']}"`,
        namespaceSelector: 'kubernetes.io/metadata.name == "shop"',
      },
      destination: { ports: [8080] },
    }]);
    expect(findObject(m, 'NetworkPolicy', 'api-allow-1').spec.ingress[0].destination.ports).toEqual([9404]);
    // the app's pods carry the selected label
    const d = findObjects(m, 'Deployment').find(x => x.metadata.name === 'api');
    expect(d.spec.template.metadata.labels).toMatchObject(api.deployment.matchLabels);
  });

  test('allowFrom under the Kubernetes flavor; isolate puts the app into a group', () => {
    const c = tenantChart();
    const web = tomcat(c, 'web');
    AppNetwork.allowFrom(web, Peer.namespace('ingress-nginx'), { flavor: NetworkFlavor.KUBERNETES });
    const m = synthValid(c);
    const p = findObject(m, 'NetworkPolicy', 'web-allow-0');
    expect(p.apiVersion).toBe('networking.k8s.io/v1');
    expect(p.spec.podSelector).toEqual({ matchLabels: web.deployment.matchLabels });
    const c2 = tenantChart();
    const web2 = tomcat(c2, 'web');
    const group = new IsolatedGroup(c2, 'secure');
    AppNetwork.isolate(web2, group);
    expect(findObject(synthValid(c2), 'Deployment').spec.template.metadata.labels['cdk8s-paas.io/isolation-group']).toBe('secure');
  });

  test('a Kubernetes-flavor allowFrom cannot open an app of a Calico isolated group: synth says why', () => {
    // Calico evaluates Kubernetes NetworkPolicies at order 1000, after the group's Deny (order 100)
    const c = tenantChart();
    const web = tomcat(c, 'web');
    AppNetwork.isolate(web, new IsolatedGroup(c, 'secure'));
    AppNetwork.allowFrom(web, Peer.namespace('ingress-nginx'), { flavor: NetworkFlavor.KUBERNETES });
    expect(() => synthValid(c)).toThrow(/web\/AllowFrom0\/Intent0: expectReachable: "namespace ingress-nginx -> app web on 8080\/TCP" is not reachable: .* is denied by NetworkPolicy shop\/secure\. .*Calico evaluates Kubernetes NetworkPolicies at order 1000/);
  });

  test('Peer factories', () => {
    const c = tenantChart();
    const set = new GlobalNetworkSet(c, 'office', { nets: ['192.0.2.0/24'], labels: { zone: 'office' } });
    expect(Peer.globalNetworkSet(set).entity.namespaceSelector!.expression).toBe('global()');
    expect(Peer.globalNetworkSet(set).entity.selector!.expression).toBe('zone == "office"');
    expect(Peer.namespaces(Selector.has('tenant')).description).toBe('namespaces has(tenant)');
    expect(Peer.pods(Selector.all(), 'x').description).toBe('pods all() in x');
    const m = synthValid(c);
    expect(findObject(m, 'GlobalNetworkSet').metadata.namespace).toBeUndefined();
  });
});
