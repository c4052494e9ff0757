/**
 * The local SQS queue through `@aws-sdk/client-sqs`, as the Lambda event source mapping polls it:
 * ReceiveMessage with long polling, DeleteMessageBatch for the acknowledged messages (partial batch
 * failure: the others stay), and ChangeMessageVisibilityBatch so a failed message returns after
 * `retryAfterSeconds` instead of the whole visibility timeout. Redrive to the dead-letter queue is the
 * queue's, after maxReceiveCount receives.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { QueueConsumer, ReceivedMessage } from './queue-consumer';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
/** SQS batch calls take at most 10 entries. */
const MAX_BATCH_ENTRIES = 10;

export interface SqsQueueLocation {
  readonly endpoint: string;
  readonly region: string;
  readonly url: string;
  readonly deadLetterUrl: string;
}

export class SqsConsumer implements QueueConsumer {
  readonly description: string;
  private readonly client: SQSClient;

  constructor(
    private readonly queue: SqsQueueLocation,
    private readonly retryAfterSeconds: number,
    private readonly waitSeconds = 1,
  ) {
    this.client = new SQSClient({ region: queue.region, endpoint: queue.endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
    this.description = `${queue.url} (@aws-sdk/client-sqs)`;
  }

  async receive(max: number): Promise<ReceivedMessage[]> {
    const response = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queue.url,
        MaxNumberOfMessages: Math.min(max, MAX_BATCH_ENTRIES),
        WaitTimeSeconds: this.waitSeconds,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
    );
    return (response.Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? '',
      body: m.Body ?? '',
      deliveryAttempt: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
      enqueuedAt: Number(m.Attributes?.SentTimestamp ?? Date.now()),
      handle: m.ReceiptHandle ?? '',
    }));
  }

  async settle(acknowledged: readonly ReceivedMessage[], retry: readonly ReceivedMessage[]): Promise<void> {
    for (let i = 0; i < acknowledged.length; i += MAX_BATCH_ENTRIES) {
      const entries = acknowledged.slice(i, i + MAX_BATCH_ENTRIES).map((m, j) => ({ Id: String(j), ReceiptHandle: m.handle }));
      const result = await this.client.send(new DeleteMessageBatchCommand({ QueueUrl: this.queue.url, Entries: entries }));
      // An entry that failed to delete is delivered again and found stale: said, not fatal.
      for (const f of result.Failed ?? []) process.stderr.write(`pipeline: DeleteMessageBatch entry ${f.Id} failed: ${f.Code} ${f.Message ?? ''}\n`);
    }
    for (let i = 0; i < retry.length; i += MAX_BATCH_ENTRIES) {
      const entries = retry.slice(i, i + MAX_BATCH_ENTRIES).map((m, j) => ({ Id: String(j), ReceiptHandle: m.handle, VisibilityTimeout: this.retryAfterSeconds }));
      await this.client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: this.queue.url, Entries: entries }));
    }
  }

  async deadLetterCount(): Promise<number> {
    const response = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.queue.deadLetterUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(response.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(response.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
