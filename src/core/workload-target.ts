import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';

/**
 * A workload that network, storage, configuration and monitoring constructs
 * attach to: a Deployment with one main container behind a Service.
 *
 * The L2 constructs take this interface, not the L3 construct that
 * implements it (`TomcatApp`), so they never depend on the layer above.
 */
export interface IWorkloadTarget extends IConstruct {
  /** The Deployment that runs the pods. */
  readonly deployment: kplus.Deployment;
  /** The main container: mounts, ports and environment go here. */
  readonly container: kplus.Container;
  /** The Service in front of the pods. */
  readonly service: kplus.Service;
  /** The workload's name (a DNS label), used to name the objects made for it. */
  readonly name: string;
  /**
   * The namespace of its objects.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** Desired pod count (with autoscaling: the autoscaler's minimum). */
  readonly replicas: number;
  /** The Service port. */
  readonly port: number;
  /** The labels the workload's objects carry (`app.kubernetes.io/*`). */
  readonly labels: { [key: string]: string };
}

/**
 * A workload whose main container runs Tomcat: JVM options go into
 * `CATALINA_OPTS` (the image's `catalina.sh run` takes no application
 * arguments).
 */
export interface ITomcatWorkload extends IWorkloadTarget {
  /**
   * Append JVM options to the container's `CATALINA_OPTS`.
   *
   * @param opts the options, space-separated
   */
  addCatalinaOpts(opts: string): void;
}
