// A servlet application whose configuration is read at run time, not baked
// into its WAR: the greeter (source in webapp/, a real jakarta.servlet app)
// answers on /greeter/ with
// - GREETING, an environment variable from the `greeter-settings` ConfigMap;
// - conf/greeter.properties from the `greeter-conf` ConfigMap, mounted as one
//   file (subPath) at /etc/greeter/greeter.properties;
// - the SHA-256 of its API token, a Secret file (mode 0400) under /etc/greeter/secrets/;
// - a file it writes under java.io.tmpdir (Tomcat's temp/, an emptyDir: the root is read-only);
// and on /greeter/health with "OK" once both files are readable (the probes' path).
//
// The artifact image (registry.example.com/greeter/greeter-artifacts) carries
// /app_dir/greeter.war; `npm run rehearse` builds that WAR from webapp/ with
// javac and jar and starts the pod for real (test/rehearsal/servlet-app.rehearsal.ts).
import * as path from 'path';
import { Construct } from 'constructs';
import { AppConfig, AppSecret, ConfigTarget, PaasApp, PaasChart, ServletApi, TomcatApp, TomcatRuntime, WarArtifact } from '../../src';

/** Environment variables the chart reads at synth time. */
export const REQUIRED_ENV = ['GREETER_API_TOKEN'];

/** Where the artifact image carries the greeter's WAR. */
export const GREETER_ARTIFACT_IMAGE = 'registry.example.com/greeter/greeter-artifacts:1.0.0';

/** The greeter's source: Java sources under src/, WEB-INF/web.xml and static files. */
export const GREETER_WEBAPP = path.join(__dirname, 'webapp');

/** Options of the servlet-app example (the rehearsal varies them). */
export interface ServletAppProps {
  /** The Tomcat runtime. Default Tomcat 10.1. */
  readonly runtime?: TomcatRuntime;
  /** The servlet API the WAR is built against. Default jakarta. */
  readonly servletApi?: ServletApi;
  /** The `greeting` key of the settings ConfigMap. Default "Hello from the ConfigMap". */
  readonly greeting?: string;
  /** The probes' path. Default /greeter/health. */
  readonly healthCheckPath?: string;
}

/** The greeter on Tomcat with its settings, its config file and its API token. */
export class ServletAppChart extends PaasChart {
  public readonly app: TomcatApp;
  public readonly settings: AppConfig;
  public readonly conf: AppConfig;
  public readonly token: AppSecret;

  constructor(scope: Construct, id: string, props: ServletAppProps = {}) {
    super(scope, id, { namespace: 'greeter' });

    this.app = new TomcatApp(this, 'greeter', {
      runtime: props.runtime ?? TomcatRuntime.of('10.1'),
      artifacts: [WarArtifact.fromImage(GREETER_ARTIFACT_IMAGE, {
        path: '/app_dir', wars: ['greeter.war'], servletApi: props.servletApi ?? ServletApi.JAKARTA,
      })],
      healthCheckPath: props.healthCheckPath ?? '/greeter/health',
      replicas: 2,
      env: {
        GREETER_CONFIG_FILE: '/etc/greeter/greeter.properties',
        GREETER_TOKEN_FILE: '/etc/greeter/secrets/api-token',
      },
    });
    const tomcat = ConfigTarget.fromTomcatApp(this.app);

    this.settings = new AppConfig(this, 'settings', {
      name: 'greeter-settings',
      data: { greeting: props.greeting ?? 'Hello from the ConfigMap' },
    });
    this.settings.envVars(tomcat, { GREETING: 'greeting' });

    this.conf = new AppConfig(this, 'conf', {
      name: 'greeter-conf',
      files: [path.join(__dirname, 'conf', 'greeter.properties')],
    });
    this.conf.mountFile(tomcat, 'greeter.properties', '/etc/greeter/greeter.properties');

    this.token = AppSecret.fromEnv(this, 'token', {
      name: 'greeter-api-token',
      variables: { 'api-token': 'GREETER_API_TOKEN' },
    });
    this.token.mountDirectory(tomcat, '/etc/greeter/secrets'); // files 0400 by default
  }
}

if (require.main === module) {
  // `npm run synth` renders every example without a real environment: demo values
  // stand in for missing variables, and say so. The library itself refuses them.
  for (const v of [...REQUIRED_ENV, 'CDK8S_PAAS_SECRET_HASH_KEY']) {
    if (!process.env[v]) {
      process.stderr.write(`[servlet-app] ${v} is not set: using a demo value\n`);
      process.env[v] = v === 'CDK8S_PAAS_SECRET_HASH_KEY' ? 'demo-key-not-for-production-0123456789abcdef' : `demo-${v.toLowerCase()}`;
    }
  }
  const app = new PaasApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist/servlet-app' });
  new ServletAppChart(app, 'servlet-app');
  app.synth();
}
