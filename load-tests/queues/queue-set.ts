/**
 * The topology's queues as the local endpoints hold them: for every queue, the SQS queue and its
 * dead-letter queue, and the Pub/Sub topic, its subscription, the dead-letter topic and its
 * subscription, with the delivery settings `resolveTopology` decided (constructs/resolve/queue.ts).
 * The two clouds' queues are separate stores, as they are in the clouds.
 *
 * Under `--data-dir` every change is appended to `queues.jsonl` before the request that made it is
 * answered, and replayed on start: messages, deliveries in flight and acknowledgements survive.
 */
import { join } from 'node:path';
import type { ResolvedQueue } from '../../constructs';
import type { Clock } from '../clock/clock';
import { openMutationLog, type MutationLog } from '../local-state/mutation-log';
import { MessageQueue, type EpochMs, type QueueMutation, type QueuedMessage } from './message-queue';

/** What an SQS message carries besides what the queue tracks. */
export interface SqsPayload {
  readonly body: string;
  readonly md5OfBody: string;
  /** Message attributes as the JSON protocol sends them (`{ DataType, StringValue | BinaryValue }`). */
  readonly messageAttributes?: Readonly<Record<string, SqsAttributeValue>>;
  readonly md5OfMessageAttributes?: string;
  readonly senderId: string;
  readonly messageGroupId?: string;
  /** On FIFO queues: the id given, or the body's SHA-256 (content-based deduplication). */
  readonly messageDeduplicationId?: string;
}

export interface SqsAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  /** Base64, as the JSON protocol carries blobs. */
  readonly BinaryValue?: string;
}

/** What a Pub/Sub message carries: the REST `PubsubMessage` fields the publisher sets. */
export interface PubsubPayload {
  /** Base64. */
  readonly data: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey: string;
  /** RFC 3339, as `publishTime` is on the wire. */
  readonly publishTime: string;
}

export interface SqsQueueEntry {
  readonly queue: MessageQueue<SqsPayload>;
  readonly visibilityTimeoutSeconds: number;
  readonly retentionSeconds: number;
  /** The dead-letter queue's name, on a source queue. */
  readonly deadLetterQueueName?: string;
}

export interface PubsubSubscriptionEntry {
  readonly name: string;
  readonly topic: string;
  readonly queue: MessageQueue<PubsubPayload>;
  readonly ackDeadlineSeconds: number;
  readonly retentionSeconds: number;
  readonly deadLetter?: { readonly topic: string; readonly maxDeliveryAttempts: number };
  readonly retryPolicy: { readonly minimumBackoffSeconds: number; readonly maximumBackoffSeconds: number };
  /** Where a push subscription delivers (set with `:modifyPushConfig`), and the project it was set under; pull when absent. */
  push?: PushConfig;
}

export interface PushConfig {
  readonly endpoint: string;
  /** Project of the subscription's full name in the push envelope. */
  readonly project: string;
}

/** Log entries: queue changes, and push endpoints (a subscription's configuration survives too). */
type LogEntry = QueueMutation | { readonly op: 'push-config'; readonly subscription: string; readonly push?: PushConfig };

export interface QueueSetOptions {
  readonly dataDir?: string;
  readonly clock: Clock;
}

export class QueueSet {
  readonly sqs = new Map<string, SqsQueueEntry>();
  readonly topics = new Map<string, { readonly subscriptions: string[] }>();
  readonly subscriptions = new Map<string, PubsubSubscriptionEntry>();
  private readonly byKey = new Map<string, MessageQueue<unknown>>();
  private readonly log: MutationLog<LogEntry>;
  private readonly epochAtClockZero: number;

  constructor(
    queues: readonly ResolvedQueue[],
    private readonly options: QueueSetOptions,
  ) {
    // The clock is monotonic and starts anywhere; stored times are epoch times so they outlive a restart.
    this.epochAtClockZero = Date.now() - options.clock.now();
    this.log = openMutationLog<LogEntry>(options.dataDir === undefined ? undefined : join(options.dataDir, 'queues.jsonl'));
    for (const q of queues) this.addQueue(q);
    for (const entry of this.log.replay) this.apply(entry);
  }

  get clock(): Clock {
    return this.options.clock;
  }

  now(): EpochMs {
    return this.epochAtClockZero + this.options.clock.now();
  }

