import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { PodSecurityLevel } from '../validate/pod-security';

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
    scope.node.addMetadata(METADATA, { level, reason });
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
