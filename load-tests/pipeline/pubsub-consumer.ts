/**
 * The local Pub/Sub subscription through `@google-cloud/pubsub`'s `v1.SubscriberClient` in REST
 * fallback mode (the mode the local queues serve; its emulator-host mode speaks gRPC): pull,
 * acknowledge, and modifyAckDeadline 0 (a nack) for the messages to retry, which the subscription
 * redelivers after its retry backoff and dead-letters after maxDeliveryAttempts.
 */
import { v1 } from '@google-cloud/pubsub';
import { OAuth2Client } from 'google-auth-library';
import type { QueueConsumer, ReceivedMessage } from './queue-consumer';

type ClientOptions = NonNullable<ConstructorParameters<typeof v1.SubscriberClient>[0]>;

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
    const url = new URL(location.endpoint);
    // Any bearer token will do for the local endpoints.
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 24 * 3600_000 });
    this.client = new v1.SubscriberClient({
      apiEndpoint: url.hostname,
      port: Number(url.port || 80),
      fallback: true,
      protocol: 'http',
      authClient: authClient as unknown as ClientOptions['authClient'],
    } as ClientOptions);
    this.description = `${this.path(location.subscription)} (@google-cloud/pubsub v1.SubscriberClient, REST fallback)`;
  }

  async receive(max: number): Promise<ReceivedMessage[]> {
    // returnImmediately: an empty subscription answers at once, so the run notices it is idle.
    const [response] = await this.client.pull({ subscription: this.path(this.location.subscription), maxMessages: max, returnImmediately: true });
    return (response.receivedMessages ?? []).map((r) => ({
      messageId: r.message?.messageId ?? '',
      body: Buffer.from(r.message?.data ?? '').toString('utf8'),
      deliveryAttempt: r.deliveryAttempt ?? 1,
      enqueuedAt: timestampMs(r.message?.publishTime),
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

/** A protobuf Timestamp, or its RFC 3339 JSON form, in epoch ms. */
function timestampMs(t: { seconds?: unknown; nanos?: number | null } | string | null | undefined): number {
  if (typeof t === 'string') return Date.parse(t);
  if (!t) return Date.now();
  return Number(String(t.seconds ?? 0)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}
