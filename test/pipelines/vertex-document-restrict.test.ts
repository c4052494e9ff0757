/**
 * The Vector Search writer tags every datapoint with the token restrict `id: [documentId]`, so a
 * findNeighbors query can select one document: what `loadtest --target pipeline` polls with
 * (VertexVersionProbe). Checked against the local Vector Search through the official client: the
 * restrict selects the document even when others are nearer, a tombstone is never found, and
 * metadata cannot forge the pipeline's own `id` restrict.
 */
import { v1 } from '@google-cloud/aiplatform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { VertexVectorWriter } from '../../pipelines/embedding-refresh/writers/vertex-vector-writer';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { ExactIndex } from '../../load-tests/vector-store';
import { vectorSearchNames, vertexVectorSearchService } from '../../load-tests/vector-store/vertex';
import { aiplatformClientOptions } from '../../load-tests/vertex-api/aiplatform-client-options';
import { VertexVersionProbe } from '../../load-tests/targets/pipeline/vertex-version-probe';

const DIMENSIONS = 4;
const spec = preset('dev');
const resolved = resolveTopology({ ...spec, vectorStore: { ...spec.vectorStore!, dimensions: DIMENSIONS, metric: 'cosine' } });
const store = resolved.vectorStore!;
const names = vectorSearchNames(store, 'local', resolved.regions.gcp);
let emulator: EmulatorHandle;
let indexClient: v1.IndexServiceClient;
let match: v1.MatchServiceClient;
let probe: VertexVersionProbe;

beforeAll(async () => {
  const service = vertexVectorSearchService(resolved, { indexFactory: (s) => new ExactIndex(s.dimensions, s.metric) });
  emulator = await startEmulator(resolved, { services: [service] });
  const options = aiplatformClientOptions(emulator.url);
  indexClient = new v1.IndexServiceClient(options);
  match = new v1.MatchServiceClient(options);
  probe = new VertexVersionProbe({ kind: 'vertex', matchUrl: emulator.url, indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId }, DIMENSIONS, 5000);
  const writer = new VertexVectorWriter(indexClient, match, { index: names.index, indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, dimensions: DIMENSIONS, timeoutMs: 5000, pollMs: 10 });
  const outcomes = await writer.write([
    // `a` lies exactly on the probe's query vector; `b` far from it; `c` is deleted.
    { kind: 'upsert', documentId: 'a', version: 3, vector: [1, 0, 0, 0], metadata: { id: 'forged' } },
    { kind: 'upsert', documentId: 'b', version: 7, vector: [0, 0, 0, 1], metadata: { section: 'local' } },
    { kind: 'tombstone', documentId: 'c', version: 9 },
  ]);
  expect(outcomes.every((o) => o.ok)).toBe(true);
}, 60_000);

afterAll(async () => {
  await probe?.close();
  await indexClient?.close();
  await match?.close();
  await emulator?.close();
});

describe('the Vector Search id restrict', () => {
  it('a k-NN query with id: [documentId] finds that document at its version, whatever lies nearer', async () => {
    expect(await probe.searchableVersion('b')).toBe(7);
    expect(await probe.searchableVersion('a')).toBe(3);
  });

  it('a tombstone is never found, an unknown document neither', async () => {
    expect(await probe.searchableVersion('c')).toBeUndefined();
    expect(await probe.searchableVersion('nobody')).toBeUndefined();
  });

  it('metadata named id is dropped: it cannot make a datapoint answer for another document', async () => {
    expect(await probe.searchableVersion('forged')).toBeUndefined();
    const [read] = await match.readIndexDatapoints({ indexEndpoint: names.indexEndpoint, deployedIndexId: names.deployedIndexId, ids: ['a'] });
    expect(read.datapoints?.[0]?.restricts?.filter((r) => r.namespace === 'id').map((r) => r.allowList)).toEqual([['a']]);
  });
});
