/**
 * The Lambda host: an SQS batch in, the worker's outcomes out as `batchItemFailures`, so SQS deletes
 * the acknowledged messages and redelivers the rest (dead-lettering them after maxReceiveCount).
 *
 * On a FIFO queue AWS advises stopping at the first failure so a group's later messages wait for it.
 * This worker does not need that: a group is one document, its later messages carry higher versions,
 * and an earlier one that comes back is discarded by the version check as stale.
 */
import { isAcknowledged, type MessageOutcome } from '../delivery';
import { RefreshWorker, type RefreshWorkerOptions } from '../refresh-worker';
import { deliveryOf, type SqsBatchResponse, type SqsEvent } from './sqs-event';

export type Log = (line: string) => void;

/** `ports` runs once, on the first batch (a cold start), and its clients are reused by later batches. */
export function sqsBatchHandler(ports: () => RefreshWorkerOptions | Promise<RefreshWorkerOptions>, log: Log = (line) => console.log(line)) {
  let worker: Promise<RefreshWorker> | undefined;
  return async (event: SqsEvent): Promise<SqsBatchResponse> => {
    worker ??= Promise.resolve(ports()).then((options) => new RefreshWorker(options));
    const outcomes = await (await worker).handleBatch(event.Records.map(deliveryOf));
    log(JSON.stringify(summaryOf(outcomes)));
    return { batchItemFailures: outcomes.filter((o) => !isAcknowledged(o)).map((o) => ({ itemIdentifier: o.messageId })) };
  };
}

/** One structured log line per batch: counts by outcome, and every unacknowledged message with its reason. */
function summaryOf(outcomes: readonly MessageOutcome[]) {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  return {
    message: 'embedding-refresh batch',
    messages: outcomes.length,
    ...counts,
    failures: outcomes.filter((o) => !isAcknowledged(o)).map(({ messageId, status, documentId, version, reason }) => ({ messageId, status, documentId, version, reason })),
  };
}
