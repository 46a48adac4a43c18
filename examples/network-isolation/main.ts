// Tenant isolation with Calico: a cluster-wide default deny, two tenants'
// namespaces isolated from each other, and an isolated group (the ledger of
// tenant "billing") that only the shop's web app may reach, on port 8080.
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AllowFromIngressController, AppNetwork, ClusterDefaultDeny, IsolatedGroup, NamespaceIsolation, PaasApp, PaasChart, Peer, Port,
  TomcatApp, WarArtifact,
} from '../../src';

/** Cluster-wide policy: deny everything outside the control plane unless a namespace policy allows it. */
export class PlatformNetworkChart extends PaasChart {
  public readonly defaultDeny: ClusterDefaultDeny;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.defaultDeny = new ClusterDefaultDeny(this, 'default-deny');
  }
}

/** One tenant: its namespace, namespace isolation, ingress-controller access (unless `ingress: false`) and one Tomcat app. */
export class TenantChart extends PaasChart {
  public readonly isolation: NamespaceIsolation;
  public readonly app: TomcatApp;

  constructor(scope: Construct, id: string, props: { namespace: string; image: string; ingress?: boolean }) {
    super(scope, id, { namespace: props.namespace });
    new kplus.k8s.KubeNamespace(this, 'namespace', {
      metadata: { name: props.namespace, labels: { 'cdk8s-paas.io/tenant': props.namespace } },
    });
    this.isolation = new NamespaceIsolation(this, 'isolation');
    if (props.ingress ?? true) new AllowFromIngressController(this, 'from-ingress', { ports: [Port.of(8080)] });
    this.app = new TomcatApp(this, 'web', {
      artifacts: [WarArtifact.fromImage(props.image, { path: '/wars', wars: ['ROOT.war'] })],
    });
  }
}

/** The two tenants, and the billing ledger as an isolated group reachable only from the shop's web app. */
export class NetworkIsolationExample {
  public readonly platform: PlatformNetworkChart;
  public readonly shop: TenantChart;
  public readonly billing: TenantChart;
  public readonly ledger: IsolatedGroup;

  constructor(scope: Construct) {
    this.platform = new PlatformNetworkChart(scope, 'platform-network');
    this.shop = new TenantChart(scope, 'shop', { namespace: 'shop', image: 'registry.example.com/shop/web:2.1.0' });
    // the ledger is for the shop only: no ingress-controller access (the group would deny it anyway, and synth says so)
    this.billing = new TenantChart(scope, 'billing', { namespace: 'billing', image: 'registry.example.com/billing/ledger:1.0.3', ingress: false });
    this.ledger = new IsolatedGroup(this.billing, 'ledger', {
      peers: [{ peer: Peer.app(this.shop.app) }],
      ports: [Port.of(8080)],
    });
    AppNetwork.isolate(this.billing.app, this.ledger);
    // the shop's namespace isolation must also let its pods open the connection
    this.shop.isolation.allowEgressTo(Peer.app(this.billing.app), [Port.of(8080)]);
  }
}

if (require.main === module) {
  const app = new PaasApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist/network-isolation' });
  new NetworkIsolationExample(app);
  app.synth();
}
