/**
 * The local Vertex AI Vector Search through the official clients: `IndexServiceClient` and
 * `MatchServiceClient` of @google-cloud/aiplatform in REST fallback mode, pointed at the emulator on
 * 127.0.0.1 (as the prediction client is in generator-smoke.test.ts). Raw HTTP only where a client
 * cannot send the mistake (unknown fields, broken JSON).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v1 } from '@google-cloud/aiplatform';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { preset, resolveTopology, type ResolvedTopology } from '../../constructs';
import { localServices, startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { ManualClock } from '../../load-tests/clock/manual-clock';
import { ExactIndex, exactIndexFactory, type SearchOptions, type VectorIndexFactory } from '../../load-tests/vector-store';
import { vectorSearchNames, vertexVectorSearchService, type VertexVectorSearchOptions } from '../../load-tests/vector-store/vertex';

type ClientOptions = NonNullable<ConstructorParameters<typeof v1.MatchServiceClient>[0]>;

function topology(vectorStore: { dimensions?: number; metric?: 'cosine' | 'dot-product' | 'euclidean'; updateMode?: 'streaming' | 'batch' } = {}): ResolvedTopology {
  const spec = preset('dev');
  return resolveTopology({ ...spec, vectorStore: { ...spec.vectorStore!, dimensions: 4, ...vectorStore } });
}

function clients(emulator: EmulatorHandle) {
  // Any bearer token will do locally.
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 3600_000 });
  const options = { apiEndpoint: '127.0.0.1', port: emulator.port, protocol: 'http', fallback: true, authClient: authClient as unknown as ClientOptions['authClient'] };
  return { index: new v1.IndexServiceClient(options), match: new v1.MatchServiceClient(options) };
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function serve(resolved: ResolvedTopology, options: Partial<VertexVectorSearchOptions> = {}) {
  const service = vertexVectorSearchService(resolved, { indexFactory: exactIndexFactory, visibilityDelayMs: 0, ...options });
  const emulator = await startEmulator(resolved, { services: [service] });
  open.push(emulator);
  const c = clients(emulator);
  open.push(c.index, c.match);
  return { emulator, ...c, names: vectorSearchNames(resolved.vectorStore!, 'local', resolved.regions.gcp) };
}

const NEWS = [
  { datapointId: 'sport-1', featureVector: [1, 0, 0, 0], restricts: [{ namespace: 'section', allowList: ['sport'] }], numericRestricts: [{ namespace: 'year', valueInt: 2024 }] },
  { datapointId: 'sport-2', featureVector: [0.9, 0.1, 0, 0], restricts: [{ namespace: 'section', allowList: ['sport'] }], numericRestricts: [{ namespace: 'year', valueInt: 2020 }] },
  { datapointId: 'politics-1', featureVector: [0.8, 0, 0.2, 0], restricts: [{ namespace: 'section', allowList: ['politics'] }], numericRestricts: [{ namespace: 'year', valueInt: 2024 }] },
  { datapointId: 'weather-1', featureVector: [0, 0, 0, 1], restricts: [{ namespace: 'section', allowList: ['weather'] }], numericRestricts: [{ namespace: 'year', valueInt: 2023 }] },
];

function cosine(a: number[], b: number[]): number {
  const dot = a.reduce((s, x, i) => s + x * b[i], 0);
  return dot / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
}

describe('local Vertex AI Vector Search', () => {
  it('upserts, finds neighbours with neighborCount, restricts and numeric restricts, removes', async () => {
    const { index, match, names } = await serve(topology());
    await index.upsertDatapoints({ index: names.index, datapoints: NEWS });

    const query = [1, 0, 0, 0];
    const [all] = await match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: query }, neighborCount: 3 }] });
    const neighbors = all.nearestNeighbors![0].neighbors!;
    expect(neighbors.map((n) => n.datapoint!.datapointId)).toEqual(['sport-1', 'sport-2', 'politics-1']);
    // Cosine is served as DOT_PRODUCT_DISTANCE over unit vectors: the distance is the similarity, higher is closer.
    for (const n of neighbors) expect(n.distance).toBeCloseTo(cosine(query, NEWS.find((d) => d.datapointId === n.datapoint!.datapointId)!.featureVector), 5);
    // Without returnFullDatapoint only the id comes back.
    expect(neighbors[0].datapoint!.featureVector ?? []).toEqual([]);

    const [filtered] = await match.findNeighbors({
      indexEndpoint: names.indexEndpoint,
      deployedIndexId: names.deployedIndexId,
      returnFullDatapoint: true,
      queries: [
        { datapoint: { featureVector: query, restricts: [{ namespace: 'section', allowList: ['sport', 'politics'], denyList: ['politics'] }] }, neighborCount: 10 },
        { datapoint: { featureVector: query, numericRestricts: [{ namespace: 'year', valueInt: 2024, op: 'GREATER_EQUAL' }] }, neighborCount: 10 },
      ],
    });
    expect(filtered.nearestNeighbors![0].neighbors!.map((n) => n.datapoint!.datapointId)).toEqual(['sport-1', 'sport-2']);
    expect(filtered.nearestNeighbors![1].neighbors!.map((n) => n.datapoint!.datapointId)).toEqual(['sport-1', 'politics-1']);
    const full = filtered.nearestNeighbors![0].neighbors![0].datapoint!;
    expect(full.featureVector).toEqual([1, 0, 0, 0]);
    expect(full.restricts).toEqual([expect.objectContaining({ namespace: 'section', allowList: ['sport'] })]);

    await index.removeDatapoints({ index: names.index, datapointIds: ['sport-1', 'never-stored'] });
    const [after] = await match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: query }, neighborCount: 10 }] });
    expect(after.nearestNeighbors![0].neighbors!.map((n) => n.datapoint!.datapointId)).toEqual(['sport-2', 'politics-1', 'weather-1']);

    const [read] = await match.readIndexDatapoints({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, ids: ['sport-2', 'sport-1'] });
    expect(read.datapoints!.map((d) => d.datapointId)).toEqual(['sport-2']);
  });

  it('passes fractionLeafNodesToSearchOverride to the index as the leaf fraction, and the index default when zero', async () => {
    const seen: SearchOptions[] = [];
    const recording: VectorIndexFactory = (settings) => {
      const exact = new ExactIndex(settings.dimensions, settings.metric);
      return Object.assign(Object.create(exact) as ExactIndex, { search: (q: Float32Array, o: SearchOptions) => (seen.push(o), exact.search(q, o)) });
    };
    const { index, match, names } = await serve(topology(), { indexFactory: recording });
    await index.upsertDatapoints({ index: names.index, datapoints: NEWS });
    const ask = (fraction: number) =>
      match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: [1, 0, 0, 0] }, neighborCount: 2, fractionLeafNodesToSearchOverride: fraction }] });
    await ask(0.25);
    await ask(0);
    expect(seen.map((o) => [o.k, o.leafFraction])).toEqual([
      [2, 0.25],
      [2, undefined],
    ]);
  });

  it('keeps at most perCrowdingAttributeNeighborCount neighbours per crowding tag', async () => {
    const { index, match, names } = await serve(topology());
    const tagged = NEWS.map((d) => ({ ...d, ...(d.datapointId === 'weather-1' ? {} : { crowdingTag: { crowdingAttribute: d.datapointId.split('-')[0] } }) }));
    await index.upsertDatapoints({ index: names.index, datapoints: tagged });
    const ask = (perCrowdingAttributeNeighborCount: number) =>
      match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: [1, 0, 0, 0] }, neighborCount: 3, perCrowdingAttributeNeighborCount }] });
    const [crowded] = await ask(1);
    expect(crowded.nearestNeighbors![0].neighbors!.map((n) => [n.datapoint!.datapointId, n.datapoint!.crowdingTag?.crowdingAttribute])).toEqual([
      ['sport-1', 'sport'],
      ['politics-1', 'politics'],
      ['weather-1', undefined],
    ]);
    const [unbound] = await ask(0);
    expect(unbound.nearestNeighbors![0].neighbors!.map((n) => n.datapoint!.datapointId)).toEqual(['sport-1', 'sport-2', 'politics-1']);
  });

  it('reports squared L2 distances for a euclidean store', async () => {
    const { index, match, names } = await serve(topology({ metric: 'euclidean' }));
    await index.upsertDatapoints({ index: names.index, datapoints: NEWS.map(({ datapointId, featureVector }) => ({ datapointId, featureVector })) });
    const [found] = await match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: [0, 0, 0, 2] }, neighborCount: 1 }] });
    expect(found.nearestNeighbors![0].neighbors!.map((n) => [n.datapoint!.datapointId, n.distance])).toEqual([['weather-1', 1]]);
  });

  it('makes stream updates searchable after the visibility delay', async () => {
    const clock = new ManualClock(0);
    const { index, match, names } = await serve(topology(), { clock, visibilityDelayMs: 2000 });
    await index.upsertDatapoints({ index: names.index, datapoints: NEWS.slice(0, 1) });
    const count = async () =>
      (await match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: [1, 0, 0, 0] } }] }))[0].nearestNeighbors![0].neighbors?.length ?? 0;
    expect(await count()).toBe(0);
    clock.advanceTo(1999);
    expect(await count()).toBe(0);
    clock.advanceTo(2000);
    expect(await count()).toBe(1);
  });

  it("answers mistakes with Google's error JSON: wrong dimension, unknown index, unknown deployed index, malformed bodies, a batch index", async () => {
    const { emulator, index, match, names } = await serve(topology());
    // In REST fallback mode gax hands back gaxios's error, whose message is the google.rpc.Status JSON
    // (googleapis/gax-nodejs #1803; load-tests/targets/error-classification.ts).
    const rejection = (p: Promise<unknown>) =>
      p.then(
        () => 'accepted',
        (e: Error) => (JSON.parse(e.message) as { error: { code: number; status: string; message: string } }).error,
      );

    const wrongDimension = await rejection(index.upsertDatapoints({ index: names.index, datapoints: [{ datapointId: 'x', featureVector: [1, 2, 3] }] }));
    expect(wrongDimension).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: expect.stringMatching(/datapoints\[0\]\.feature_vector has 3 dimensions; the index .* has 4/) });
    const wrongQuery = await rejection(match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: [1] } }] }));
    expect(wrongQuery).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: expect.stringContaining('queries[0].datapoint.feature_vector has 1 dimensions') });

    const otherIndex = names.index.replace(/\d+$/, '123456789');
    expect(await rejection(index.upsertDatapoints({ index: otherIndex, datapoints: NEWS }))).toMatchObject({ code: 404, status: 'NOT_FOUND', message: expect.stringContaining(`Index \`${otherIndex}\` not found`) });
    expect(await rejection(match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: 'nope', queries: [{ datapoint: { featureVector: [1, 0, 0, 0] } }] }))).toMatchObject({
      code: 404,
      status: 'NOT_FOUND',
      message: expect.stringContaining(`DeployedIndex "nope" not found`),
    });
    expect(await rejection(match.findNeighbors({ indexEndpoint: names.indexEndpoint, queries: [{ datapoint: { featureVector: [1, 0, 0, 0] } }] }))).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: expect.stringContaining('deployed_index_id is required'),
    });
    expect(
      await rejection(match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: [1, 0, 0, 0], numericRestricts: [{ namespace: 'year', valueInt: 1 }] } }] })),
    ).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringContaining('namespace "year" needs op') });

    // What a client cannot send: the raw REST body with an unknown field, a wrong type, broken JSON.
    const post = async (path: string, body: string) => {
      const res = await fetch(`${emulator.url}/v1/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      return { status: res.status, body: (await res.json()) as { error: { code: number; status: string; message: string; details?: unknown[] } } };
    };
    const unknown = await post(`${names.indexEndpoint}:findNeighbors`, JSON.stringify({ deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: [1, 0, 0, 0] }, k: 3 }] }));
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringContaining('Unknown name "k"') } } });
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.BadRequest' })]);
    const wrongType = await post(`${names.index}:upsertDatapoints`, JSON.stringify({ datapoints: [{ datapointId: 'x', featureVector: 'not a list' }] }));
    expect(wrongType).toMatchObject({ status: 400, body: { error: { status: 'INVALID_ARGUMENT', message: expect.stringContaining('a JSON array is expected') } } });
    const broken = await post(`${names.index}:upsertDatapoints`, '{"datapoints": [');
    expect(broken).toMatchObject({ status: 400, body: { error: { status: 'INVALID_ARGUMENT', message: expect.stringContaining('Invalid JSON payload') } } });

    const batch = await serve(topology({ updateMode: 'batch' }));
    expect(await rejection(batch.index.upsertDatapoints({ index: batch.names.index, datapoints: NEWS }))).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION', message: expect.stringContaining('StreamUpdate is not enabled') });
  });

  it('keeps every acknowledged change across a restart with a data directory, and lists itself under vectorStore.vertex', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vector-search-'));
    const resolved = topology();
    const start = async () => {
      const emulator = await startEmulator(resolved, { services: await localServices(resolved, { dataDir }) });
      const c = clients(emulator);
      return { emulator, ...c, close: async () => (await c.index.close(), await c.match.close(), await emulator.close()) };
    };
    const names = vectorSearchNames(resolved.vectorStore!, 'local', resolved.regions.gcp);
    const first = await start();
    try {
      await first.index.upsertDatapoints({ index: names.index, datapoints: NEWS });
      await first.index.removeDatapoints({ index: names.index, datapointIds: ['weather-1'] });
      const listing = (await (await fetch(`${first.emulator.url}/emulator`)).json()) as { vectorStore: { vertex: unknown } };
      // Beside the OpenSearch collection, which the same managed topology also gets.
      expect(listing.vectorStore).toHaveProperty('opensearch');
      expect(listing.vectorStore.vertex).toEqual({ index: names.index, indexEndpoint: names.indexEndpoint, deployedIndexId: 'news_dev_vectors' });
      expect(names.index).toMatch(/^projects\/local\/locations\/us-central1\/indexes\/[1-9]\d{8}$/);
      expect(names.indexEndpoint).toMatch(/^projects\/local\/locations\/us-central1\/indexEndpoints\/[1-9]\d{8}$/);
    } finally {
      await first.close();
    }
    const second = await start();
    try {
      const [read] = await second.match.readIndexDatapoints({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, ids: NEWS.map((d) => d.datapointId) });
      expect(read.datapoints!.map((d) => d.datapointId)).toEqual(['sport-1', 'sport-2', 'politics-1']);
      const [found] = await second.match.findNeighbors({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, queries: [{ datapoint: { featureVector: [0, 0, 0, 1] }, neighborCount: 10 }] });
      expect(found.nearestNeighbors![0].neighbors!.map((n) => n.datapoint!.datapointId)).not.toContain('weather-1');
      expect(found.nearestNeighbors![0].neighbors).toHaveLength(3);
    } finally {
      await second.close();
    }
    // The same data directory under a topology with other dimensions is refused, not misread.
    await expect(localServices(topology({ dimensions: 8 }), { dataDir })).rejects.toThrow(/datapoint sport-1 holds a 4-dimension vector but the topology's vectorStore.dimensions is 8; use another --data-dir/);
  });
});
