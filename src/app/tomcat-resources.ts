import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ValidationError } from '../errors';
import { checkQuantity } from '../validate/rules';

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

/** Validates and converts `TomcatResources` (requests never above limits). */
export function tomcatResources(scope: Construct, r: TomcatResources): kplus.ContainerResources {
  const cpuRequest = cpuMillis(scope, 'resources.cpuRequest', r.cpuRequest ?? '500m');
  const cpuLimit = cpuMillis(scope, 'resources.cpuLimit', r.cpuLimit ?? '2');
  const memRequest = memoryMebibytes(scope, 'resources.memoryRequest', r.memoryRequest ?? '768Mi');
  const memLimit = memoryMebibytes(scope, 'resources.memoryLimit', r.memoryLimit ?? '1Gi');
  if (cpuRequest > cpuLimit) {
    throw ValidationError.of(scope, 'resources.cpuRequest', r.cpuRequest ?? '500m', `is above the CPU limit "${r.cpuLimit ?? '2'}"; a request must not exceed its limit`);
  }
  if (memRequest > memLimit) {
    throw ValidationError.of(scope, 'resources.memoryRequest', r.memoryRequest ?? '768Mi', `is above the memory limit "${r.memoryLimit ?? '1Gi'}"; a request must not exceed its limit`);
  }
  return {
    cpu: { request: kplus.Cpu.millis(cpuRequest), limit: kplus.Cpu.millis(cpuLimit) },
    memory: { request: Size.mebibytes(memRequest), limit: Size.mebibytes(memLimit) },
  };
}

function cpuMillis(scope: Construct, field: string, value: string): number {
  checkQuantity(scope, field, value);
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(value);
  if (!m) {
    throw ValidationError.of(scope, field, value, 'is not a CPU quantity: cores ("2", "0.5") or millicores ("500m")');
  }
  const millis = m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
  if (!Number.isInteger(millis) || millis <= 0) {
    throw ValidationError.of(scope, field, value, 'must be a positive whole number of millicores, e.g. "250m" or "1"');
  }
  return millis;
}

const MEBIBYTES_PER_UNIT: { [suffix: string]: number } = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

function memoryMebibytes(scope: Construct, field: string, value: string): number {
  checkQuantity(scope, field, value);
  const m = /^(\d+)(Mi|Gi|Ti)$/.exec(value);
  if (!m || Number(m[1]) <= 0) {
    throw ValidationError.of(scope, field, value, 'is not a memory size this library accepts: a positive integer with Mi, Gi or Ti, e.g. "768Mi" or "1Gi"');
  }
  return Number(m[1]) * MEBIBYTES_PER_UNIT[m[2]];
}
