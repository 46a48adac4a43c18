import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';

/** What a network policy needs to know about a client workload. */
export interface WorkloadRef {
  /** The workload's name (for policy names and messages). */
  readonly name: string;
  /** Its namespace, when set. */
  readonly namespace?: string;
  /** Labels that select exactly its pods. */
  readonly matchLabels: { [k: string]: string };
}

/**
 * The pods of a construct: a cdk8s-plus workload (Deployment, StatefulSet …), a
 * construct exposing one as `deployment` (TomcatApp) or `statefulSet`
 * (DataService), or an L1 workload object with a selector.
 */
export function workloadOf(scope: IConstruct, field: string, c: IConstruct): WorkloadRef {
  const candidate = [c, (c as any).deployment, (c as any).statefulSet, (c as any).workload]
    .find(x => x instanceof kplus.Workload || x instanceof ApiObject);
  if (candidate instanceof kplus.Workload) {
    return { name: candidate.name, namespace: candidate.metadata.namespace, matchLabels: candidate.matchLabels };
  }
  if (candidate instanceof ApiObject) {
    const labels = candidate.toJson()?.spec?.selector?.matchLabels;
    if (labels && Object.keys(labels).length > 0) return { name: candidate.name, namespace: candidate.metadata.namespace, matchLabels: labels };
  }
  throw ValidationError.of(scope, field, c?.node?.path ?? String(c),
    'is not a workload: pass a TomcatApp, a DataService, a cdk8s-plus Deployment/StatefulSet/DaemonSet/Job or an L1 workload with spec.selector.matchLabels');
}
