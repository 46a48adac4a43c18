// The leaf layer: imports nothing else of the library (only constructs and cdk8s).
export * from './errors';
export * from './kube-version';
export { UNSPECIFIED_WARNING_ID, Warnings } from './warnings';
