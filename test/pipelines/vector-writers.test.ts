/**
 * The three vector writers against the local stores through the official clients: the OpenSearch
 * Serverless collection (`@opensearch-project/opensearch`, signed for aoss), Vertex AI Vector Search
 * (`@google-cloud/aiplatform`, REST fallback) and pgvector (`pg` on PGlite). Each store makes writes
 * searchable after a delay, as the cloud does. Out-of-order versions through a FIFO queue with
 * concurrent workers, redelivery, a delete followed by a late older upsert: each document ends at its
 * highest version, once, and a tombstone never shows in a k-NN query. The same worker with a writer
 * that skips the version check resurrects a deleted document on the stores that cannot write
 * conditionally: the suite sees it.
 */
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { v1 } from '@google-cloud/aiplatform';
import { OAuth2Client } from 'google-auth-library';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGVECTOR_DISTANCE_OPERATOR, preset, resolveTopology } from '../../constructs';
import type { StoredVersion, VectorRecord, VectorWriter, WriteOutcome } from '../../pipelines/embedding-refresh/ports';
import { RefreshWorker } from '../../pipelines/embedding-refresh/refresh-worker';
import { OpenSearchVectorWriter } from '../../pipelines/embedding-refresh/writers/opensearch-vector-writer';
import { PgvectorVectorWriter } from '../../pipelines/embedding-refresh/writers/pgvector-vector-writer';
import { TOMBSTONE_DENY_RESTRICT, VertexVectorWriter } from '../../pipelines/embedding-refresh/writers/vertex-vector-writer';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { ExactIndex } from '../../load-tests/vector-store';
import { startLocalPgvector } from '../../load-tests/vector-store/local-pgvector';
import { openSearchCollectionService } from '../../load-tests/vector-store/opensearch';
import { vectorSearchNames, vertexVectorSearchService } from '../../load-tests/vector-store/vertex';
import { FifoQueue } from './support/fifo-queue';
import { MemoryEmbedder, vectorOf } from './support/memory-ports';

const DIMENSIONS = 4;
/** Writes become searchable this long after they are answered, as in the cloud (about a second there). */
const VISIBILITY_DELAY_MS = 40;
const VISIBILITY = { timeoutMs: 10_000, pollMs: 10 };
const spec = preset('dev');
const resolved = resolveTopology({ ...spec, vectorStore: { ...spec.vectorStore!, dimensions: DIMENSIONS, metric: 'cosine' } });
const store = resolved.vectorStore!;
const exact = (s: { dimensions: number; metric: 'cosine' | 'dot-product' | 'euclidean' }) => new ExactIndex(s.dimensions, s.metric);
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** One store as the tests see it: the writer, every stored copy of a document, and a k-NN query that excludes tombstones. */
interface Engine {
  readonly writer: VectorWriter;
  /** Every copy of the document the store holds (a correct writer keeps one). */
  copies(documentId: string): Promise<StoredVersion[]>;
  /** Document ids nearest to `vector`, tombstones excluded as production queries exclude them. */
  nearest(vector: readonly number[], k: number): Promise<string[]>;
  close(): Promise<void>;
}

