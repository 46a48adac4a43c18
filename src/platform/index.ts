export * from './paas-app';
export * from './paas-chart';
export { UpgradePlan, UpgradePlanProps, UpgradeStep, UpgradeBreakage, ApiMigration, NodeGroupUpgrade, StorageRewrite, SchemaCheck } from './upgrade-plan';
export { OutputFormat } from './helm-escape';
