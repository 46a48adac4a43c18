export * from './tenant';
export * from './legacy-service';
export * from './data-service';
