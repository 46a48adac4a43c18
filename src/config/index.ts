export * from './config-target';
export * from './config-source';
export * from './app-config';
export * from './app-secret';
export * from './secret-hash-key';
export * from './registry-credentials';
export * from './app-service-account';
