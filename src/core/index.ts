// The leaf layer: imports nothing else of the library (only constructs and cdk8s).
export * from './errors';
export * from './kube-version';
export { UNSPECIFIED_WARNING_ID, Warnings } from './warnings';
export { PodSecurity } from './pod-security-opt-in';
export * from './workload-target';
