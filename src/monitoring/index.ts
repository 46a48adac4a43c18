export * from './system-log-monitor';
export * from './node-problem-detector';
export * from './tomcat-metrics';
export * from './alert-options';
export * from './alert-rules';
