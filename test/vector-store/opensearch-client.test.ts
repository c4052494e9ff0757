/**
 * The local OpenSearch Serverless vector collection through the official client
 * (`@opensearch-project/opensearch`), pointed at the emulator: indexes, bulk, k-NN search with k,
 * filter and ef_search, delete by query, the vector collection's refusals, OpenSearch's errors,
 * the refresh delay (on a manual clock, so no timing decides a result) and the SigV4 path.
 */
import { Client, errors } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import { AwsSigv4Signer as AwsSigv4SignerV3 } from '@opensearch-project/opensearch/aws-v3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { ManualClock } from '../../load-tests/clock';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { ExactIndex, distance } from '../../load-tests/vector-store';
import { OpenSearchService, topologyVectorIndex } from '../../load-tests/vector-store/opensearch';

const INDEX = 'news';
const DELAY_MS = 1_000;
const MAPPING = {
  settings: { index: { knn: true } },
  mappings: {
    properties: {
      vec: { type: 'knn_vector', dimension: 3, method: { name: 'hnsw', engine: 'faiss', space_type: 'cosinesimil', parameters: { m: 16, ef_construction: 128 } } },
      id: { type: 'keyword' },
      category: { type: 'keyword' },
      published: { type: 'integer' },
    },
  },
};

/** Twelve documents on a circle in the xy-plane, alternating categories. */
const DOCS = Array.from({ length: 12 }, (_, i) => ({
  id: `doc-${i}`,
  category: i % 2 === 0 ? 'politics' : 'sport',
  published: 2020 + i,
  vec: [Math.cos((i * Math.PI) / 6), Math.sin((i * Math.PI) / 6), 0.5],
}));

let clock: ManualClock;
let emulator: EmulatorHandle;
let client: Client;

/** The error body of a rejected client call. */
async function failure(call: Promise<unknown>): Promise<{ status: number; body: { error?: { type: string; reason: string; root_cause: { type: string; reason: string }[] } } }> {
  try {
    await call;
  } catch (e) {
    expect(e).toBeInstanceOf(errors.ResponseError);
    const meta = (e as InstanceType<typeof errors.ResponseError>).meta;
    return { status: meta.statusCode ?? 0, body: meta.body as never };
  }
  throw new Error('expected the call to fail');
}

function bulkBody(docs: readonly object[]): object[] {
  return docs.flatMap((doc) => [{ index: { _index: INDEX } }, doc]);
}

async function knn(vector: number[], k: number, extra: Record<string, unknown> = {}, body: Record<string, unknown> = {}) {
  const response = await client.search({ index: INDEX, body: { size: k, ...body, query: { knn: { vec: { vector, k, ...extra } } } } });
  return response.body.hits.hits as { _id: string; _score: number; _source?: { id: string; category: string } }[];
}

beforeAll(async () => {
  clock = new ManualClock(0);
  const resolved = resolveTopology(preset('dev'));
  const service = new OpenSearchService({
    factory: (s) => new ExactIndex(s.dimensions, s.metric),
    clock,
    searchableAfterMs: DELAY_MS,
    topologyIndex: topologyVectorIndex(resolved),
  });
  emulator = await startEmulator(resolved, { services: [service] });
  client = new Client({ node: `${emulator.url}/opensearch` });
});

afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

