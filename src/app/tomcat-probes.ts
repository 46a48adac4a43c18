import { Duration } from 'cdk8s';

/**
 * Timings of one HTTP probe of the Tomcat container. Unset fields keep the
 * library's default for that probe (see `TomcatProbes`).
 */
export interface ProbeTiming {
  /**
   * Wait after the container starts before the first probe.
   *
   * @default Duration.seconds(0)
   */
  readonly initialDelay?: Duration;
  /**
   * Time between two probes (whole seconds, at least 1).
   *
   * @default - startup 5s, readiness 10s, liveness 20s
   */
  readonly period?: Duration;
  /**
   * Time after which one probe counts as failed (whole seconds, at least 1).
   *
   * @default - startup 3s, readiness 3s, liveness 5s
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures after which the probe gives up (startup and
   * liveness: the container restarts; readiness: the pod leaves the Service).
   *
   * @default - startup 60, readiness 3, liveness 3
   */
  readonly failureThreshold?: number;
}

/**
 * Timings of the startup, readiness and liveness probes of a `TomcatApp`.
 *
 * The defaults give Tomcat up to 5 minutes to deploy its WARs (startup:
 * 60 × 5s), take a pod out of the Service after 30s of failed readiness
 * checks and restart it after a minute of failed liveness checks.
 */
export interface TomcatProbes {
  /**
   * The startup probe (liveness and readiness wait until it succeeds).
   *
   * @default - period 5s, timeout 3s, failureThreshold 60, no initial delay
   */
  readonly startup?: ProbeTiming;
  /**
   * The readiness probe.
   *
   * @default - period 10s, timeout 3s, failureThreshold 3, no initial delay
   */
  readonly readiness?: ProbeTiming;
  /**
   * The liveness probe.
   *
   * @default - period 20s, timeout 5s, failureThreshold 3, no initial delay
   */
  readonly liveness?: ProbeTiming;
}
