import { Environment } from './environment';
import { EnvironmentChart } from './environment-chart';
import { shellQuote } from './image-ref';

/** A Deployment of a chart: namespace and name. */
export interface DeploymentRef {
  readonly namespace: string;
  readonly name: string;
}

/** The Deployments a chart synthesizes, in manifest order. */
export function deploymentsOf(chart: EnvironmentChart): DeploymentRef[] {
  return chart.manifests()
    .filter((m: any) => m.apiVersion === 'apps/v1' && m.kind === 'Deployment')
    .map((m: any) => ({ namespace: m.metadata.namespace ?? chart.environment.namespace, name: m.metadata.name }));
}

/**
 * The deploy job's script (POSIX sh): record each Deployment's revision,
 * apply the environment's manifests, wait for every rollout; when the apply
 * or a rollout fails, undo every Deployment to its recorded revision, wait
 * for that, and fail.
 */
export function deployScript(dir: string, env: Environment, deployments: DeploymentRef[]): string {
  const timeout = `${Math.ceil(env.rolloutTimeout.toMilliseconds() / 1000)}s`;
  const kubectl = (d: DeploymentRef, verb: string) => `kubectl -n ${shellQuote(d.namespace)} ${verb} ${shellQuote(`deployment/${d.name}`)}`;
  const lines: string[] = [
    '# revisions before this deploy: what a failed rollout returns to',
    ...deployments.map((d, i) => `rev_${i}="$(${kubectl(d, 'get')} --ignore-not-found -o jsonpath='{.metadata.annotations.deployment\\.kubernetes\\.io/revision}')"`),
    'ok=true',
    `kubectl apply --recursive -f ${shellQuote(dir)} || ok=false`,
    ...deployments.map(d => `if $ok; then ${kubectl(d, 'rollout status')} --timeout=${timeout} || ok=false; fi`),
    'if ! $ok; then',
    `  echo "deploy to ${env.name} failed: undoing the rollouts" >&2`,
    ...deployments.flatMap((d, i) => [
      `  if [ -n "$rev_${i}" ]; then`,
      `    ${kubectl(d, 'rollout undo')} --to-revision="$rev_${i}" || echo ${shellQuote(`undo of deployment/${d.name} failed`)} >&2`,
      `    ${kubectl(d, 'rollout status')} --timeout=${timeout} || true`,
      '  fi',
    ]),
    '  exit 1',
    'fi',
  ];
  return `${lines.join('\n')}\n`;
}
