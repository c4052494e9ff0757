export * from './local-queues';
export * from './message-queue';
export * from './pubsub-push';
export * from './pubsub-protocol';
export * from './queue-set';
export * from './sqs-protocol';