  /** Clock time of an epoch time, to set a timer for it. */
  clockTimeOf(epochMs: EpochMs): number {
    return epochMs - this.epochAtClockZero;
  }

  /**
   * Waits for something a long poll may receive: an enqueue or release in `queue`, or its next hidden
   * message becoming visible. Resolves 'deadline' when `deadline` came first (also when a manual
   * clock jumped past both: the poll would have answered empty at its deadline).
   */
  waitForChange(queue: MessageQueue<SqsPayload> | MessageQueue<PubsubPayload>, deadline: EpochMs): Promise<'change' | 'deadline'> {
    if (this.now() >= deadline) return Promise.resolve('deadline');
    const visibleAt = queue.nextVisibleAtMs(this.now());
    const wakeAt = visibleAt !== undefined && visibleAt < deadline ? visibleAt : deadline;
    return new Promise((resolve) => {
      const done = (why: 'change' | 'deadline') => {
        timer.cancel();
        unsubscribe();
        resolve(why);
      };
      const timer = this.options.clock.at(this.clockTimeOf(wakeAt), () => done(wakeAt === deadline ? 'deadline' : 'change'));
      const unsubscribe = queue.onChange(() => done('change'));
    });
  }

  setPushConfig(subscription: PubsubSubscriptionEntry, push: PushConfig | undefined): void {
    this.record({ op: 'push-config', subscription: subscription.name, push });
  }

  close(): void {
    this.log.close();
  }

  private addQueue(q: ResolvedQueue): void {
    const retentionSeconds = q.retentionHours * 3600;
    const deadLetterRetentionSeconds = q.deadLetterRetentionHours * 3600;
    const sqsDlq = this.queue<SqsPayload>(`sqs:${q.aws.deadLetterQueueName}`, {
      name: q.aws.deadLetterQueueName,
      retentionMs: deadLetterRetentionSeconds * 1000,
      ordered: isFifoName(q.aws.deadLetterQueueName),
    });
    const sqsSource = this.queue<SqsPayload>(
      `sqs:${q.aws.queueName}`,
      { name: q.aws.queueName, maxDeliveries: q.maxDeliveryAttempts, retentionMs: retentionSeconds * 1000, ordered: isFifoName(q.aws.queueName) },
      // SQS moves the message itself: same id, body, attributes and group, and (as SQS documents) its original enqueue time.
      (message) =>
        this.record({
          op: 'enqueue',
          queue: `sqs:${q.aws.deadLetterQueueName}`,
          id: message.id,
          payload: message.payload,
          sentAtMs: message.sentAtMs,
          ...(message.group === undefined ? {} : { group: message.group }),
        }),
    );
    this.sqs.set(q.aws.queueName, { queue: sqsSource, visibilityTimeoutSeconds: q.ackTimeoutSeconds, retentionSeconds, deadLetterQueueName: q.aws.deadLetterQueueName });
    this.sqs.set(q.aws.deadLetterQueueName, { queue: sqsDlq, visibilityTimeoutSeconds: q.ackTimeoutSeconds, retentionSeconds: deadLetterRetentionSeconds });

    const retryPolicy = { minimumBackoffSeconds: q.gcp.minimumBackoffSeconds, maximumBackoffSeconds: q.gcp.maximumBackoffSeconds };
    const dlSub = this.queue<PubsubPayload>(`pubsub:${q.gcp.deadLetterSubscriptionName}`, { name: q.gcp.deadLetterSubscriptionName, retentionMs: deadLetterRetentionSeconds * 1000 });
    const source = this.queue<PubsubPayload>(
      `pubsub:${q.gcp.subscriptionName}`,
      // An ordered queue's subscription has message ordering: each ordering key's messages one at a time, in order.
      { name: q.gcp.subscriptionName, maxDeliveries: q.maxDeliveryAttempts, retentionMs: retentionSeconds * 1000, ordered: q.ordered },
      (message, now) => this.publish(q.gcp.deadLetterTopicName, deadLetterCopy(message, q.gcp.subscriptionName), now),
    );
    this.subscribe(q.gcp.topicName, q.gcp.subscriptionName);
    this.subscribe(q.gcp.deadLetterTopicName, q.gcp.deadLetterSubscriptionName);
    this.subscriptions.set(q.gcp.subscriptionName, {
      name: q.gcp.subscriptionName,
      topic: q.gcp.topicName,
      queue: source,
      ackDeadlineSeconds: q.ackTimeoutSeconds,
      retentionSeconds,
      deadLetter: { topic: q.gcp.deadLetterTopicName, maxDeliveryAttempts: q.maxDeliveryAttempts },
      retryPolicy,
    });
    // The dead-letter subscription as gcp/work-queue.ts creates it: the longest ack deadline, no dead letters of its own.
    this.subscriptions.set(q.gcp.deadLetterSubscriptionName, {
      name: q.gcp.deadLetterSubscriptionName,
      topic: q.gcp.deadLetterTopicName,
      queue: dlSub,
      ackDeadlineSeconds: 600,
      retentionSeconds: deadLetterRetentionSeconds,
      retryPolicy,
    });
  }

