/**
 * The embedding-refresh worker, the same on every cloud: a batch of deliveries in, one outcome per
 * message out. Per document only the highest version in the batch is worked on; it is written only
 * when newer than what the store holds (deletes leave a tombstone, so a late older upsert cannot bring
 * a deleted document back). A bad message or a failed embedding fails only its own document.
 */
import { isAcknowledged, type Delivery, type MessageOutcome } from './delivery';
import { embedInChunks } from './embed-in-chunks';
import type { DocumentReader, Embedder, VectorRecord, VectorWriter } from './ports';
import { parseRefreshMessage, type RefreshMessage, type UpsertMessage } from './refresh-message';

export interface RefreshWorkerOptions {
  readonly embedder: Embedder;
  readonly writer: VectorWriter;
  /** Reads documents sent by `uri`. @default - messages with a uri fail with a reason saying so */
  readonly reader?: DocumentReader;
  /** Length of the store's vectors; a vector of another length fails its message. @default - not checked */
  readonly dimensions?: number;
}

/** Gives the winner's outcome to every message of its document: lower versions are superseded when it succeeds, fail with it otherwise. */
type Settle = (winner: Candidate, outcome: Pick<MessageOutcome, 'status' | 'reason'>) => void;

interface Candidate {
  readonly delivery: Delivery;
  readonly message: RefreshMessage;
}

export class RefreshWorker {
  constructor(private readonly options: RefreshWorkerOptions) {}

  async handleBatch(deliveries: readonly Delivery[]): Promise<MessageOutcome[]> {
    const outcomes = new Map<string, MessageOutcome>();
    const byDocument = new Map<string, Candidate[]>();
    for (const delivery of deliveries) {
      const parsed = parseRefreshMessage(delivery.body);
      if (!parsed.ok) {
        outcomes.set(delivery.messageId, { messageId: delivery.messageId, status: 'poison', reason: parsed.reason });
        continue;
      }
      const group = byDocument.get(parsed.message.documentId) ?? [];
      group.push({ delivery, message: parsed.message });
      byDocument.set(parsed.message.documentId, group);
    }
    const winners = [...byDocument.values()].map((group) => group.reduce((a, b) => (b.message.version > a.message.version ? b : a)));
    const settle: Settle = (winner, outcome) => {
      for (const { delivery, message } of byDocument.get(winner.message.documentId) ?? []) {
        const own = delivery === winner.delivery || !isAcknowledged(outcome) ? outcome : { status: 'superseded' as const };
        outcomes.set(delivery.messageId, { messageId: delivery.messageId, documentId: message.documentId, version: message.version, ...own });
      }
    };

    const fresh = await this.newerThanStored(winners, settle);
    const records = await this.recordsFor(fresh, settle);
    if (records.length > 0) {
      const written = await this.write(records.map((r) => r.record));
      records.forEach(({ winner, record }, i) => {
        const result = written[i];
        if (result.ok) settle(winner, { status: record.kind === 'upsert' ? 'written' : 'deleted' });
        else settle(winner, { status: 'failed', reason: `write failed: ${result.reason}` });
      });
    }
    return deliveries.map((d) => {
      const outcome = outcomes.get(d.messageId);
      // Every path above settles every message; a gap is a bug in this class, not in the message.
      if (!outcome) throw new Error(`internal error: message ${d.messageId} got no outcome`);
      return outcome;
    });
  }

  /** The winners the store does not hold yet; the rest are settled as stale, or failed when the read fails. */
  private async newerThanStored(winners: Candidate[], settle: Settle): Promise<Candidate[]> {
    if (winners.length === 0) return [];
    let stored;
    try {
      stored = await this.options.writer.readVersions(winners.map((w) => w.message.documentId));
    } catch (e) {
      for (const w of winners) settle(w, { status: 'failed', reason: `reading stored versions failed: ${(e as Error).message}` });
      return [];
    }
    return winners.filter((w) => {
      const current = stored.get(w.message.documentId);
      if (current === undefined || w.message.version > current.version) return true;
      settle(w, { status: 'stale' });
      return false;
    });
  }

  /** A record per fresh winner: tombstones as they are, upserts with their embedding; failures settled. */
  private async recordsFor(fresh: Candidate[], settle: Settle) {
    const records: { winner: Candidate; record: VectorRecord }[] = [];
    const upserts: { winner: Candidate; message: UpsertMessage; text: string }[] = [];
    for (const winner of fresh) {
      const m = winner.message;
      if (m.op === 'delete') {
        records.push({ winner, record: { kind: 'tombstone', documentId: m.documentId, version: m.version } });
        continue;
      }
      const text = await this.textOf(m);
      if (text.ok) upserts.push({ winner, message: m, text: text.text });
      else settle(winner, { status: 'failed', reason: text.reason });
    }
    const vectors = await embedInChunks(this.options.embedder, upserts.map((u) => u.text), this.options.dimensions);
    upserts.forEach(({ winner, message }, i) => {
      const embedded = vectors[i];
      if (!embedded.ok) settle(winner, { status: 'failed', reason: embedded.reason });
      else records.push({ winner, record: { kind: 'upsert', documentId: message.documentId, version: message.version, vector: embedded.vector, metadata: message.metadata } });
    });
    return records;
  }

  private async textOf(m: UpsertMessage): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
    if (m.text !== undefined) return { ok: true, text: m.text };
    const uri = m.uri as string;
    if (!this.options.reader) return { ok: false, reason: `uri ${uri}: this worker has no document reader; send the text inline` };
    try {
      return { ok: true, text: await this.options.reader.read(uri) };
    } catch (e) {
      return { ok: false, reason: `reading ${uri} failed: ${(e as Error).message}` };
    }
  }

  private async write(records: VectorRecord[]) {
    try {
      const outcomes = await this.options.writer.write(records);
      if (outcomes.length !== records.length) throw new Error(`the writer answered ${outcomes.length} outcomes for ${records.length} records`);
      return outcomes;
    } catch (e) {
      return records.map(() => ({ ok: false as const, reason: (e as Error).message }));
    }
  }
}
