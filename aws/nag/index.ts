export * from './mlserve-checks';
export * from './production-scope';
export * from './rules';
