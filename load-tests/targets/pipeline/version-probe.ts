/**
 * Finds the version of a document a k-NN query returns: the query selects the one document (a
 * filter on its id) and asks for its nearest neighbours, so the answer is what a search sees, not a
 * lookup by key. Tombstones (deleted documents) are never returned, as in production queries.
 */
import type { ClassifiedError } from '../error-classification';

export interface VersionProbe {
  /** The client library doing the calls, with its version. */
  readonly client: string;
  /** Where the queries go. */
  readonly url: string;
  /** Connects and runs one query, before any timing starts. */
  warmUp(): Promise<void>;
  /** The highest version of `documentId` a k-NN query finds; undefined when it finds none. */
  searchableVersion(documentId: string): Promise<number | undefined>;
  classify(error: unknown): ClassifiedError;
  close(): Promise<void>;
}

/** The query vector: any vector finds the only document the filter lets through; a unit vector suits every metric (cosine refuses zero). */
export function probeVector(dimensions: number): number[] {
  return Array.from({ length: dimensions }, (_, i) => (i === 0 ? 1 : 0));
}
