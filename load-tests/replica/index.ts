export * from './admission';
export * from './random';
export * from './replica-model';
export * from './service-time';
