/**
 * A Pub/Sub message as it leaves the service, shared by pull (`ReceivedMessage`) and push (the push
 * envelope), and the retry policy's backoff both apply after a failed delivery.
 */
import type { QueuedMessage } from './message-queue';
import type { PubsubPayload, PubsubSubscriptionEntry } from './queue-set';

/** `PubsubMessage` in REST JSON: empty fields are left out, as the service does. */
export function restMessage(message: QueuedMessage<PubsubPayload>): Record<string, unknown> {
  const { data, attributes, orderingKey, publishTime } = message.payload;
  return {
    ...(data ? { data } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    messageId: message.id,
    publishTime,
    ...(orderingKey ? { orderingKey } : {}),
  };
}

/**
 * `deliveryAttempt` is only set on a subscription with a dead-letter policy
 * (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions/pull#receivedmessage).
 */
export function deliveryAttemptField(subscription: PubsubSubscriptionEntry, message: QueuedMessage<PubsubPayload>): { deliveryAttempt?: number } {
  return subscription.deadLetter ? { deliveryAttempt: message.receiveCount } : {};
}

/**
 * Delay before redelivering after the `attempt`-th delivery failed: exponential between the retry
 * policy's bounds (https://cloud.google.com/pubsub/docs/handling-failures#exponential_backoff). Pub/Sub
 * does not publish its exact curve; doubling from the minimum is this emulator's choice.
 */
export function retryBackoffMs(subscription: PubsubSubscriptionEntry, attempt: number): number {
  const { minimumBackoffSeconds, maximumBackoffSeconds } = subscription.retryPolicy;
  return Math.min(maximumBackoffSeconds, minimumBackoffSeconds * 2 ** Math.max(0, attempt - 1)) * 1000;
}
