// The platform's own example: one artifact image with four WARs, deployed on
// Tomcat 8.0 and on Tomcat 7.0 (2 base images + 1 artifact image, not 2×1 fat images).
import { Construct } from 'constructs';
import { PaasApp, PaasChart, TomcatApp, TomcatRuntime, WarArtifact } from '../../src';

/** The onecmdb application on one Tomcat line. */
export class OnecmdbChart extends PaasChart {
  public readonly tomcat8: TomcatApp;
  public readonly tomcat7: TomcatApp;

  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'itil' });
    const artifact = WarArtifact.fromImage('registry.example.com/itil/onecmdb-artifacts:1.4.0', {
      path: '/app_dir',
      wars: ['ROOT.war', 'itil.war', 'onecmdb-itil-1.4.0.war', 'onecmdb-modeller.war'],
    });
    this.tomcat8 = new TomcatApp(this, 'onecmdb-tomcat8', {
      runtime: TomcatRuntime.of('8.0'),
      artifacts: [artifact],
      healthCheckPath: '/itil/',
      catalinaOpts: '-Xms256m -Xmx768m',
    });
    this.tomcat7 = new TomcatApp(this, 'onecmdb-tomcat7', {
      runtime: TomcatRuntime.of('7.0'),
      artifacts: [artifact],
      healthCheckPath: '/itil/',
      catalinaOpts: '-Xms256m -Xmx768m',
    });
  }
}

if (require.main === module) {
  const app = new PaasApp({ outdir: process.env.CDK8S_OUTDIR ?? 'dist/onecmdb' });
  new OnecmdbChart(app, 'onecmdb');
  app.synth();
}
