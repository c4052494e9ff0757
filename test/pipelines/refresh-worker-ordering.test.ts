/**
 * The ordering proof: documents enqueued in any order, duplicated, with first deliveries failing,
 * consumed by concurrent workers through a FIFO queue grouped by document id. Whatever happens, each
 * document ends at its highest version. The same property fails with a writer that skips the version
 * check, and with a standard (unordered) queue: both halves of the design are needed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RefreshWorker } from '../../pipelines/embedding-refresh/refresh-worker';
import { drain } from './support/drain';
import { FifoQueue } from './support/fifo-queue';
import { BlindVectorStore, MemoryEmbedder, MemoryVectorStore, vectorOf, type StoredDocument } from './support/memory-ports';

interface Change {
  readonly documentId: string;
  readonly version: number;
  readonly op: 'upsert' | 'delete';
}

/** Each (document, version) is one state; duplicates repeat it exactly, as a producer's retry would. */
const changeArb = fc.record({ documentId: fc.constantFrom('a', 'b', 'c'), version: fc.integer({ min: 1, max: 6 }), op: fc.constantFrom('upsert', 'delete') });
const scenarioArb = fc.record({
  changes: fc.array(changeArb, { minLength: 1, maxLength: 25 }).map(consistentOps),
  workers: fc.integer({ min: 1, max: 4 }),
  batchSize: fc.integer({ min: 1, max: 5 }),
  /** Which deliveries fail their first embedding (a transient model error). */
  failFirst: fc.func(fc.boolean()),
  /** How long the store takes per call, in turns of the event loop: how workers interleave. */
  storeTurns: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }),
});

function consistentOps(changes: Change[]): Change[] {
  const opOf = new Map<string, Change['op']>();
  return changes.map((c) => {
    const key = `${c.documentId}@${c.version}`;
    if (!opOf.has(key)) opOf.set(key, c.op);
    return { ...c, op: opOf.get(key) as Change['op'] };
  });
}

const textOf = (c: Change) => `${c.documentId} v${c.version}`;
const bodyOf = (c: Change) =>
  JSON.stringify(c.op === 'upsert' ? { formatVersion: 1, documentId: c.documentId, version: c.version, op: 'upsert', text: textOf(c) } : { formatVersion: 1, documentId: c.documentId, version: c.version, op: 'delete' });

function expectedState(changes: readonly Change[]): Map<string, StoredDocument> {
  const highest = new Map<string, Change>();
  for (const c of changes) if ((highest.get(c.documentId)?.version ?? 0) < c.version) highest.set(c.documentId, c);
  return new Map(
    [...highest].map(([id, c]) => [id, c.op === 'upsert' ? { version: c.version, deleted: false, vector: vectorOf(textOf(c)), metadata: {} } : { version: c.version, deleted: true }]),
  );
}

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
type StoreKind = 'checked' | 'blind';

function runScenario(storeKind: StoreKind, ordered: boolean) {
  return async (s: Scenario) => {
    let turn = 0;
    const turns = () => s.storeTurns[turn++ % s.storeTurns.length];
    const store = storeKind === 'checked' ? new MemoryVectorStore(turns) : new BlindVectorStore(turns);
    const embedder = new MemoryEmbedder(3);
    const failedOnce = new Set<string>();
    embedder.failWhen = (text) => {
      if (failedOnce.has(text) || !s.failFirst(text)) return false;
      failedOnce.add(text);
      return true;
    };
    const queue = new FifoQueue(5, ordered);
    for (const c of s.changes) queue.send(c.documentId, bodyOf(c));
    await drain(queue, new RefreshWorker({ embedder, writer: store }), { workers: s.workers, batchSize: s.batchSize });
    return { store, queue };
  };
}

describe('RefreshWorker ordering', () => {
  it('ends every document at its highest version, whatever the order, duplicates, failures and concurrency', async () => {
    const run = runScenario('checked', true);
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { store, queue } = await run(s);
        expect(queue.deadLetters).toEqual([]);
        expect(store.documents).toEqual(expectedState(s.changes));
        // Nothing written twice: each (document, version) at most once.
        const written = store.writes.map((w) => `${w.documentId}@${w.version}`);
        expect(new Set(written).size).toBe(written.length);
      }),
      { numRuns: 200 },
    );
  });

  it('catches a writer that skips the version check', async () => {
    const run = runScenario('blind', true);
    const result = await fc.check(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { store } = await run(s);
        expect(store.documents).toEqual(expectedState(s.changes));
      }),
      { numRuns: 200, seed: 1 },
    );
    expect(result.failed).toBe(true);
  });

  it('catches an unordered queue: the version check alone races between concurrent workers', async () => {
    const run = runScenario('checked', false);
    const result = await fc.check(
      fc.asyncProperty(scenarioArb, async (s) => {
        const { store } = await run(s);
        expect(store.documents).toEqual(expectedState(s.changes));
      }),
      { numRuns: 300, seed: 1 },
    );
    expect(result.failed).toBe(true);
  });
});
