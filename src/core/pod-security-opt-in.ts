import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkValue, is } from './checks';
import { ValidationError } from './errors';
import { PodSecurityLevel } from './pod-security-level';
import { Warnings } from './warnings';

const METADATA = 'cdk8s-paas:pod-security';
const ORDER = [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED];

/**
 * The Pod Security level the workloads under a construct must meet.
 *
 * Everything is `restricted` unless a construct that needs more by nature
 * (a node agent, a hostPath volume) opts in with `PodSecurity.allow`, saying
 * why. Synth-time validation and namespace labels read it.
 */
export class PodSecurity {
  /**
   * Let the workloads under `scope` run at a less strict level.
   *
   * @param scope the construct (and its children) that needs it
   * @param level baseline or privileged
   * @param reason why, shown in validation messages and documentation
   */
  public static allow(scope: IConstruct, level: PodSecurityLevel, reason: string): void {
    if (!reason || !reason.trim()) {
      throw ValidationError.of(scope, 'reason', reason ?? '', 'must say why the workload needs a less strict Pod Security level');
    }
    checkValue(scope, 'level', level, is.oneOf(PodSecurityLevel, 'PodSecurityLevel'));
    checkValue(scope, 'reason', reason, is.string());
    scope.node.addMetadata(METADATA, { level, reason });
    if (level !== PodSecurityLevel.RESTRICTED) Warnings._addWhen(scope, () => unlabelledNamespaces(scope, level), 'cdk8s-paas:pod-security-namespace-unlabelled');
  }

  /**
   * The level in force for `scope`: the least strict level allowed on it or
   * any of its ancestors, `restricted` when none.
   */
  public static levelOf(scope: IConstruct): PodSecurityLevel {
    let level = PodSecurityLevel.RESTRICTED;
    for (const c of scope.node.scopes) {
      for (const m of c.node.metadata) {
        if (m.type === METADATA && ORDER.indexOf(m.data.level) > ORDER.indexOf(level)) level = m.data.level;
      }
    }
    return level;
  }

  /** The reasons recorded on `scope` and its ancestors for a less strict level. */
  public static reasonsOf(scope: IConstruct): string[] {
    return scope.node.scopes.flatMap(c => c.node.metadata.filter(m => m.type === METADATA).map(m => `${m.data.level}: ${m.data.reason}`));
  }

  /** The least strict of two levels. */
  public static leastStrict(a: PodSecurityLevel, b: PodSecurityLevel): PodSecurityLevel {
    return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
  }
}

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
const POD_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

/**
 * A warning when the objects under `scope` land in namespaces that the app
 * does not declare with an enforce label: a cluster that enforces
 * "restricted" by default would refuse their pods although synth passed.
 * (A Tenant's namespace is declared with its level: no warning there.)
 */
function unlabelledNamespaces(scope: IConstruct, level: PodSecurityLevel): string | undefined {
  const all = scope.node.root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const labelled = new Set(all.filter(o => o.kind === 'Namespace' && o.metadata.getLabel(ENFORCE_LABEL) !== undefined).map(o => o.name));
  const namespaces = new Set<string>();
  for (const o of scope.node.findAll()) {
    if (!ApiObject.isApiObject(o) || !POD_KINDS.includes(o.kind)) continue;
    const chart = o.node.scopes.find(c => Chart.isChart(c)) as Chart | undefined;
    namespaces.add(o.metadata.namespace ?? chart?.namespace ?? 'default');
  }
  const missing = [...namespaces].filter(ns => !labelled.has(ns)).sort();
  if (missing.length === 0) return undefined;
  return `podSecurity: "${level}" is opted in to, but the app does not declare namespace ${missing.map(n => `"${n}"`).join(', ')} with the label `
    + `${ENFORCE_LABEL}: ${level}; a cluster that enforces "restricted" by default refuses these pods: label the namespace `
    + `(kubectl label namespace ${missing[0]} ${ENFORCE_LABEL}=${level}) or create the workload in a Tenant with podSecurity: "${level}"`;
}