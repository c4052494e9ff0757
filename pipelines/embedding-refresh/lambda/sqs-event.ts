/**
 * The SQS event Lambda's event source mapping delivers, and the partial batch response it reads back
 * when the mapping has ReportBatchItemFailures (Lambda developer guide, "Using Lambda with Amazon SQS":
 * example event, and "Handling errors": batchItemFailures). Only the fields the worker reads are typed.
 */
import type { Delivery } from '../delivery';

export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: { readonly ApproximateReceiveCount: string; readonly MessageGroupId?: string; readonly SentTimestamp?: string };
  readonly messageAttributes: Readonly<Record<string, unknown>>;
  readonly eventSource: string;
  readonly eventSourceARN: string;
}

export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}

/** Messages to return to the queue; an empty list acknowledges the whole batch. */
export interface SqsBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

export function deliveryOf(record: SqsRecord): Delivery {
  const received = Number(record.attributes.ApproximateReceiveCount);
  return { messageId: record.messageId, body: record.body, deliveryAttempt: Number.isInteger(received) && received > 0 ? received : 1 };
}
