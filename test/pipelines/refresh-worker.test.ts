import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../pipelines/embedding-refresh/delivery';
import { RefreshWorker } from '../../pipelines/embedding-refresh/refresh-worker';
import { MemoryEmbedder, MemoryVectorStore, vectorOf } from './support/memory-ports';

const upsert = (documentId: string, version: number, text = `${documentId} v${version}`) => JSON.stringify({ formatVersion: 1, documentId, version, op: 'upsert', text, metadata: { section: 'news' } });
const remove = (documentId: string, version: number) => JSON.stringify({ formatVersion: 1, documentId, version, op: 'delete' });
let seq = 0;
const deliver = (body: string, deliveryAttempt = 1): Delivery => ({ messageId: `id-${++seq}`, body, deliveryAttempt });

function setup(dimensions = 4) {
  const store = new MemoryVectorStore();
  const embedder = new MemoryEmbedder(3, dimensions);
  return { store, embedder, worker: new RefreshWorker({ embedder, writer: store, dimensions: 4 }) };
}

describe('RefreshWorker', () => {
  it('embeds upserts in requests of the embedder\'s batch size and writes them with their version and metadata', async () => {
    const { store, embedder, worker } = setup();
    const batch = ['a', 'b', 'c', 'd'].map((id) => deliver(upsert(id, 1)));
    const outcomes = await worker.handleBatch(batch);
    expect(outcomes.map((o) => o.status)).toEqual(['written', 'written', 'written', 'written']);
    expect(embedder.requests.map((r) => r.length)).toEqual([3, 1]);
    expect(store.documents.get('c')).toEqual({ version: 1, deleted: false, vector: vectorOf('c v1'), metadata: { section: 'news' } });
  });

  it('acknowledges a redelivered or older version as stale and leaves the newer data in place', async () => {
    const { store, worker } = setup();
    await worker.handleBatch([deliver(upsert('a', 5))]);
    const outcomes = await worker.handleBatch([deliver(upsert('a', 5, 'changed text, same version'), 2), deliver(upsert('b', 1))]);
    const older = await worker.handleBatch([deliver(upsert('a', 3))]);
    expect(outcomes.map((o) => o.status)).toEqual(['stale', 'written']);
    expect(older[0]).toMatchObject({ status: 'stale', documentId: 'a', version: 3 });
    expect(store.documents.get('a')?.vector).toEqual(vectorOf('a v5'));
    expect(store.writes.filter((w) => w.documentId === 'a')).toHaveLength(1);
  });

  it('works on only the highest version of a document in a batch and acknowledges the others as superseded', async () => {
    const { store, embedder, worker } = setup();
    const outcomes = await worker.handleBatch([deliver(upsert('a', 2)), deliver(upsert('a', 7)), deliver(upsert('a', 4))]);
    expect(outcomes.map((o) => o.status)).toEqual(['superseded', 'written', 'superseded']);
    expect(embedder.requests).toEqual([['a v7']]);
    expect(store.documents.get('a')?.version).toBe(7);
  });

  it('deletes with a tombstone that a late older upsert cannot bring back', async () => {
    const { store, worker } = setup();
    await worker.handleBatch([deliver(upsert('a', 1))]);
    expect((await worker.handleBatch([deliver(remove('a', 2))]))[0].status).toBe('deleted');
    expect((await worker.handleBatch([deliver(upsert('a', 1))]))[0].status).toBe('stale');
    expect(store.documents.get('a')).toEqual({ version: 2, deleted: true });
    expect((await worker.handleBatch([deliver(upsert('a', 3))]))[0].status).toBe('written');
  });

  it('reports poison messages with the reason and still handles the rest of the batch', async () => {
    const { store, worker } = setup();
    const outcomes = await worker.handleBatch([
      deliver('not json'),
      deliver(JSON.stringify({ formatVersion: 2, documentId: 'a', version: 1, op: 'upsert', text: 'x' })),
      deliver(JSON.stringify({ formatVersion: 1, documentId: 'has space', version: 0, op: 'upsert', text: 'x', uri: 's3://b/k' })),
      deliver(upsert('ok', 1)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['poison', 'poison', 'poison', 'written']);
    expect(outcomes[0].reason).toMatch(/^body is not JSON: /);
    expect(outcomes[1].reason).toBe('formatVersion: this worker reads format 1, got 2');
    expect(outcomes[2].reason).toBe(
      'documentId: printable ASCII without spaces, 1 to 128 characters, got "has space"; version: Too small: expected number to be >=1, got 0; text: give exactly one of text and uri, got "x"',
    );
    expect(store.documents.has('ok')).toBe(true);
  });

  it('fails only the documents the embedder rejects when part of a batch fails', async () => {
    const { store, embedder, worker } = setup();
    embedder.failWhen = (text) => text.startsWith('bad');
    const outcomes = await worker.handleBatch([deliver(upsert('a', 1)), deliver(upsert('bad', 1)), deliver(upsert('bad', 2)), deliver(upsert('c', 1))]);
    expect(outcomes.map((o) => o.status)).toEqual(['written', 'failed', 'failed', 'written']);
    expect(outcomes[2].reason).toBe('embedder failed: model error on "bad v2"');
    expect([...store.documents.keys()].sort()).toEqual(['a', 'c']);
  });

  it('fails a document whose vector has the wrong length, or whose write fails, and nothing else', async () => {
    const { store, worker } = setup(5);
    expect((await worker.handleBatch([deliver(upsert('a', 1))]))[0]).toMatchObject({ status: 'failed', reason: 'embedder returned 5 dimensions, the store takes 4' });
    const good = setup();
    good.store.failWrites.add('b');
    const outcomes = await good.worker.handleBatch([deliver(upsert('a', 1)), deliver(upsert('b', 1))]);
    expect(outcomes.map((o) => o.status)).toEqual(['written', 'failed']);
    expect(outcomes[1].reason).toBe('write failed: injected write failure for b');
    expect(store.documents.size).toBe(0);
  });

  it('reads documents sent by uri through the reader, and fails them with a reason when there is none', async () => {
    const store = new MemoryVectorStore();
    const body = JSON.stringify({ formatVersion: 1, documentId: 'u', version: 1, op: 'upsert', uri: 's3://bucket/u.txt' });
    const withReader = new RefreshWorker({ embedder: new MemoryEmbedder(), writer: store, reader: { read: async (uri) => `text at ${uri}` } });
    expect((await withReader.handleBatch([deliver(body)]))[0].status).toBe('written');
    expect(store.documents.get('u')?.vector).toEqual(vectorOf('text at s3://bucket/u.txt'));
    const without = new RefreshWorker({ embedder: new MemoryEmbedder(), writer: new MemoryVectorStore() });
    expect((await without.handleBatch([deliver(body)]))[0]).toMatchObject({ status: 'failed', reason: 'uri s3://bucket/u.txt: this worker has no document reader; send the text inline' });
  });
});
