import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationError } from '../errors';
import { checkInteger } from '../validate/rules';

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

/** The three probes as cdk8s-plus-27 `Probe`s. */
export interface TomcatProbeSet {
  readonly startup: kplus.Probe;
  readonly readiness: kplus.Probe;
  readonly liveness: kplus.Probe;
}

const DEFAULTS: { [probe in keyof TomcatProbes]-?: Required<Omit<ProbeTiming, 'initialDelay'>> } = {
  startup: { period: Duration.seconds(5), timeout: Duration.seconds(3), failureThreshold: 60 },
  readiness: { period: Duration.seconds(10), timeout: Duration.seconds(3), failureThreshold: 3 },
  liveness: { period: Duration.seconds(20), timeout: Duration.seconds(5), failureThreshold: 3 },
};

/** Validates `TomcatProbes` and builds the three HTTP probes on `path`, port 8080. */
export function tomcatProbes(scope: Construct, path: string, probes: TomcatProbes = {}): TomcatProbeSet {
  const make = (name: keyof TomcatProbes): kplus.Probe => {
    const t = probes[name] ?? {};
    const d = DEFAULTS[name];
    const field = `probes.${name}`;
    const initialDelay = seconds(scope, `${field}.initialDelay`, t.initialDelay ?? Duration.seconds(0), 0);
    const period = seconds(scope, `${field}.period`, t.period ?? d.period, 1);
    const timeout = seconds(scope, `${field}.timeout`, t.timeout ?? d.timeout, 1);
    const failureThreshold = checkInteger(scope, `${field}.failureThreshold`, t.failureThreshold ?? d.failureThreshold, 1, 10000);
    return kplus.Probe.fromHttpGet(path, {
      port: 8080,
      // 0 is Kubernetes' default: leave the field out rather than write it
      initialDelaySeconds: initialDelay > 0 ? Duration.seconds(initialDelay) : undefined,
      periodSeconds: Duration.seconds(period),
      timeoutSeconds: Duration.seconds(timeout),
      failureThreshold,
    });
  };
  return { startup: make('startup'), readiness: make('readiness'), liveness: make('liveness') };
}

function seconds(scope: Construct, field: string, value: Duration, min: number): number {
  let s = NaN;
  try {
    // throws for fractions of a second
    if (value instanceof Duration) s = value.toSeconds();
  } catch {
    s = NaN;
  }
  if (!Number.isInteger(s) || s < min || s > 86400) {
    const shown = value instanceof Duration ? value.toHumanString() : value;
    throw ValidationError.of(scope, field, shown, `must be a whole number of seconds from ${min} to 86400, e.g. Duration.seconds(${Math.max(min, 5)})`);
  }
  return s;
}
