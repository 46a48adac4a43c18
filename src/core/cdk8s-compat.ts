import * as kplus from 'cdk8s-plus-27';
import { ValidationError } from './errors';

// The one place that reaches into internals of cdk8s-plus-27 (internal), for
// what its public API cannot do. Each accessor checks that the internal is
// there and does what it did in the versions tested (2.9.5 pinned, the newest
// 2.x in CI: scripts/test-newest-deps.sh) and otherwise throws a
// ValidationError naming the version, never writing wrong output.

/** The installed cdk8s-plus-27 version. */
function kplusVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cdk8s-plus-27/package.json').version;
}

function unsupported(what: string): ValidationError {
  const version = kplusVersion();
  return ValidationError.unscoped('cdk8s-plus-27', 'version', version,
    `is not supported by this cdk8s-paas: ${what}; use a cdk8s-plus-27 release this cdk8s-paas was tested with (2.9.x) or upgrade cdk8s-paas`);
}

/** The Kubernetes JSON of a volume (cdk8s-plus-27 renders it only inside a pod spec). */
export function volumeJson(volume: kplus.Volume): any {
  const toKube = (volume as any)._toKube;
  if (typeof toKube !== 'function') throw unsupported('Volume has no _toKube() to read its source from');
  return toKube.call(volume) ?? {};
}

/**
 * Moves environment variables to the end of the container's list
 * (cdk8s-plus-27 renders variables in insertion order and cannot reorder them).
 */
export function moveEnvVariablesToEnd(env: kplus.Env, names: string[]): void {
  const vars = (env as any)._variables as { [name: string]: kplus.EnvValue } | undefined;
  if (!vars || typeof vars !== 'object') throw unsupported('Env has no _variables to reorder');
  for (const n of names) {
    if (n in vars) {
      const v = vars[n];
      delete vars[n];
      vars[n] = v;
    }
  }
  const order = Object.keys(env.variables);
  const moved = names.filter(n => n in vars);
  if (moved.length > 0 && order.slice(order.length - moved.length).join('\n') !== moved.join('\n')) {
    throw unsupported('Env.variables does not follow the order of _variables');
  }
}

/** Appends arguments to a container (cdk8s-plus-27 sets `args` only in the constructor). */
export function appendContainerArgs(container: kplus.Container, args: string[]): void {
  const c = container as any;
  const expected = [...(container.args ?? []), ...args];
  c._args = expected;
  if (JSON.stringify(container.args) !== JSON.stringify(expected)) throw unsupported('Container.args does not read _args');
}
