/**
 * The topology's queues on the emulator's port, in both clouds' protocols: SQS (AWS JSON 1.0, for
 * `@aws-sdk/client-sqs` with `endpoint` set to the emulator) and Pub/Sub (REST v1, for
 * `@google-cloud/pubsub` with `fallback: true`). Listed in `GET /emulator` under `queues`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedTopology } from '../../constructs';
import type { Clock } from '../clock/clock';
import { realClock } from '../clock/real-clock';
import type { EmulatorRequest, EmulatorService } from '../emulator/emulator-service';
import { writeStatus } from '../emulator/vertex-protocol';
import { handlePubsub, PUBSUB_LIMITS, PUBSUB_PATH } from './pubsub-protocol';
import { PushDelivery } from './pubsub-push';
import { QueueSet } from './queue-set';
import { handleSqs, SQS_TARGET_PREFIX, sqsQueueUrl, writeSqsInternalError } from './sqs-protocol';

export interface LocalQueuesOptions {
  /** Where messages, deliveries in flight and push endpoints are kept across restarts. @default - in memory only */
  readonly dataDir?: string;
  /** @default the wall clock */
  readonly clock?: Clock;
}

/** One entry of `GET /emulator` `queues`. */
export interface LocalQueueListing {
  readonly name: string;
  readonly sqs: { readonly url: string; readonly deadLetterUrl: string; readonly maxReceiveCount: number };
  readonly pubsub: { readonly topic: string; readonly subscription: string; readonly deadLetterTopic: string; readonly deadLetterSubscription: string };
}

export class LocalQueues implements EmulatorService {
  readonly name = 'queues';
  /** A Pub/Sub publish request may carry 10 MB; SQS checks its own 1 MiB limits on the parsed request. */
  readonly maxBodyBytes = PUBSUB_LIMITS.maxRequestBytes;
  readonly queues: QueueSet;
  /** Push delivery of subscriptions that have a push endpoint; emits 'outcome' per push. */
  readonly push: PushDelivery;

  constructor(
    private readonly resolved: ResolvedTopology,
    options: LocalQueuesOptions,
  ) {
    this.queues = new QueueSet(resolved.queues, { dataDir: options.dataDir, clock: options.clock ?? realClock });
    this.push = new PushDelivery(this.queues);
  }

  matches(method: string, path: string, headers: IncomingMessage['headers']): boolean {
    return isSqs(method, headers) || PUBSUB_PATH.test(path);
  }

  async handle(request: EmulatorRequest, res: ServerResponse): Promise<void> {
    if (isSqs(request.method, request.headers)) {
      try {
        return await handleSqs({ queues: this.queues, region: this.resolved.regions.aws }, request, res);
      } catch (e) {
        // A bug answers in the caller's protocol (`internalError` below answers in Pub/Sub's).
        process.stderr.write(`emulator: internal error in queues (SQS): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        if (!res.headersSent) return writeSqsInternalError(res);
        return void res.destroy();
      }
    }
    await handlePubsub({ queues: this.queues, onPushConfig: (s) => this.push.sync(s) }, request, res);
  }

  /** A bug in the Pub/Sub routes (SQS answers its own above). */
  internalError(res: ServerResponse): void {
    writeStatus(res, 'INTERNAL', 'Internal error encountered.');
  }

  listing(baseUrl: string): LocalQueueListing[] {
    return this.resolved.queues.map((q) => ({
      name: q.name,
      sqs: { url: sqsQueueUrl(baseUrl, q.aws.queueName), deadLetterUrl: sqsQueueUrl(baseUrl, q.aws.deadLetterQueueName), maxReceiveCount: q.maxDeliveryAttempts },
      pubsub: { topic: q.gcp.topicName, subscription: q.gcp.subscriptionName, deadLetterTopic: q.gcp.deadLetterTopicName, deadLetterSubscription: q.gcp.deadLetterSubscriptionName },
    }));
  }

  banner(baseUrl: string): readonly string[] {
    const lines = [
      '',
      `Queues: SQS (AWS JSON protocol: @aws-sdk/client-sqs with endpoint ${baseUrl}) and Pub/Sub (REST v1 at ${baseUrl}/v1/projects/{any}/...: @google-cloud/pubsub with fallback: true, not PUBSUB_EMULATOR_HOST)`,
    ];
    for (const q of this.listing(baseUrl)) {
      const resolved = this.resolved.queues.find((r) => r.name === q.name);
      lines.push(
        `${q.name}: visibility / ack deadline ${resolved?.ackTimeoutSeconds} s, dead letters after ${q.sqs.maxReceiveCount} deliveries`,
        `  SQS      ${q.sqs.url} (dead letters ${q.sqs.deadLetterUrl})`,
        `  Pub/Sub  topic ${q.pubsub.topic}, subscription ${q.pubsub.subscription} (dead letters topic ${q.pubsub.deadLetterTopic}, subscription ${q.pubsub.deadLetterSubscription})`,
      );
    }
    return lines;
  }

  async close(): Promise<void> {
    this.push.close();
    this.queues.close();
  }
}

function isSqs(method: string, headers: IncomingMessage['headers']): boolean {
  const target = headers['x-amz-target'];
  return method === 'POST' && typeof target === 'string' && target.startsWith(SQS_TARGET_PREFIX);
}
