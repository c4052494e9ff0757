/**
 * The drain on GCP: from the subscription a stack had before the pipeline to the topic, published
 * again with the document's ordering key so the ordered subscription beside it receives it. Both
 * subscriptions hang off the same topic, so what was published after the ordered one existed (the
 * cutover) is already there and is only acknowledged on the old one; so are the copies this drain
 * publishes, which the old subscription receives too.
 */
import { v1 } from '@google-cloud/pubsub';
import { pubsubOrderingKey } from '../../../pipelines/embedding-refresh/message-routing';
import type { RefreshMessage } from '../../../pipelines/embedding-refresh/refresh-message';
import { pubsubClientOptions } from '../pubsub-client-options';
import { publishTimeMs } from '../pubsub-timestamp';
import { DrainInputError, type DrainedMessage, type DrainSource, type DrainTarget } from './queue-drain';

const SUBSCRIPTION_PATH = /^projects\/[^/]+\/subscriptions\/[^/]+$/;
const TOPIC_PATH = /^projects\/[^/]+\/topics\/[^/]+$/;
const MAX_PULL = 100;
/** The longest ack deadline Pub/Sub allows: a kept message stays out of sight for the run. */
const HIDE_SECONDS = 600;

export class PubsubDrainSource implements DrainSource {
  readonly description: string;
  private readonly client: v1.SubscriberClient;

  constructor(
    private readonly subscription: string,
    endpoint?: string,
  ) {
    if (!SUBSCRIPTION_PATH.test(subscription)) throw new DrainInputError(`--from: a subscription, projects/PROJECT/subscriptions/NAME, got ${subscription}`);
    this.client = new v1.SubscriberClient(pubsubClientOptions(endpoint));
    this.description = `Pub/Sub ${subscription}`;
  }

  async receive(): Promise<DrainedMessage[]> {
    const [response] = await this.client.pull({ subscription: this.subscription, maxMessages: MAX_PULL, returnImmediately: true });
    return (response.receivedMessages ?? []).map((r) => ({
      id: r.message?.messageId ?? '',
      body: Buffer.from(r.message?.data ?? '').toString('utf8'),
      publishedAt: publishTimeMs(r.message?.publishTime) ?? 0,
      handle: r.ackId ?? '',
    }));
  }

  async remove(messages: readonly DrainedMessage[]): Promise<void> {
    if (messages.length > 0) await this.client.acknowledge({ subscription: this.subscription, ackIds: messages.map((m) => m.handle) });
  }

  async keep(messages: readonly DrainedMessage[]): Promise<void> {
    if (messages.length > 0) await this.client.modifyAckDeadline({ subscription: this.subscription, ackIds: messages.map((m) => m.handle), ackDeadlineSeconds: HIDE_SECONDS });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export class PubsubDrainTarget implements DrainTarget {
  readonly description: string;
  private readonly client: v1.PublisherClient;

  constructor(
    private readonly topic: string,
    endpoint?: string,
  ) {
    if (!TOPIC_PATH.test(topic)) throw new DrainInputError(`--to: the queue's topic, projects/PROJECT/topics/NAME, got ${topic}`);
    this.client = new v1.PublisherClient(pubsubClientOptions(endpoint));
    this.description = `Pub/Sub ${topic} (ordering keys)`;
  }

  /** One publish request for the batch: Pub/Sub accepts or refuses it whole. */
  async send(messages: readonly { readonly message: RefreshMessage; readonly body: string }[]): Promise<boolean[]> {
    try {
      await this.client.publish({ topic: this.topic, messages: messages.map((m) => ({ data: Buffer.from(m.body), orderingKey: pubsubOrderingKey(m.message) })) });
      return messages.map(() => true);
    } catch (e) {
      process.stderr.write(`drain: publish to ${this.topic} refused: ${(e as Error).message}\n`);
      return messages.map(() => false);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

