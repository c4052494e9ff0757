/**
 * How many messages the source queue's dead-letter queue holds, read before and after a
 * `--target pipeline` run: the messages the worker gave up on during the run (poison, or failing
 * `maxDeliveryAttempts` times). SQS: GetQueueAttributes `ApproximateNumberOfMessages` (+ `NotVisible`)
 * of the dead-letter queue. Pub/Sub has no message count but Cloud Monitoring's
 * (`subscription/num_undelivered_messages`, a minute behind): the dead-letter subscription is
 * pulled and everything pulled handed straight back (modifyAckDeadline 0), at most 1000 messages, as
 * load-tests/pipeline/pubsub-consumer.ts counts them. A message handed back returns only after the
 * subscription's retry backoff, so the run's dead letters are not a difference of two pulls but the
 * messages the end pull sees published to the dead-letter topic (that is, dead-lettered) since the
 * run started. Counted when the run ends: a message still being retried then (it is dead-lettered
 * after `maxDeliveryAttempts`) is not in the count.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { v1 } from '@google-cloud/pubsub';
import { LOCAL_AWS_CREDENTIALS } from '../aws-client-config';
import { isLoopbackUrl } from '../loopback';
import type { PipelineRunSummary } from '../../generator/result-format';
import { pubsubClientOptions } from '../../pipeline/pubsub-client-options';
import { publishTimeMs } from '../../pipeline/pubsub-timestamp';
import type { PipelineSourceQueue, PipelineTargetSpec, PubsubSourceQueue, SqsSourceQueue } from './pipeline-target-spec';

/** The most messages one Pub/Sub count sees. */
export const MAX_PUBSUB_DEAD_LETTER_COUNT = 1000;

/** Messages in the dead-letter queue; on Pub/Sub, those dead-lettered at `sinceEpochMs` or later. */
export async function countDeadLetters(queue: PipelineSourceQueue, sinceEpochMs = 0): Promise<number> {
  return queue.kind === 'sqs' ? countSqs(queue) : countPubsub(queue, sinceEpochMs);
}

/** The dead-letter queue's name as the result reports it. */
export function deadLetterQueueOf(queue: PipelineSourceQueue): string {
  return queue.kind === 'sqs' ? queue.deadLetterUrl : queue.deadLetterSubscription;
}

async function countSqs(queue: SqsSourceQueue): Promise<number> {
  const local = queue.endpointUrl !== undefined && isLoopbackUrl(queue.endpointUrl);
  const sqs = new SQSClient({ region: queue.region, endpoint: queue.endpointUrl, credentials: local ? LOCAL_AWS_CREDENTIALS : undefined });
  try {
    const response = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.deadLetterUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(response.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(response.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  } finally {
    sqs.destroy();
  }
}

async function countPubsub(queue: PubsubSourceQueue, sinceEpochMs: number): Promise<number> {
  const client = new v1.SubscriberClient(pubsubClientOptions(queue.apiUrl));
  try {
    const subscription = queue.deadLetterSubscription;
    const [response] = await client.pull({ subscription, maxMessages: MAX_PUBSUB_DEAD_LETTER_COUNT, returnImmediately: true });
    const received = response.receivedMessages ?? [];
    const ackIds = received.map((r) => r.ackId ?? '');
    if (ackIds.length > 0) await client.modifyAckDeadline({ subscription, ackIds, ackDeadlineSeconds: 0 });
    return received.filter((r) => (publishTimeMs(r.message?.publishTime) ?? 0) >= sinceEpochMs).length;
  } finally {
    await client.close();
  }
}

/** Counts the dead letters now; the function it returns counts them again and reports the run's. */
export async function watchDeadLetters(spec: PipelineTargetSpec): Promise<() => Promise<PipelineRunSummary>> {
  const atStart = await countDeadLetters(spec.queue);
  const startedAt = Date.now();
  return async () => ({
    queue: spec.queueName,
    deadLetterQueue: deadLetterQueueOf(spec.queue),
    // An SQS count is approximate and may dip below the start's: never below zero.
    deadLetters: spec.queue.kind === 'sqs' ? Math.max(0, (await countDeadLetters(spec.queue)) - atStart) : await countDeadLetters(spec.queue, startedAt),
    deadLettersAtStart: atStart,
    documents: spec.documentCount,
  });
}

