/**
 * Loads a corpus's documents into a vector store through the engine's own client. One
 * implementation per engine (pgvector-corpus-loader.ts; OpenSearch and Vertex AI Vector Search
 * beside it), each built from what the local endpoints list for it in `GET /emulator`
 * under `vectorStore`, so a loader needs nothing but that listing.
 */
import type { CorpusDocument } from './news-corpus';

export interface CorpusLoader {
  /** The engine, as keyed in the listing: 'pgvector'. */
  readonly engine: string;
  /** Where it loads, for messages: a connection string or URL without credentials. */
  readonly target: string;
  /** Inserts the documents, or replaces those already stored under the same id; `onProgress` gets the count so far. */
  load(documents: readonly CorpusDocument[], onProgress?: (loaded: number) => void): Promise<void>;
  /** Closes the client's connections. */
  close(): Promise<void>;
}

/** The store refused the documents (a dimension mismatch, an unreachable store): its own message and code. */
export class CorpusLoadError extends Error {
  override readonly name = 'CorpusLoadError';
}
