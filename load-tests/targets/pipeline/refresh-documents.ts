/**
 * What a `--target pipeline` run publishes: new versions of documents drawn from a bounded, seeded
 * set (ids `loadtest-doc-N`, so they are easy to find and delete afterwards), each an upsert in the
 * message format version 1 (pipelines/EMBEDDING-REFRESH-FORMAT.md).
 */
import type { UpsertMessage } from '../../../pipelines/embedding-refresh/refresh-message';
import { Random } from '../../replica/random';

export const DOCUMENT_ID_PREFIX = 'loadtest-doc-';
/** Picks in one pass of the sequence; the generator cycles through it. */
export const DOCUMENT_SEQUENCE_LENGTH = 1000;

/** `length` document ids drawn uniformly from `count` documents, the same for the same seed. */
export function documentSequence(count: number, seed: number, length = DOCUMENT_SEQUENCE_LENGTH): string[] {
  const random = new Random(seed);
  return Array.from({ length }, () => `${DOCUMENT_ID_PREFIX}${Math.floor(random.uniform() * count)}`);
}

/**
 * Versions are wall-clock microseconds, strictly increasing within a client: later sends carry
 * higher versions on every worker thread and in every later run, as a producer stamping its edits
 * would, and stay below 2^53 (the format's limit) until the year 2255.
 */
export class VersionClock {
  private last = 0;

  next(): number {
    const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    this.last = Math.max(this.last + 1, now);
    return this.last;
  }
}

/** One version is one state: the text follows from the document and the version alone. */
export function upsertMessage(documentId: string, version: number): UpsertMessage {
  return {
    formatVersion: 1,
    op: 'upsert',
    documentId,
    version,
    text: `Load-test document ${documentId}, version ${version}: the harbour reopens after the storm, ferries resume at noon.`,
    metadata: { source: 'loadtest' },
  };
}
