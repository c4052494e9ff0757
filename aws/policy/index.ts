export * from './aws-policies';
export * from './mlserve-checks';
export * from './mlserve-rule';
export * from './production-scope';
export * from './resource-types';
export * from './rules';
