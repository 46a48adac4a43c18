export * from './agent';
export * from './errors';
export * from './images';
export * from './pod';
export * from './sandbox';
export * from './tomcat';
export * from './volumes';
export * from './war';
