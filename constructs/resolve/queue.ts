/** A work queue: its delivery settings and dead-letter queue, named for SQS and for Pub/Sub. */
import { DEAD_LETTER_ALARM_EVALUATION } from '../alarm-evaluation';
import { fifoQueueNames, gcpQueueNames, orderedSubscriptionName, queueResourceNames } from '../naming';
import type { ResolvedQueue } from '../resolved-topology';
import type { QueueSpec } from '../spec/topology-schema';
import type { TopologyNames } from './topology-names';

/**
 * Dead letters are kept 14 days, the most SQS allows (Pub/Sub allows 31): a redriven message keeps
 * its original enqueue time on SQS, so the dead-letter queue keeps the maximum to leave time to look.
 */
export const DEAD_LETTER_RETENTION_HOURS = 336;

/** `ordered`: the queue feeds a pipeline that needs each key's messages one at a time (FIFO on SQS). */
export function resolveQueue(q: QueueSpec, names: TopologyNames, ordered: boolean): ResolvedQueue {
  const generated = queueResourceNames(names.topology, names.environment, q.name);
  const sqsNames = ordered ? fifoQueueNames(names.topology, names.environment, q.name) : generated.sqsQueues;
  return {
    name: q.name,
    purpose: q.purpose,
    maxDeliveryAttempts: q.maxDeliveryAttempts,
    retentionHours: q.retentionHours,
    ackTimeoutSeconds: q.ackTimeoutSeconds,
    ordered,
    deadLetterRetentionHours: DEAD_LETTER_RETENTION_HOURS,
    deadLetterAlarmEvaluation: DEAD_LETTER_ALARM_EVALUATION,
    aws: { queueName: sqsNames.queue, deadLetterQueueName: sqsNames.deadLetter },
    gcp: {
      topicName: generated.pubsubTopics.topic,
      subscriptionName: ordered ? orderedSubscriptionName(names.topology, names.environment, q.name) : generated.pubsubSubscriptions.subscription,
      deadLetterTopicName: generated.pubsubTopics.deadLetter,
      deadLetterSubscriptionName: generated.pubsubSubscriptions.deadLetter,
      minimumBackoffSeconds: 10,
      maximumBackoffSeconds: 600,
      ...gcpQueueNames(names.topology, names.environment, q.name),
    },
  };
}
