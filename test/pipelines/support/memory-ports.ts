/**
 * In-memory ports for the worker's tests. The store writes unconditionally, like the real ones (no
 * compare-and-set), and yields between calls so concurrent workers interleave; the embedder is a
 * deterministic function of the text and fails on demand.
 */
import { createHash } from 'node:crypto';
import type { Embedder, StoredVersion, VectorRecord, VectorWriter, WriteOutcome } from '../../../pipelines/embedding-refresh/ports';

export interface StoredDocument {
  readonly version: number;
  readonly deleted: boolean;
  readonly vector?: readonly number[];
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
}

/** Gives way to other pending work `turns` times: enough for concurrent workers to interleave. */
export async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class MemoryVectorStore implements VectorWriter {
  readonly documents = new Map<string, StoredDocument>();
  /** Every record written, in order: to show nothing was written twice. */
  readonly writes: VectorRecord[] = [];
  /** Records whose document id is listed here fail to write. */
  readonly failWrites = new Set<string>();

  constructor(private readonly turns: () => number = () => 1) {}

  async readVersions(documentIds: readonly string[]): Promise<ReadonlyMap<string, StoredVersion>> {
    await yieldTurns(this.turns());
    const found = new Map<string, StoredVersion>();
    for (const id of documentIds) {
      const doc = this.documents.get(id);
      if (doc) found.set(id, { version: doc.version, deleted: doc.deleted });
    }
    return found;
  }

  async write(records: readonly VectorRecord[]): Promise<readonly WriteOutcome[]> {
    await yieldTurns(this.turns());
    return records.map((r) => {
      if (this.failWrites.has(r.documentId)) return { ok: false, reason: `injected write failure for ${r.documentId}` };
      this.writes.push(r);
      this.documents.set(
        r.documentId,
        r.kind === 'upsert' ? { version: r.version, deleted: false, vector: r.vector, metadata: r.metadata } : { version: r.version, deleted: true },
      );
      return { ok: true };
    });
  }
}

/** A store that writes without the stored versions: what the suite must catch. */
export class BlindVectorStore extends MemoryVectorStore {
  override async readVersions(): Promise<ReadonlyMap<string, StoredVersion>> {
    await yieldTurns(1);
    return new Map();
  }
}

export function vectorOf(text: string, dimensions = 4): number[] {
  const digest = createHash('sha256').update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => digest[i] / 255);
}

export class MemoryEmbedder implements Embedder {
  readonly requests: string[][] = [];
  /** A request containing a text this returns true for fails as a whole, like a model server's 4xx/5xx. */
  failWhen: (text: string) => boolean = () => false;

  constructor(
    readonly maxBatchSize = 8,
    private readonly dimensions = 4,
  ) {}

  async embed(texts: readonly string[]): Promise<readonly (readonly number[])[]> {
    this.requests.push([...texts]);
    await yieldTurns(1);
    const bad = texts.find((t) => this.failWhen(t));
    if (bad !== undefined) throw new Error(`model error on "${bad}"`);
    return texts.map((t) => vectorOf(t, this.dimensions));
  }
}
