import { Chart as CdkChart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PodSecurity, PodSecurityLevel, TomcatApp, TomcatRuntime, WarArtifact } from '../../src';
import { testChart } from '../fixtures/synth';
import { findObject } from '../fixtures/validate';

/** A Tomcat app with one WAR, the usual subject of the config tests. */
export function tomcatApp(c: CdkChart, id = 'shop', runtime = TomcatRuntime.of('10.1')): TomcatApp {
  return new TomcatApp(c, id, {
    runtime,
    artifacts: [WarArtifact.fromImage('registry.example.com/shop/shop-artifacts:2.3.0', { path: '/app_dir', wars: ['ROOT.war'] })],
  });
}

/** A plain cdk8s-plus Deployment with one container. */
export function plainDeployment(c: CdkChart, id = 'worker'): kplus.Deployment {
  const d = new kplus.Deployment(c, id, { metadata: { name: id } });
  d.addContainer({ name: 'main', image: 'registry.example.com/worker:1.0', args: ['--serve'], securityContext: { user: 1000 } });
  return d;
}

/** The pod spec of the (named) Deployment. */
export function podSpec(manifests: any[], name?: string): any {
  return findObject(manifests, 'Deployment', name).spec.template.spec;
}

/** The pod-template annotations of the (named) Deployment. */
export function podAnnotations(manifests: any[], name?: string): { [key: string]: string } {
  return findObject(manifests, 'Deployment', name).spec.template.metadata.annotations ?? {};
}

/** A fresh chart in a PaasApp writing into a temporary folder (synthValid goes through PaasApp.synth()). */
export function chart(): CdkChart {
  return testChart();
}

/**
 * A chart whose plain cdk8s-plus workloads (without seccomp profile or dropped
 * capabilities) may run at `baseline`: what the test is about is not Pod Security.
 */
export function baselineChart(): CdkChart {
  const c = testChart();
  PodSecurity.allow(c, PodSecurityLevel.BASELINE, 'plain cdk8s-plus workloads of a config test');
  return c;
}

/** The message of the error `fn` throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e: any) {
    return String(e.message);
  }
  throw new Error('expected an error, none was thrown');
}
