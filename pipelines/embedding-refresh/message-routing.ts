/**
 * How a producer routes a refresh message (pipelines/EMBEDDING-REFRESH-FORMAT.md, "On the queue"):
 * each document is its own SQS FIFO message group and Pub/Sub ordering key, so the worker sees a
 * document's messages one at a time; the SQS deduplication id is the document and version, so a
 * resent message within SQS's five-minute window is dropped (and would be harmless anyway).
 */
import { createHash } from 'node:crypto';
import type { RefreshMessage } from './refresh-message';

export function sqsFifoRouting(message: RefreshMessage): { readonly MessageGroupId: string; readonly MessageDeduplicationId: string } {
  return {
    MessageGroupId: message.documentId,
    MessageDeduplicationId: createHash('sha256').update(`${message.documentId}\n${message.version}`).digest('hex'),
  };
}

export function pubsubOrderingKey(message: RefreshMessage): string {
  return message.documentId;
}
