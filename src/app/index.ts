export * from './servlet-api';
export * from './tomcat-runtime';
export * from './war-artifact';
export * from './tomcat-app';
export { TomcatResources } from './tomcat-resources';
export * from './tomcat-autoscaling';
export * from './tomcat-probes';
export * from './restricted-security-context';
