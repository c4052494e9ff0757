export * from './datapoint-restricts';
export * from './datapoint-store';
export * from './vector-search-names';
export * from './vertex-distance';
export * from './vertex-vector-search-service';