describe('local OpenSearch Serverless vector collection', () => {
  it('is listed by GET /emulator with the topology index and vector field, which exists from the start', async () => {
    const listing = (await (await fetch(`${emulator.url}/emulator`)).json()) as { vectorStore: { opensearch: Record<string, unknown> } };
    expect(listing.vectorStore.opensearch).toMatchObject({ url: `${emulator.url}/opensearch`, index: 'embeddings', field: 'embedding', idField: 'id', engine: 'exact' });
    expect((await client.indices.exists({ index: 'embeddings' })).body).toBe(true);
    const mapping = (await client.indices.get({ index: 'embeddings' })).body.embeddings.mappings?.properties as Record<string, { dimension?: number }>;
    expect(mapping.embedding.dimension).toBe(768);
  });

  it('creates an index from a knn_vector mapping, shows it, and refuses to create it twice', async () => {
    const created = await client.indices.create({ index: INDEX, body: MAPPING as never });
    expect(created.body).toMatchObject({ acknowledged: true, index: INDEX });
    expect((await client.indices.exists({ index: INDEX })).body).toBe(true);
    const shown = (await client.indices.get({ index: INDEX })).body[INDEX];
    expect(shown.mappings).toEqual(MAPPING.mappings);
    expect(shown.settings?.index?.knn).toBe('true');
    const again = await failure(client.indices.create({ index: INDEX, body: MAPPING as never }));
    expect([again.status, again.body.error?.type]).toEqual([400, 'resource_already_exists_exception']);
  });

  it('bulk loads with server-generated ids; documents become searchable only after the refresh delay', async () => {
    const response = await client.bulk({ body: bulkBody(DOCS) });
    expect(response.body.errors).toBe(false);
    const ids = response.body.items.map((item) => item.index!._id!);
    expect(response.body.items.every((item) => item.index!.status === 201 && item.index!.result === 'created')).toBe(true);
    expect(new Set(ids).size).toBe(DOCS.length);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{20}$/.test(id))).toBe(true);

    // Real-time get sees a new document at once; search does not.
    const got = await client.get({ index: INDEX, id: ids[0] });
    expect(got.body._source).toMatchObject({ id: 'doc-0' });
    expect(await knn([1, 0, 0.5], 5)).toEqual([]);
    expect((await client.count({ index: INDEX })).body.count).toBe(0);

    clock.advanceBy(DELAY_MS - 1);
    expect(await knn([1, 0, 0.5], 5)).toEqual([]);
    clock.advanceBy(1);
    expect((await client.count({ index: INDEX })).body.count).toBe(DOCS.length);
  });

  it('answers a k-NN search with the k nearest, scored as OpenSearch scores cosinesimil, honouring size and _source', async () => {
    const query = [1, 0.2, 0.5];
    const hits = await knn(query, 4);
    const expected = DOCS.map((d) => ({ id: d.id, d: distance('cosine', Float32Array.from(query), Float32Array.from(d.vec)) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, 4);
    expect(hits.map((h) => h._source!.id)).toEqual(expected.map((e) => e.id));
    hits.forEach((h, i) => expect(h._score).toBeCloseTo((2 - expected[i].d) / 2, 6));

    const sized = await knn(query, 4, {}, { size: 2, _source: ['id'] });
    expect(sized.map((h) => h._source)).toEqual(expected.slice(0, 2).map((e) => ({ id: e.id })));
    const second = await knn(query, 4, {}, { size: 2, from: 1, _source: ['id'] });
    expect(second.map((h) => h._source!.id)).toEqual(expected.slice(1, 3).map((e) => e.id));
    const noSource = await knn(query, 1, {}, { _source: false });
    expect(noSource[0]._source).toBeUndefined();
  });

  it('applies a metadata filter inside the k-NN search and takes ef_search', async () => {
    const filtered = await knn([1, 0.2, 0.5], 3, {
      filter: { bool: { must: [{ term: { category: 'sport' } }, { range: { published: { gte: 2023 } } }] } },
      method_parameters: { ef_search: 64 },
    });
    expect(filtered).toHaveLength(3);
    for (const hit of filtered) expect(hit._source!.category).toBe('sport');
    expect(filtered.map((h) => h._source!.id)).not.toContain('doc-1');
  });

  it('deletes by the documents’ own id field; the deletion is searchable after the delay, a get sees it at once', async () => {
    const found = await client.search({ index: INDEX, body: { query: { term: { id: 'doc-0' } } } });
    const generated = found.body.hits.hits[0]._id!;
    const deleted = await client.deleteByQuery({ index: INDEX, body: { query: { term: { id: 'doc-0' } } } });
    expect(deleted.body).toMatchObject({ deleted: 1, total: 1, failures: [] });
    expect((await failure(client.get({ index: INDEX, id: generated }))).status).toBe(404);
    expect((await knn([1, 0, 0.5], 1))[0]._source!.id).toBe('doc-0');
    clock.advanceBy(DELAY_MS);
    expect((await knn([1, 0, 0.5], 1))[0]._source!.id).not.toBe('doc-0');
    expect((await client.count({ index: INDEX })).body.count).toBe(DOCS.length - 1);
  });

  it('updates and deletes by the generated _id in bulk', async () => {
    const found = await client.search({ index: INDEX, body: { query: { terms: { id: ['doc-1', 'doc-2'] } } } });
    const [first, second] = found.body.hits.hits.map((h) => h._id!);
    const response = await client.bulk({
      body: [{ update: { _index: INDEX, _id: first } }, { doc: { category: 'culture' } }, { delete: { _index: INDEX, _id: second } }, { delete: { _index: INDEX, _id: 'missing' } }],
    });
    expect(response.body.errors).toBe(false);
    expect(response.body.items.map((i) => Object.values(i)[0]!.result)).toEqual(['updated', 'deleted', 'not_found']);
    clock.advanceBy(DELAY_MS);
    const culture = await client.search({ index: INDEX, body: { query: { term: { category: 'culture' } } } });
    expect(culture.body.hits.hits.map((h) => (h._source as { id: string }).id)).toEqual(['doc-1']);
  });

  it('refuses custom document ids, upserts and the refresh parameter as a vector collection does', async () => {
    const bulk = await client.bulk({ body: [{ index: { _index: INDEX, _id: 'mine' } }, DOCS[3], { create: { _index: INDEX } }, DOCS[3]] });
    expect(bulk.body.errors).toBe(true);
    expect(bulk.body.items[0].index).toMatchObject({
      status: 400,
      error: { type: 'illegal_argument_exception', reason: 'Document ID is not supported in create/index operation request' },
    });
    expect(bulk.body.items[1].create!.status).toBe(201);

    const single = await failure(client.index({ index: INDEX, id: 'mine', body: DOCS[3] }));
    expect([single.status, single.body.error?.type]).toEqual([400, 'illegal_argument_exception']);
    const upsert = await client.bulk({ body: [{ update: { _index: INDEX, _id: 'x' } }, { doc: DOCS[3], doc_as_upsert: true }] });
    expect(upsert.body.items[0].update!.error!.reason).toBe('Document ID is not supported in create/index operation request');

    const refresh = await failure(client.bulk({ body: bulkBody([DOCS[3]]), refresh: true }));
    expect([refresh.status, refresh.body.error?.reason]).toEqual([400, 'true refresh policy is not supported']);
    const waitFor = await failure(client.index({ index: INDEX, body: DOCS[3], refresh: 'wait_for' }));
    expect(waitFor.body.error?.reason).toBe('wait_for refresh policy is not supported');
    expect((await failure(client.indices.refresh({ index: INDEX }))).status).toBe(404);
  });

  it('answers bad input with OpenSearch’s error JSON', async () => {
    const wrongDimension = await client.bulk({ body: bulkBody([{ id: 'short', vec: [1, 2] }]) });
    expect(wrongDimension.body.items[0].index).toMatchObject({
      status: 400,
      error: { type: 'mapper_parsing_exception', caused_by: { type: 'illegal_argument_exception', reason: 'Vector dimension mismatch. Expected: 3, Given: 2' } },
    });

    const query = await failure(knn([1, 2], 3));
    expect(query.status).toBe(400);
    expect(query.body.error).toMatchObject({ type: 'search_phase_execution_exception', root_cause: [{ type: 'illegal_argument_exception', reason: 'Query vector has invalid dimension: 2. Dimension should be: 3' }] });

    const unknown = await failure(client.search({ index: 'nope', body: { query: { match_all: {} } } }));
    expect([unknown.status, unknown.body.error?.type, unknown.body.error?.reason]).toEqual([404, 'index_not_found_exception', 'no such index [nope]']);

    const malformed = await failure(client.search({ index: INDEX, body: { query: { knn: { vec: { vector: [1, 0, 0], k: 2, filter: { fuzzy_match: {} } } } } } as never }));
    expect([malformed.status, malformed.body.error?.type, malformed.body.error?.reason]).toEqual([400, 'parsing_exception', 'unknown query [fuzzy_match]']);
    const aggs = await failure(client.search({ index: INDEX, body: { aggs: { sections: { terms: { field: 'category' } } } } as never }));
    expect([aggs.status, aggs.body.error?.type]).toEqual([400, 'parsing_exception']);
    const noK = await failure(client.search({ index: INDEX, body: { query: { knn: { vec: { vector: [1, 0, 0] } } } } as never }));
    expect(noK.body.error?.type).toBe('x_content_parse_exception');

    const badMapping = await failure(client.indices.create({ index: 'flat', body: { mappings: { properties: { v: { type: 'knn_vector' } } }, settings: { index: { knn: true } } } as never }));
    expect([badMapping.status, badMapping.body.error?.type, badMapping.body.error?.reason]).toEqual([400, 'mapper_parsing_exception', 'Dimension value missing for vector: v']);
    const badBulk = await failure(client.bulk({ body: 'not json\n' as never }));
    expect([badBulk.status, badBulk.body.error?.type]).toEqual([400, 'illegal_argument_exception']);
    const badName = await failure(client.indices.create({ index: 'Upper', body: MAPPING as never }));
    expect(badName.body.error?.type).toBe('invalid_index_name_exception');
  });

  it('deletes an index', async () => {
    await client.indices.create({ index: 'scratch', body: MAPPING as never });
    expect((await client.indices.delete({ index: 'scratch' })).body).toEqual({ acknowledged: true });
    expect((await client.indices.exists({ index: 'scratch' })).body).toBe(false);
    expect((await failure(client.indices.delete({ index: 'scratch' }))).body.error?.type).toBe('index_not_found_exception');
  });

  it('accepts requests signed by AwsSigv4Signer (aws and aws-v3) for aoss, and refuses ones signed for another service', async () => {
    const getCredentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
    const signed = new Client({ ...AwsSigv4Signer({ region: 'eu-west-1', service: 'aoss', getCredentials }), node: `${emulator.url}/opensearch` });
    const wrong = new Client({ ...AwsSigv4Signer({ region: 'eu-west-1', service: 'es', getCredentials }), node: `${emulator.url}/opensearch` });
    const v3 = new Client({ ...AwsSigv4SignerV3({ region: 'eu-west-1', service: 'aoss', getCredentials }), node: `${emulator.url}/opensearch` });
    try {
      const hits = (await signed.search({ index: INDEX, body: { size: 1, query: { knn: { vec: { vector: [0, 1, 0.5], k: 1 } } } } })).body.hits.hits;
      expect(hits).toHaveLength(1);
      const loaded = await signed.bulk({ body: bulkBody([DOCS[5]]) });
      expect(loaded.body.errors).toBe(false);
      expect((await v3.count({ index: INDEX })).body.count).toBeGreaterThan(0);
      const refused = await failure(wrong.search({ index: INDEX, body: { query: { match_all: {} } } }));
      expect([refused.status, (refused.body.error as unknown as { type: string }).type]).toEqual([403, 'Forbidden']);
    } finally {
      await signed.close();
      await wrong.close();
      await v3.close();
    }
  });
});
