import * as kplus from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { checkResourceQuantity } from './quantity';
import { checkInteger } from '../validate/rules';

/**
 * The tenant's ResourceQuota: what all its pods together may request, and how
 * many objects of each kind it may hold.
 */
export interface TenantQuota {
  /** Sum of CPU requests (`requests.cpu`). @default '4' */
  readonly requestsCpu?: string;
  /** Sum of memory requests (`requests.memory`). @default '8Gi' */
  readonly requestsMemory?: string;
  /** Sum of CPU limits (`limits.cpu`). @default '8' */
  readonly limitsCpu?: string;
  /** Sum of memory limits (`limits.memory`). @default '16Gi' */
  readonly limitsMemory?: string;
  /** Sum of PersistentVolumeClaim storage requests (`requests.storage`). @default '50Gi' */
  readonly requestsStorage?: string;
  /** Pods (`pods`). @default 40 */
  readonly pods?: number;
  /** Services (`services`). @default 20 */
  readonly services?: number;
  /** PersistentVolumeClaims (`persistentvolumeclaims`). @default 10 */
  readonly persistentVolumeClaims?: number;
  /** ConfigMaps (`configmaps`), including the `kube-root-ca.crt` every namespace gets. @default 50 */
  readonly configMaps?: number;
  /** Secrets (`secrets`). @default 50 */
  readonly secrets?: number;
  /** Services of type LoadBalancer (`services.loadbalancers`). @default 0 */
  readonly loadBalancers?: number;
  /** Node ports (`services.nodeports`). @default 0 */
  readonly nodePorts?: number;
}

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
