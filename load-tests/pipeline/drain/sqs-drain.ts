/**
 * The drain on AWS: from the standard queue a stack had before the pipeline to its FIFO successor,
 * through `@aws-sdk/client-sqs`. Received messages stay invisible for the drain (VisibilityTimeout),
 * so one that is kept is not received twice in a run; the others are deleted only after
 * SendMessageBatch accepted them, each in its document's message group.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sqsFifoRouting } from '../../../pipelines/embedding-refresh/message-routing';
import type { RefreshMessage } from '../../../pipelines/embedding-refresh/refresh-message';
import { DrainInputError, type DrainedMessage, type DrainSource, type DrainTarget } from './queue-drain';

/** SQS batch calls take at most 10 entries. */
const MAX_BATCH = 10;
/** Long enough for a drain run; a kept message reappears afterwards. */
const HIDE_SECONDS = 900;

export class SqsDrainSource implements DrainSource {
  readonly description: string;

  constructor(
    private readonly client: SQSClient,
    private readonly url: string,
    private readonly waitSeconds = 2,
  ) {
    this.description = `SQS ${url}`;
  }

  async receive(): Promise<DrainedMessage[]> {
    const response = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.url,
        MaxNumberOfMessages: MAX_BATCH,
        WaitTimeSeconds: this.waitSeconds,
        VisibilityTimeout: HIDE_SECONDS,
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    return (response.Messages ?? []).map((m) => ({
      id: m.MessageId ?? '',
      body: m.Body ?? '',
      publishedAt: Number(m.Attributes?.SentTimestamp ?? 0),
      handle: m.ReceiptHandle ?? '',
    }));
  }

  async remove(messages: readonly DrainedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const result = await this.client.send(
      new DeleteMessageBatchCommand({ QueueUrl: this.url, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.handle })) }),
    );
    // A message not deleted comes back after the run and is sent again: its deduplication id (or the worker's version check) drops the copy.
    for (const f of result.Failed ?? []) process.stderr.write(`drain: DeleteMessageBatch entry ${f.Id} failed: ${f.Code} ${f.Message ?? ''}\n`);
  }

  async keep(): Promise<void> {
    // Already hidden for HIDE_SECONDS by the receive.
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

export class SqsFifoDrainTarget implements DrainTarget {
  readonly description: string;

  constructor(
    private readonly client: SQSClient,
    private readonly url: string,
  ) {
    if (!url.endsWith('.fifo')) throw new DrainInputError(`--to: the pipeline's queue is FIFO and its URL ends in .fifo, got ${url}`);
    this.description = `SQS FIFO ${url}`;
  }

  async send(messages: readonly { readonly message: RefreshMessage; readonly body: string }[]): Promise<boolean[]> {
    const result = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: this.url,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.body, ...sqsFifoRouting(m.message) })),
      }),
    );
    for (const f of result.Failed ?? []) process.stderr.write(`drain: SendMessageBatch entry ${f.Id} refused: ${f.Code} ${f.Message ?? ''}\n`);
    const ok = new Set((result.Successful ?? []).map((s) => s.Id));
    return messages.map((_, i) => ok.has(String(i)));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
