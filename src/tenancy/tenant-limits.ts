import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { ContainerDefaults } from './budget';
import { checkResourceQuantity, quantityValue } from './quantity';
import { TenantLimits } from './tenant';

export const LIMIT_DEFAULTS: Required<TenantLimits> = {
  defaultCpuRequest: '100m',
  defaultMemoryRequest: '128Mi',
  defaultCpuLimit: '1',
  defaultMemoryLimit: '512Mi',
  maxCpu: '4',
  maxMemory: '8Gi',
};

/** The LimitRange values: the props, checked, over the defaults. */
export function checkedLimits(scope: IConstruct, given: TenantLimits | undefined): Required<TenantLimits> {
  const limits: { [k: string]: string } = { ...LIMIT_DEFAULTS };
  for (const k of Object.keys(LIMIT_DEFAULTS) as Array<keyof TenantLimits>) {
    const v = given?.[k];
    if (v !== undefined) limits[k] = checkResourceQuantity(scope, `limits.${k}`, v);
  }
  return limits as Required<TenantLimits>;
}

/** The LimitRange spec of the values `l`. */
export function limitRangeSpec(l: Required<TenantLimits>): kplus.k8s.LimitRangeSpec {
  const q = (s: string) => kplus.k8s.Quantity.fromString(s);
  return {
    limits: [{
      type: 'Container',
      defaultRequest: { cpu: q(l.defaultCpuRequest), memory: q(l.defaultMemoryRequest) },
      default: { cpu: q(l.defaultCpuLimit), memory: q(l.defaultMemoryLimit) },
      max: { cpu: q(l.maxCpu), memory: q(l.maxMemory) },
    }],
  };
}

/** Container defaults of the LimitRange, in base units. */
export function containerDefaults(limits: Required<TenantLimits>): ContainerDefaults {
  const v = (s: string) => quantityValue(s)!;
  return {
    requests: { cpu: v(limits.defaultCpuRequest), memory: v(limits.defaultMemoryRequest) },
    limits: { cpu: v(limits.defaultCpuLimit), memory: v(limits.defaultMemoryLimit) },
  };
}
