// A Tomcat 10.1 shop application configured from outside its images:
// - conf/server.xml comes from a ConfigMap, mounted as one file so the rest of
//   the image's conf/ (web.xml, context.xml, logging.properties …) stays;
// - settings reach the app as environment variables and as JVM options
//   (-Dshop.db.url=$(SHOP_DB_URL), expanded by Kubernetes);
// - the database credentials are read from the synth environment into a Secret;
// - the WAR artifact image sits in a private registry, pulled with credentials
//   whose password is read from the synth environment.
// Changing server.xml, a setting or a credential rolls the pods (hash annotations).
//
// Observable when the pod runs (a rehearsal can check both):
// - every response carries `Server: shop` (the Connector's `server` attribute in
//   conf/server.xml): the ConfigMap's server.xml is in effect;
// - Tomcat's VersionLoggerListener logs
//   `Command line argument: -Dshop.db.url=jdbc:postgresql://shop-db.shop.svc:5432/shop`:
//   Kubernetes expanded $(SHOP_DB_URL) from the ConfigMap into CATALINA_OPTS.
import * as path from 'path';
import { Construct } from 'constructs';
import {
  AppConfig, AppSecret, AppServiceAccount, ConfigTarget, PaasApp, PaasChart, RegistryCredentials,
  TomcatApp, TomcatRuntime, WarArtifact,
} from '../../src';

/** Environment variables the chart reads at synth time. */
export const REQUIRED_ENV = ['DB_USER', 'DB_PASSWORD', 'REGISTRY_PASSWORD'];

/** The shop application with its configuration, secrets and registry credentials. */
export class ConfigAndSecretsChart extends PaasChart {
  public readonly app: TomcatApp;
  public readonly tomcatConf: AppConfig;
  public readonly settings: AppConfig;
  public readonly database: AppSecret;
  public readonly registry: RegistryCredentials;
  public readonly serviceAccount: AppServiceAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop' });

    this.registry = RegistryCredentials.fromEnv(this, 'registry', {
      name: 'registry-example-com',
      registry: 'registry.example.com',
      username: 'shop-deployer',
      passwordVariable: 'REGISTRY_PASSWORD',
    });
    this.serviceAccount = new AppServiceAccount(this, 'service-account', {
      name: 'shop',
      imagePullSecrets: [this.registry],
    });

    this.app = new TomcatApp(this, 'shop', {
      runtime: TomcatRuntime.of('10.1'),
      artifacts: [WarArtifact.fromImage('registry.example.com/shop/shop-artifacts:2.3.0', { path: '/app_dir', wars: ['ROOT.war'] })],
      serviceAccount: this.serviceAccount,
      imagePullSecrets: [this.registry],
      catalinaOpts: '-Xms256m -Xmx512m',
    });
    const tomcat = ConfigTarget.fromTomcatApp(this.app);

    this.tomcatConf = new AppConfig(this, 'tomcat-conf', {
      name: 'shop-tomcat-conf',
      files: [path.join(__dirname, 'conf', 'server.xml')],
    });
    this.tomcatConf.mountFile(tomcat, 'server.xml', `${this.app.runtime.catalinaHome}/conf/server.xml`);

    this.settings = new AppConfig(this, 'settings', {
      name: 'shop-settings',
      data: {
        'db.url': 'jdbc:postgresql://shop-db.shop.svc:5432/shop',
        'currency': 'EUR',
      },
    });
    this.settings.envVars(tomcat, { SHOP_CURRENCY: 'currency' });
    this.settings.passAsArgs(tomcat, ['-Dshop.db.url=$(SHOP_DB_URL)'], { SHOP_DB_URL: 'db.url' });

    this.database = AppSecret.fromEnv(this, 'database', {
      name: 'shop-db-credentials',
      variables: { username: 'DB_USER', password: 'DB_PASSWORD' },
    });
    this.database.envVars(tomcat, { DB_USER: 'username', DB_PASSWORD: 'password' });
  }
}

if (require.main === module) {
  // `npm run synth` renders every example without a real environment: demo
  // values stand in for missing variables, and say so. The library itself
  // refuses a missing variable.
  // The demo hash key is public: it may only ever key demo values, never real credentials.
  const realSecrets = REQUIRED_ENV.filter(v => process.env[v]);
  if (!process.env.CDK8S_PAAS_SECRET_HASH_KEY && realSecrets.length > 0) {
    process.stderr.write(`[config-and-secrets] ${realSecrets.join(', ')} set but CDK8S_PAAS_SECRET_HASH_KEY is not: `
      + 'set a private key of at least 32 random characters (e.g. `openssl rand -hex 32`) so the secret-hash annotation cannot be brute-forced\n');
    process.exit(1);
  }
  for (const v of [...REQUIRED_ENV, 'CDK8S_PAAS_SECRET_HASH_KEY']) {
    if (!process.env[v]) {
      process.stderr.write(`[config-and-secrets] ${v} is not set: using a demo value\n`);
      process.env[v] = v === 'CDK8S_PAAS_SECRET_HASH_KEY' ? 'demo-key-not-for-production-0123456789abcdef' : `demo-${v.toLowerCase()}`;
    }
  }
  const app = new PaasApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist/config-and-secrets' });
  new ConfigAndSecretsChart(app, 'config-and-secrets');
  app.synth();
}