  /** Publishes to every subscription of the topic under one message id; returns the id. */
  publish(topic: string, payload: Omit<PubsubPayload, 'publishTime'>, now: EpochMs, id = newMessageId()): string {
    const full: PubsubPayload = { ...payload, publishTime: new Date(now).toISOString() };
    // The ordering key groups messages on subscriptions with message ordering; the others ignore it.
    const group = payload.orderingKey === '' ? {} : { group: payload.orderingKey };
    for (const subscription of this.topics.get(topic)?.subscriptions ?? []) {
      this.record({ op: 'enqueue', queue: `pubsub:${subscription}`, id, payload: full, sentAtMs: now, ...group });
    }
    return id;
  }

  /** A topic may have several subscriptions: a queue's old one and its ordered successor share it during an upgrade. */
  private subscribe(topic: string, subscription: string): void {
    const subscriptions = this.topics.get(topic)?.subscriptions ?? [];
    if (!subscriptions.includes(subscription)) this.topics.set(topic, { subscriptions: [...subscriptions, subscription] });
  }

  /** A queue by key; one that two queues of the topology share (a dead-letter subscription kept across an upgrade) is made once. */
  private queue<P>(key: string, settings: ConstructorParameters<typeof MessageQueue<P>>[0], deadLetter?: (m: QueuedMessage<P>, now: EpochMs) => void): MessageQueue<P> {
    const existing = this.byKey.get(key);
    if (existing) return existing as MessageQueue<P>;
    const queue = new MessageQueue<P>(settings, (m) => this.record({ ...m, queue: key }), deadLetter);
    this.byKey.set(key, queue as MessageQueue<unknown>);
    return queue;
  }

  private record(entry: LogEntry): void {
    this.log.append(entry);
    this.apply(entry);
  }

  private apply(entry: LogEntry): void {
    if (entry.op === 'push-config') {
      const subscription = this.subscriptions.get(entry.subscription);
      if (subscription) subscription.push = entry.push;
      return;
    }
    // A queue that left the topology since the log was written: its messages are dropped.
    this.byKey.get(entry.queue)?.apply(entry);
  }
}

let messageCounter = 0;

/** Pub/Sub message ids are decimal strings; unique within this process and across restarts (time-based prefix). */
function newMessageId(): string {
  messageCounter = (messageCounter + 1) % 1_000_000;
  return `${Date.now()}${String(messageCounter).padStart(6, '0')}`;
}

/**
 * Pub/Sub republishes a dead letter to the dead-letter topic as a new message carrying where it came
 * from (https://cloud.google.com/pubsub/docs/handling-failures#dead_letter_topic).
 */
function deadLetterCopy(message: QueuedMessage<PubsubPayload>, subscription: string): Omit<PubsubPayload, 'publishTime'> {
  const { data, attributes, orderingKey, publishTime } = message.payload;
  return {
    data,
    orderingKey,
    attributes: {
      ...attributes,
      CloudPubSubDeadLetterSourceDeliveryCount: String(message.receiveCount),
      CloudPubSubDeadLetterSourceSubscription: subscription,
      CloudPubSubDeadLetterSourceTopicPublishTime: publishTime,
    },
  };
}

/** SQS FIFO queue names end in .fifo; such a queue delivers its message groups in order. */
function isFifoName(queueName: string): boolean {
  return queueName.endsWith('.fifo');
}
