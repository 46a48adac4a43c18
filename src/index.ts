export * from './errors';
export * from './platform';
export * from './app';
export * from './validate';
export * from './config';
export * from './network';
export * from './tenancy';
