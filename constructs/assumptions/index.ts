export * from './assumption';
export * from './assumption-set';
export * from './register';
export * from './assumption-record';
