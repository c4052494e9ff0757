/** A message as a queue delivers it, and what the worker made of it. */

export interface Delivery {
  /** The queue's id of this message (SQS messageId, Pub/Sub messageId): partial failures name it. */
  readonly messageId: string;
  readonly body: string;
  /** 1 on the first delivery (SQS ApproximateReceiveCount, Pub/Sub deliveryAttempt). */
  readonly deliveryAttempt: number;
}

/**
 * written / deleted: this message's version is now stored. stale: the store already holds this
 * version or a newer one (a redelivery or an older message). superseded: a newer version of the
 * document in the same batch was stored. poison: the message does not follow the format; failed:
 * something went wrong that a retry may fix. Poison and failed messages are not acknowledged, so the
 * queue delivers them again and dead-letters them after its attempts.
 */
export type OutcomeStatus = 'written' | 'deleted' | 'stale' | 'superseded' | 'poison' | 'failed';

export interface MessageOutcome {
  readonly messageId: string;
  readonly status: OutcomeStatus;
  readonly documentId?: string;
  readonly version?: number;
  /** Why a poison or failed message was not acknowledged. */
  readonly reason?: string;
}

/** Acknowledged messages are done; the others go back to the queue. */
export function isAcknowledged(outcome: Pick<MessageOutcome, 'status'>): boolean {
  return outcome.status !== 'poison' && outcome.status !== 'failed';
}
