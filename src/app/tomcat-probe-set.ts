import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ProbeTiming, TomcatProbes } from './tomcat-probes';
import { ValidationError } from '../core/errors';
import { checkInteger } from '../validate/rules';

// The startup, readiness and liveness probes of a TomcatApp (internal helper of tomcat-app.ts).

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
