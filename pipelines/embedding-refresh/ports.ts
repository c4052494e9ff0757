/**
 * What the worker needs from the outside, as small interfaces: each cloud's host passes real clients
 * (SageMaker or Vertex for the embedder; OpenSearch, Vertex Vector Search or pgvector for the store),
 * tests pass in-memory ones.
 */

/** Turns texts into vectors, one per text in the same order. A call fails as a whole. */
export interface Embedder {
  /** Most texts one request may carry. */
  readonly maxBatchSize: number;
  embed(texts: readonly string[]): Promise<readonly (readonly number[])[]>;
}

/** Reads a document's text from where its message points (`uri`). */
export interface DocumentReader {
  read(uri: string): Promise<string>;
}

/** What the store holds for a document: its version, and whether that version deleted it. */
export interface StoredVersion {
  readonly version: number;
  /** A tombstone: the document was deleted at `version`; an older upsert must not bring it back. */
  readonly deleted: boolean;
}

/** One document's new state: a vector with metadata, or a tombstone. */
export type VectorRecord =
  | { readonly kind: 'upsert'; readonly documentId: string; readonly version: number; readonly vector: readonly number[]; readonly metadata: Readonly<Record<string, string | number | boolean>> }
  | { readonly kind: 'tombstone'; readonly documentId: string; readonly version: number };

export type WriteOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The vector store as the worker uses it. None of the stores can write conditionally (OpenSearch
 * Serverless vector collections generate their own ids; Vertex upsertDatapoints has no condition), so
 * the worker reads the stored versions first and writes only newer ones; the queue's per-document
 * ordering (FIFO message group, Pub/Sub ordering key) makes sure no other write of the same document
 * runs in between.
 */
export interface VectorWriter {
  /** Stored versions of the documents that have one; absent documents are left out. */
  readVersions(documentIds: readonly string[]): Promise<ReadonlyMap<string, StoredVersion>>;
  /** Writes each record unconditionally, replacing the document's previous state; one outcome per record, in order. */
  write(records: readonly VectorRecord[]): Promise<readonly WriteOutcome[]>;
}
