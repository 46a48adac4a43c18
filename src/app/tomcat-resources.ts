import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationError } from '../core/errors';
import { fits, isQuantity, parseQuantity } from '../core/quantity';
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
 * Any quantity the API server accepts is accepted ("1.5Gi", "2G", "0.5").
 * cdk8s-plus-27 writes whole millicores and mebibytes ("2000m", "1536Mi");
 * a value it cannot write exactly ("2G", "0.5m", a 30-digit CPU it would
 * print as "1e+32m") is written into the Tomcat container (the first of the
 * pod) exactly as given, with a patch.
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

  const exact = (pointer: string, value: string) => {
    // patches pass through the L1 mapper: quantities as k8s.Quantity
    if (deployment) ApiObject.of(deployment).addJsonPatch(JsonPatch.replace(`/spec/template/spec/containers/0/resources/${pointer}`, kplus.k8s.Quantity.fromString(value)));
  };
  const cpu = (pointer: string, value: string, cores: number): kplus.Cpu => {
    const millis = cores * 1000;
    if (Number.isInteger(millis) && isQuantity(`${millis}m`)) return kplus.Cpu.millis(millis);
    exact(pointer, value);
    return kplus.Cpu.millis(1);
  };
  const memory = (pointer: string, value: string, bytes: number): Size => {
    const mebibytes = bytes / 2 ** 20;
    if (Number.isInteger(mebibytes) && isQuantity(`${mebibytes}Mi`)) return Size.mebibytes(mebibytes);
    exact(pointer, value);
    return Size.mebibytes(1);
  };
  return {
    cpu: { request: cpu('requests/cpu', given.cpuRequest, cpuRequest), limit: cpu('limits/cpu', given.cpuLimit, cpuLimit) },
    memory: { request: memory('requests/memory', given.memoryRequest, memRequest), limit: memory('limits/memory', given.memoryLimit, memLimit) },
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
