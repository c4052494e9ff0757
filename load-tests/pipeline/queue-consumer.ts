/**
 * A local queue as the pipeline run consumes it: receive a batch, then settle it (delete the
 * acknowledged messages, hand the others back for a retry). One implementation per cloud's client.
 */
import type { Delivery } from '../../pipelines/embedding-refresh/delivery';

export interface ReceivedMessage extends Delivery {
  /** When the queue took the message (SQS SentTimestamp, Pub/Sub publishTime), epoch ms. */
  readonly enqueuedAt: number;
  /** What settles it: the SQS receipt handle, the Pub/Sub ack id. */
  readonly handle: string;
}

export interface QueueConsumer {
  /** `queue-name (client)`, for the report. */
  readonly description: string;
  receive(max: number): Promise<ReceivedMessage[]>;
  /** Deletes `acknowledged`; makes `retry` deliverable again (its attempts count towards the dead-letter queue). */
  settle(acknowledged: readonly ReceivedMessage[], retry: readonly ReceivedMessage[]): Promise<void>;
  /** Messages in the dead-letter queue now. */
  deadLetterCount(): Promise<number>;
  close(): Promise<void>;
}