async function openSearchEngine(): Promise<Engine> {
  const service = openSearchCollectionService(resolved, { indexFactory: exact, visibilityDelayMs: VISIBILITY_DELAY_MS });
  const emulator = await startEmulator(resolved, { services: [service] });
  const client = new Client({ ...AwsSigv4Signer({ region: 'us-east-1', service: 'aoss', getCredentials: async () => LOCAL_CREDENTIALS }), node: `${emulator.url}/opensearch` });
  const index = store.aws.indexName;
  const search = async (body: object) => (await client.search({ index, body })).body.hits.hits as { _source: { id: string; version: number; deleted: boolean } }[];
  return {
    writer: new OpenSearchVectorWriter(client, { index, ...VISIBILITY }),
    copies: async (id) => (await search({ size: 100, query: { term: { id } } })).map((h) => ({ version: h._source.version, deleted: h._source.deleted })),
    nearest: async (vector, k) => (await search({ size: k, query: { knn: { embedding: { vector, k } } } })).map((h) => h._source.id),
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}

async function vertexEngine(): Promise<Engine> {
  const service = vertexVectorSearchService(resolved, { indexFactory: exact, visibilityDelayMs: VISIBILITY_DELAY_MS });
  const emulator: EmulatorHandle = await startEmulator(resolved, { services: [service] });
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 3600_000 });
  const options = { apiEndpoint: '127.0.0.1', port: emulator.port, protocol: 'http', fallback: true, authClient: authClient as never };
  const indexClient = new v1.IndexServiceClient(options);
  const match = new v1.MatchServiceClient(options);
  const names = vectorSearchNames(store, 'local', resolved.regions.gcp);
  const writer = new VertexVectorWriter(indexClient, match, { index: names.index, indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, dimensions: DIMENSIONS, ...VISIBILITY });
  return {
    writer,
    // Datapoint ids are unique: one copy at most, by construction of the store.
    copies: async (id) => [...(await writer.readVersions([id])).values()],
    nearest: async (vector, k) => {
      const [response] = await match.findNeighbors({
        indexEndpoint: names.indexEndpoint,
        deployedIndexId: names.deployedIndexId,
        queries: [{ datapoint: { featureVector: [...vector], restricts: [{ ...TOMBSTONE_DENY_RESTRICT }] }, neighborCount: k }],
      });
      return (response.nearestNeighbors?.[0]?.neighbors ?? []).map((n) => String(n.datapoint?.datapointId));
    },
    close: async () => {
      await indexClient.close();
      await match.close();
      await emulator.close();
    },
  };
}

async function pgvectorEngine(): Promise<Engine> {
  const local = await startLocalPgvector(store);
  const pool = new Pool({ connectionString: local.url, max: 4 });
  const op = PGVECTOR_DISTANCE_OPERATOR[store.metric];
  return {
    writer: new PgvectorVectorWriter(pool),
    copies: async (id) => (await pool.query(`SELECT version, deleted FROM embeddings WHERE id = $1`, [id])).rows.map((r) => ({ version: Number(r.version), deleted: r.deleted })),
    nearest: async (vector, k) =>
      (await pool.query(`SELECT id FROM embeddings WHERE NOT deleted ORDER BY embedding ${op} $1 LIMIT ${k}`, [`[${vector.join(',')}]`])).rows.map((r) => r.id),
    close: async () => {
      await pool.end();
      await local.close();
    },
  };
}

/** Records every write that reached the store, to show none was written twice. */
class CountingWriter implements VectorWriter {
  readonly written: VectorRecord[] = [];
  constructor(private readonly inner: VectorWriter) {}
  readVersions(ids: readonly string[]) {
    return this.inner.readVersions(ids);
  }
  async write(records: readonly VectorRecord[]): Promise<readonly WriteOutcome[]> {
    this.written.push(...records);
    return this.inner.write(records);
  }
}

/** A writer that skips the version check: what the suite must catch. */
class BlindWriter extends CountingWriter {
  override async readVersions(): Promise<ReadonlyMap<string, StoredVersion>> {
    return new Map();
  }
}

/**
 * Concurrent consumers of `queue` until it is empty. Unlike support/drain.ts (in-memory stores
 * answer within a few event-loop turns), a consumer with nothing to take waits a little for the
 * others' network round trips, so its idle rounds stay few; the round limit only stops a hang.
 */
