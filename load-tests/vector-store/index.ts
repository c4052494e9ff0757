export * from './exact-index';
export * from './vector-distance';
export * from './vector-index';
