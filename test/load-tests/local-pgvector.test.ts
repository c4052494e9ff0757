/**
 * The local pgvector store through `pg`, as an application reaches Aurora or AlloyDB: the schema the
 * stacks create, upserts by document id, k-NN by the metric's operator through the HNSW index, and
 * Postgres's own errors.
 */
import { Client, DatabaseError } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGVECTOR_DISTANCE_OPERATOR } from '../../constructs';
import { CorpusLoadError, generateCorpus, PgvectorCorpusLoader, type NewsCorpus } from '../../load-tests/corpus';
import { startLocalPgvector, type LocalPgvector } from '../../load-tests/vector-store/local-pgvector';

const STORE = { dimensions: 64, metric: 'cosine', index: { m: 16, efConstruction: 64, efSearch: 64 } } as const;
const corpusOf = (documents: number, queries: number) => generateCorpus({ documents, queries, k: 10, seed: 7, dimensions: STORE.dimensions, metric: STORE.metric });

let store: LocalPgvector;
let client: Client;

beforeAll(async () => {
  store = await startLocalPgvector(STORE);
  client = new Client({ connectionString: store.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await store?.close();
});

async function load(corpus: NewsCorpus): Promise<void> {
  const loader = new PgvectorCorpusLoader(store);
  try {
    await loader.load(corpus.documents);
  } finally {
    await loader.close();
  }
}

async function nearest(embedding: readonly number[], k: number): Promise<string[]> {
  const op = PGVECTOR_DISTANCE_OPERATOR[STORE.metric];
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${store.table} ORDER BY ${store.column} ${op} $1 LIMIT ${k}`, [`[${embedding.join(',')}]`]);
  return rows.map((r) => r.id);
}

describe('local pgvector store', () => {
  it('has the schema the stacks create: a vector(d) column, the HNSW index with m and ef_construction, and ef_search', async () => {
    expect(store.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const column = await client.query(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'embeddings'::regclass AND attname = 'embedding'`);
    expect(column.rows).toEqual([{ type: 'vector(64)' }]);
    const index = await client.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'embeddings' AND indexname = 'embeddings_hnsw'`);
    expect(index.rows[0].indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\) WITH \(m='16', ef_construction='64'\)/);
    expect((await client.query('SHOW hnsw.ef_search')).rows).toEqual([{ 'hnsw.ef_search': '64' }]);
    expect(store.version).toMatch(/^PostgreSQL 17\.\d+ \(PGlite\), pgvector \d+\.\d+\.\d+$/);
  });

  it('upserts by document id: loading again replaces, never duplicates', async () => {
    const corpus = corpusOf(50, 0);
    await load(corpus);
    const changed = { ...corpus, documents: [{ ...corpus.documents[0], headline: 'Rewritten headline' }] };
    await load(changed);
    expect((await client.query('SELECT count(*)::int AS n FROM embeddings')).rows).toEqual([{ n: 50 }]);
    const first = await client.query(`SELECT metadata FROM embeddings WHERE id = $1`, [corpus.documents[0].id]);
    expect(first.rows[0].metadata).toMatchObject({ headline: 'Rewritten headline', section: corpus.documents[0].section, language: corpus.documents[0].language });
  });

  it('answers ORDER BY embedding <=> $1 LIMIT k with the exact top k on a small corpus', async () => {
    const corpus = corpusOf(50, 5);
    await load(corpus);
    for (const query of corpus.queries) expect(await nearest(query.embedding, 10)).toEqual(query.groundTruth);
  });

  it('finds at least 0.9 of the exact top 10 through the HNSW index on a few thousand documents, and all of it by a full scan', async () => {
    const corpus = corpusOf(2000, 40);
    await load(corpus);
    const plan = await client.query(`EXPLAIN SELECT id FROM embeddings ORDER BY embedding <=> $1 LIMIT 10`, [`[${corpus.queries[0].embedding.join(',')}]`]);
    expect(JSON.stringify(plan.rows)).toMatch(/Index Scan using embeddings_hnsw/);
    let found = 0;
    for (const query of corpus.queries) {
      const ids = new Set(await nearest(query.embedding, 10));
      found += query.groundTruth.filter((id) => ids.has(id)).length;
    }
    const recall = found / (10 * corpus.queries.length);
    process.stdout.write(`pgvector HNSW (m 16, ef_construction 64, ef_search 64) recall@10 on 2,000 documents: ${recall.toFixed(3)}\n`);
    expect(recall).toBeGreaterThanOrEqual(0.9);

    // Postgres's own full scan, the index turned off, is a brute force apart from ours: the same top 10.
    await client.query('SET enable_indexscan = off');
    try {
      const fullScan = await client.query(`EXPLAIN SELECT id FROM embeddings ORDER BY embedding <=> $1 LIMIT 10`, [`[${corpus.queries[0].embedding.join(',')}]`]);
      expect(JSON.stringify(fullScan.rows)).toMatch(/Seq Scan on embeddings/);
      for (const query of corpus.queries) expect(await nearest(query.embedding, 10)).toEqual(query.groundTruth);
    } finally {
      await client.query('RESET enable_indexscan');
    }
  });

  it('refuses a vector of another dimension with Postgres\'s own error', async () => {
    const error = await client.query(`INSERT INTO embeddings (id, embedding) VALUES ('short', '[1,2,3]')`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ code: '22000', message: 'expected 64 dimensions, not 3' });
    const wide = generateCorpus({ documents: 1, queries: 0, k: 1, seed: 1, dimensions: 8, metric: 'cosine' });
    await expect(load(wide)).rejects.toThrow(new CorpusLoadError(`${store.url} table embeddings: expected 64 dimensions, not 8 (SQLSTATE 22000)`));
  });
});
