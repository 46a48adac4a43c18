import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { TomcatAutoscaling } from './tomcat-autoscaling';
import { ValidationError } from '../core/errors';
import { checkInteger } from '../validate/rules';

// The HorizontalPodAutoscaler of a TomcatApp (internal helper of tomcat-app.ts).

/** The checked numbers of a `TomcatAutoscaling`. */
export interface AutoscalingSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilization: number;
}

/**
 * Validates `autoscaling` against the Tomcat container's CPU request and
 * limit: utilization is measured against the request, and a target above
 * limit/request can never be reached.
 */
export function checkAutoscaling(scope: Construct, a: TomcatAutoscaling, cpu: kplus.CpuResources | undefined): AutoscalingSpec {
  const minReplicas = checkInteger(scope, 'autoscaling.minReplicas', a.minReplicas ?? 2, 1, 10000);
  const maxReplicas = checkInteger(scope, 'autoscaling.maxReplicas', a.maxReplicas, 1, 10000);
  if (maxReplicas < minReplicas) {
    throw ValidationError.of(scope, 'autoscaling.maxReplicas', maxReplicas, `is below autoscaling.minReplicas (${minReplicas}); the autoscaler needs minReplicas <= maxReplicas`);
  }
  const request = millis(cpu?.request);
  if (request === undefined) {
    throw ValidationError.of(scope, 'resources.cpuRequest', cpu?.request?.amount ?? 'unset', 'must be set when autoscaling on CPU utilization, which is measured in percent of the request');
  }
  const limit = millis(cpu?.limit);
  const ceiling = limit === undefined ? 1000 : Math.max(1, Math.floor(limit * 100 / request));
  const cpuUtilization = a.cpuUtilization ?? 80;
  if (!Number.isInteger(cpuUtilization) || cpuUtilization < 1 || cpuUtilization > ceiling) {
    const why = limit === undefined ? '' : `: above ${ceiling}% the container would hit its CPU limit (${cpu!.limit!.amount}) before the target (request ${cpu!.request!.amount})`;
    throw ValidationError.of(scope, 'autoscaling.cpuUtilization', cpuUtilization, `must be an integer percentage from 1 to ${ceiling}${why}`);
  }
  return { minReplicas, maxReplicas, cpuUtilization };
}

/** An `autoscaling/v2` HorizontalPodAutoscaler scaling `deployment` on CPU utilization. */
export function cpuAutoscaler(scope: Construct, id: string, deployment: kplus.Deployment, spec: AutoscalingSpec,
  metadata: { name: string; namespace?: string; labels: { [k: string]: string } }): kplus.k8s.KubeHorizontalPodAutoscalerV2 {
  // replicas is left out of the Deployment: the autoscaler owns it
  deployment.markHasAutoscaler();
  return new kplus.k8s.KubeHorizontalPodAutoscalerV2(scope, id, {
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: deployment.apiVersion, kind: deployment.kind, name: deployment.name },
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics: [{
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.cpuUtilization } },
      }],
    },
  });
}

function millis(c: kplus.Cpu | undefined): number | undefined {
  const m = c ? /^(\d+)m$/.exec(c.amount) : null;
  return m ? Number(m[1]) : undefined;
}
