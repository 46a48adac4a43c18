export * from './kops-cluster';
export * from './kops-instance-group';
