export * from './clock';
export * from './manual-clock';
export * from './random';
export * from './real-clock';