async function drainOverNetwork(queue: FifoQueue, worker: RefreshWorker, options: { workers: number; batchSize: number }): Promise<void> {
  let rounds = 0;
  const consume = async () => {
    while (!queue.isDrained) {
      if (++rounds > 10_000) throw new Error('queue not drained after 10000 rounds');
      const batch = queue.receive(options.batchSize);
      if (batch.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      queue.settle(await worker.handleBatch(batch));
    }
  };
  await Promise.all(Array.from({ length: options.workers }, consume));
}

const textOf = (documentId: string, version: number) => `${documentId} at version ${version}`;
const upsert = (documentId: string, version: number) => JSON.stringify({ formatVersion: 1, op: 'upsert', documentId, version, text: textOf(documentId, version), metadata: { section: 'news' } });
const remove = (documentId: string, version: number) => JSON.stringify({ formatVersion: 1, op: 'delete', documentId, version });
let deliveries = 0;
const delivery = (body: string) => ({ messageId: `d-${++deliveries}`, body, deliveryAttempt: 1 });

describe.each([
  ['OpenSearch Serverless', openSearchEngine, false],
  ['Vertex AI Vector Search', vertexEngine, false],
  ['pgvector', pgvectorEngine, true],
] as const)('the %s writer', (_name, start, writesConditionally) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await start();
  }, 60_000);
  afterAll(async () => engine?.close());

  const workerWith = (writer: VectorWriter) => new RefreshWorker({ embedder: new MemoryEmbedder(8, DIMENSIONS), writer, dimensions: DIMENSIONS });

  it('ends each document at its highest version, once, from out-of-order, duplicated deliveries to concurrent workers', async () => {
    const queue = new FifoQueue(5);
    // Sent out of order and duplicated; b is deleted at 3 and then an older upsert arrives.
    const sends: [string, string][] = [
      ['oo-a', upsert('oo-a', 2)],
      ['oo-b', upsert('oo-b', 1)],
      ['oo-a', upsert('oo-a', 1)],
      ['oo-c', upsert('oo-c', 1)],
      ['oo-b', remove('oo-b', 3)],
      ['oo-a', upsert('oo-a', 3)],
      ['oo-b', upsert('oo-b', 2)],
      ['oo-a', upsert('oo-a', 2)],
      ['oo-c', upsert('oo-c', 1)],
      ['oo-b', upsert('oo-b', 1)],
    ];
    for (const [group, body] of sends) queue.send(group, body);
    const writer = new CountingWriter(engine.writer);
    await drainOverNetwork(queue, workerWith(writer), { workers: 2, batchSize: 3 });

    expect(queue.deadLetters).toEqual([]);
    expect(await engine.copies('oo-a')).toEqual([{ version: 3, deleted: false }]);
    expect(await engine.copies('oo-b')).toEqual([{ version: 3, deleted: true }]);
    expect(await engine.copies('oo-c')).toEqual([{ version: 1, deleted: false }]);
    const keys = writer.written.map((r) => `${r.documentId}@${r.version}`);
    expect(keys.length).toBe(new Set(keys).size);
    // The stored vector is the newest text's: the nearest document to it is a, and b never shows.
    expect((await engine.nearest(vectorOf(textOf('oo-a', 3), DIMENSIONS), 1))[0]).toBe('oo-a');
    expect(await engine.nearest(vectorOf(textOf('oo-b', 2), DIMENSIONS), 10)).not.toContain('oo-b');
  });

  it('acknowledges a redelivered message as stale without writing it again', async () => {
    const worker = workerWith(engine.writer);
    const body = upsert('re-a', 4);
    expect((await worker.handleBatch([delivery(body)]))[0].status).toBe('written');
    expect((await worker.handleBatch([{ ...delivery(body), deliveryAttempt: 2 }]))[0].status).toBe('stale');
    expect(await engine.copies('re-a')).toEqual([{ version: 4, deleted: false }]);
  });

  it('never brings back a deleted document when an older upsert arrives late', async () => {
    const worker = workerWith(engine.writer);
    expect((await worker.handleBatch([delivery(upsert('del-a', 1))]))[0].status).toBe('written');
    expect((await worker.handleBatch([delivery(remove('del-a', 5))]))[0].status).toBe('deleted');
    expect((await worker.handleBatch([delivery(upsert('del-a', 4))]))[0].status).toBe('stale');
    expect(await engine.copies('del-a')).toEqual([{ version: 5, deleted: true }]);
    expect(await engine.nearest(vectorOf(textOf('del-a', 4), DIMENSIONS), 10)).not.toContain('del-a');
  });

  it(
    writesConditionally
      ? 'keeps the newer row even without the version check: the write itself is conditional'
      : 'resurrects a deleted document without the version check: the check is what protects this store',
    async () => {
      const blind = workerWith(new BlindWriter(engine.writer));
      await blind.handleBatch([delivery(remove('blind-a', 5))]);
      await blind.handleBatch([delivery(upsert('blind-a', 4))]);
      const copies = await engine.copies('blind-a');
      if (writesConditionally) expect(copies).toEqual([{ version: 5, deleted: true }]);
      else expect(copies).toEqual([{ version: 4, deleted: false }]);
    },
  );
});
