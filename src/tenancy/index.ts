export * from './tenant';
export { TenantQuota } from './tenant-quota';
export { TenantLimits } from './tenant-limits';
export * from './legacy-service';
export * from './data-service';
