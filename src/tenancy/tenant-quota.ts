import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { checkResourceQuantity } from './quantity';
import { TenantQuota } from './tenant';
import { checkInteger } from '../validate/rules';

/** How a quota field maps to a ResourceQuota resource. */
export interface QuotaField {
  readonly field: keyof TenantQuota;
  readonly resource: string;
  readonly quantity: boolean;
  readonly defaultValue: string | number;
}

export const QUOTA_FIELDS: QuotaField[] = [
  { field: 'requestsCpu', resource: 'requests.cpu', quantity: true, defaultValue: '4' },
  { field: 'requestsMemory', resource: 'requests.memory', quantity: true, defaultValue: '8Gi' },
  { field: 'limitsCpu', resource: 'limits.cpu', quantity: true, defaultValue: '8' },
  { field: 'limitsMemory', resource: 'limits.memory', quantity: true, defaultValue: '16Gi' },
  { field: 'requestsStorage', resource: 'requests.storage', quantity: true, defaultValue: '50Gi' },
  { field: 'pods', resource: 'pods', quantity: false, defaultValue: 40 },
  { field: 'services', resource: 'services', quantity: false, defaultValue: 20 },
  { field: 'persistentVolumeClaims', resource: 'persistentvolumeclaims', quantity: false, defaultValue: 10 },
  { field: 'configMaps', resource: 'configmaps', quantity: false, defaultValue: 50 },
  { field: 'secrets', resource: 'secrets', quantity: false, defaultValue: 50 },
  { field: 'loadBalancers', resource: 'services.loadbalancers', quantity: false, defaultValue: 0 },
  { field: 'nodePorts', resource: 'services.nodeports', quantity: false, defaultValue: 0 },
];

/** The checked quota values by ResourceQuota resource (`requests.cpu` → field and value). */
export type QuotaValues = { [resource: string]: { field: string; value: string | number } };

/** Checks the quota props (defaults filled in) into `values`; returns the ResourceQuota's `hard`. */
export function quotaHard(scope: IConstruct, quota: TenantQuota | undefined, values: QuotaValues): { [k: string]: kplus.k8s.Quantity } {
  const hard: { [k: string]: kplus.k8s.Quantity } = {};
  for (const f of QUOTA_FIELDS) {
    const v = quota?.[f.field] ?? f.defaultValue;
    const field = `quota.${f.field}`;
    if (f.quantity) checkResourceQuantity(scope, field, v as string);
    else checkInteger(scope, field, v as number, 0, 1000000);
    values[f.resource] = { field, value: v };
    hard[f.resource] = typeof v === 'number' ? kplus.k8s.Quantity.fromNumber(v) : kplus.k8s.Quantity.fromString(v);
  }
  return hard;
}
