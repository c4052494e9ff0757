export * from './ecs-task-launcher';
export * from './fleet-health-report';
export * from './fleet-launcher';
export * from './local-directory-store';
export * from './local-process-launcher';
export * from './run-fleet';
export * from './s3-result-store';
export * from './shard-result-store';
