// The cloud launchers and stores (ecs-task-launcher, s3-result-store) are imported by path, so the
// AWS SDK clients they need load only for a cloud fleet.
export * from './fleet-health-report';
export * from './fleet-stack-outputs';
export * from './fleet-launcher';
export * from './local-directory-store';
export * from './local-process-launcher';
export * from './run-fleet';
export * from './shard-result-store';
