/**
 * The local Pub/Sub subscription through `@google-cloud/pubsub`'s `v1.SubscriberClient` in REST
 * fallback mode (the mode the local queues serve; its emulator-host mode speaks gRPC): pull,
 * acknowledge, and modifyAckDeadline 0 (a nack) for the messages to retry, which the subscription
 * redelivers after its retry backoff and dead-letters after maxDeliveryAttempts.
 */
import { v1 } from '@google-cloud/pubsub';
import { pubsubClientOptions } from './pubsub-client-options';
import { publishTimeMs } from './pubsub-timestamp';
import type { QueueConsumer, ReceivedMessage } from './queue-consumer';

export interface PubsubSubscriptionLocation {
  readonly endpoint: string;
  /** Subscription ids (not paths): the local queues serve any project. */
  readonly subscription: string;
  readonly deadLetterSubscription: string;
}

const PROJECT = 'local';
/** The most messages one pull or count takes. */
const MAX_PULL = 1000;

export class PubsubConsumer implements QueueConsumer {
  readonly description: string;
  private readonly client: v1.SubscriberClient;

  constructor(private readonly location: PubsubSubscriptionLocation) {
    this.client = new v1.SubscriberClient(pubsubClientOptions(location.endpoint));
    this.description = `${this.path(location.subscription)} (@google-cloud/pubsub v1.SubscriberClient, REST fallback)`;
  }

  async receive(max: number): Promise<ReceivedMessage[]> {
    // returnImmediately: an empty subscription answers at once, so the run notices it is idle.
    const [response] = await this.client.pull({ subscription: this.path(this.location.subscription), maxMessages: max, returnImmediately: true });
    return (response.receivedMessages ?? []).map((r) => ({
      messageId: r.message?.messageId ?? '',
      body: Buffer.from(r.message?.data ?? '').toString('utf8'),
      deliveryAttempt: r.deliveryAttempt ?? 1,
      enqueuedAt: publishTimeMs(r.message?.publishTime) ?? Date.now(),
      handle: r.ackId ?? '',
    }));
  }

  async settle(acknowledged: readonly ReceivedMessage[], retry: readonly ReceivedMessage[]): Promise<void> {
    const subscription = this.path(this.location.subscription);
    if (acknowledged.length > 0) await this.client.acknowledge({ subscription, ackIds: acknowledged.map((m) => m.handle) });
    if (retry.length > 0) await this.client.modifyAckDeadline({ subscription, ackIds: retry.map((m) => m.handle), ackDeadlineSeconds: 0 });
  }

  /** Pub/Sub has no message count but Cloud Monitoring's: pull what the dead-letter subscription holds and hand it straight back. */
  async deadLetterCount(): Promise<number> {
    const subscription = this.path(this.location.deadLetterSubscription);
    const [response] = await this.client.pull({ subscription, maxMessages: MAX_PULL, returnImmediately: true });
    const ackIds = (response.receivedMessages ?? []).map((r) => r.ackId ?? '');
    if (ackIds.length > 0) await this.client.modifyAckDeadline({ subscription, ackIds, ackDeadlineSeconds: 0 });
    return ackIds.length;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private path(subscription: string): string {
    return `projects/${PROJECT}/subscriptions/${subscription}`;
  }
}

