export * from './volume-source';
export * from './volume-plugin';
export * from './builtin-plugins';
export * from './volume-plugins';
export * from './mountable-storage';
export * from './inline-volume';
export * from './persistent-storage';
