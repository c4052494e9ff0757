export * from './emulated-endpoint';
export * from './faults';
export * from './live-autoscaling';
export * from './replica-pool';
export * from './sagemaker-protocol';
export * from './start-emulator';
export * from './vertex-protocol';
export * from './emulator-service';
