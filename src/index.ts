export * from './errors';
export * from './platform';
export * from './app';
export * from './validate';
export * from './delivery';
export * from './monitoring';
export * from './storage';
export * from './config';
