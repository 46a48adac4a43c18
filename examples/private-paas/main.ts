// A private PaaS tenant: the shop team's namespace with quotas, default limits,
// access for its groups, Pod Security `restricted`, network isolation and its
// own Calico IP pool; two Tomcat apps in the app tier, an orders database in
// the data tier, and the ERP database that stays outside the cluster.
import { Construct } from 'constructs';
import {
  DataService, LegacyService, PaasApp, PaasChart, Tenant, TomcatApp, TomcatRuntime, WarArtifact,
} from '../../src';

/** The shop team's tenant. */
export class PrivatePaasChart extends PaasChart {
  public readonly tenant: Tenant;
  public readonly storefront: TomcatApp;
  public readonly backoffice: TomcatApp;
  public readonly ordersDb: DataService;
  public readonly erp: LegacyService;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.tenant = new Tenant(this, 'shop', {
      namespace: 'shop',
      adminGroups: ['shop-leads'],
      developerGroups: ['shop-developers'],
      viewerGroups: ['operations', 'auditors'],
      quota: {
        requestsCpu: '4',
        requestsMemory: '6Gi',
        limitsCpu: '12',
        limitsMemory: '8Gi',
        requestsStorage: '20Gi',
        pods: 12,
        services: 6,
      },
      limits: { maxCpu: '2', maxMemory: '2Gi' },
      allowIngressFromNamespaces: ['ingress-nginx'],
      ipPool: { cidr: '10.244.64.0/20' },
      imagePullSecrets: ['registry-example-com'],
    });

    // the app tier: two Tomcat apps, created inside the tenant, so in its namespace
    this.storefront = new TomcatApp(this.tenant, 'storefront', {
      runtime: TomcatRuntime.of('9.0'),
      artifacts: [WarArtifact.fromImage('registry.example.com/shop/storefront-war:2.3.1', { path: '/app_dir', wars: ['ROOT.war'] })],
      catalinaOpts: '-Xmx512m',
    });
    this.backoffice = new TomcatApp(this.tenant, 'backoffice', {
      runtime: TomcatRuntime.of('9.0'),
      artifacts: [WarArtifact.fromImage('registry.example.com/shop/backoffice-war:1.8.0', { path: '/app_dir', wars: ['backoffice.war'] })],
      catalinaOpts: '-Xmx512m',
    });

    // the data tier: reachable from the two apps only, on 5432 only
    this.ordersDb = new DataService(this.tenant, 'orders-db', {
      image: 'registry.example.com/shop/postgres:15.6',
      port: 5432,
      storageSize: '10Gi',
      dataPath: '/var/lib/postgresql/data',
      writableDirs: ['/tmp', '/var/run/postgresql'],
      env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
      clients: [this.storefront, this.backoffice],
    });

    // the legacy ERP database outside the cluster: only the back office reaches it
    this.erp = new LegacyService(this.tenant, 'erp-db', {
      addresses: ['10.20.0.15', '10.20.0.16'],
      port: 1521,
      clients: [this.backoffice],
    });
  }
}

if (require.main === module) {
  const app = new PaasApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist/private-paas' });
  new PrivatePaasChart(app, 'private-paas');
  app.synth();
}
