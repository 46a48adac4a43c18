import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fits, parseQuantity } from '../core/quantity';
import { ValidationError } from '../errors';
import { checkQuantity, checkRequestWithinLimit } from '../validate/rules';

/**
 * CPU and memory of the Tomcat container.
 */
export interface TomcatResources {
  /**
   * CPU the scheduler reserves for the container: cores ("1", "0.5") or millicores ("500m").
   *
   * @default '500m'
   */
  readonly cpuRequest?: string;
  /**
   * CPU the container may use at most (throttled above it).
   *
   * @default '2'
   */
  readonly cpuLimit?: string;
  /**
   * Memory the scheduler reserves for the container ("768Mi", "1Gi").
   *
   * @default '768Mi'
   */
  readonly memoryRequest?: string;
  /**
   * Memory the container may use at most (OOM-killed above it): leave room above the JVM heap.
   *
   * @default '1Gi'
   */
  readonly memoryLimit?: string;
}

/**
 * Validates and converts `TomcatResources` (requests never above limits).
 *
 * Any quantity the API server accepts is accepted ("1.5Gi", "2G", "0.5");
 * cdk8s-plus-27 can only write whole millicores and mebibytes, so the values
 * are written into the Deployment exactly as given, with a patch of the
 * Tomcat container (the first of the pod).
 */
export function tomcatResources(scope: Construct, r: TomcatResources, deployment?: kplus.Deployment): kplus.ContainerResources {
  const given = {
    cpuRequest: r.cpuRequest ?? '500m',
    cpuLimit: r.cpuLimit ?? '2',
    memoryRequest: r.memoryRequest ?? '768Mi',
    memoryLimit: r.memoryLimit ?? '1Gi',
  };
  const cpuRequest = positive(scope, 'resources.cpuRequest', given.cpuRequest, 1e-3, 'at least one millicore, e.g. "250m" or "1"');
  const cpuLimit = positive(scope, 'resources.cpuLimit', given.cpuLimit, 1e-3, 'at least one millicore, e.g. "250m" or "1"');
  const memRequest = positive(scope, 'resources.memoryRequest', given.memoryRequest, 1, 'at least one byte, e.g. "768Mi", "1.5Gi" or "2G"');
  const memLimit = positive(scope, 'resources.memoryLimit', given.memoryLimit, 1, 'at least one byte, e.g. "768Mi", "1.5Gi" or "2G"');
  checkRequestWithinLimit(scope, 'resources.cpuRequest', given.cpuRequest, given.cpuLimit, 'CPU');
  checkRequestWithinLimit(scope, 'resources.memoryRequest', given.memoryRequest, given.memoryLimit, 'memory');
  if (deployment) {
    // patches pass through the L1 mapper: quantities as k8s.Quantity
    const q = (v: string) => kplus.k8s.Quantity.fromString(v);
    ApiObject.of(deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/resources', {
      limits: { cpu: q(given.cpuLimit), memory: q(given.memoryLimit) },
      requests: { cpu: q(given.cpuRequest), memory: q(given.memoryRequest) },
    }));
  }
  // what cdk8s-plus-27 can express; replaced by the exact values above
  const millis = (cores: number) => Math.max(1, Math.ceil(cores * 1000));
  const mebibytes = (bytes: number) => Math.max(1, Math.ceil(bytes / 2 ** 20));
  return {
    cpu: { request: kplus.Cpu.millis(millis(cpuRequest)), limit: kplus.Cpu.millis(millis(cpuLimit)) },
    memory: { request: Size.mebibytes(mebibytes(memRequest)), limit: Size.mebibytes(mebibytes(memLimit)) },
  };
}

/** The value of a quantity in base units; throws unless it is at least `min`. */
function positive(scope: Construct, field: string, value: string, min: number, valid: string): number {
  checkQuantity(scope, field, value);
  const n = parseQuantity(value)!;
  if (!Number.isFinite(n) || !fits(min, n)) {
    throw ValidationError.of(scope, field, value, `must be ${valid}`);
  }
  return n;
}
