/** The OpenSearch Serverless OCU rule, step by step, against hand computations and its sources. */
import { describe, expect, it } from 'vitest';
import { parseTopology, resolveTopology, type ResolvedVectorStore } from '../../constructs';
import { hnswGraphBytes, opensearchOcus, OPENSEARCH_SIZING_ASSUMPTIONS } from '../../load-tests/cost/vector-store-sizing';

const image = { aws: '123456789012.dkr.ecr.us-east-1.amazonaws.com/s:1', gcp: 'us-docker.pkg.dev/p/s/s:1' };

function store(expectedVectors: number, dimensions: number, environment: 'dev' | 'prod'): ResolvedVectorStore {
  const topology = parseTopology(
    {
      name: 'vectors',
      environment,
      regions: { aws: 'us-east-1', gcp: 'us-central1' },
      endpoints: [{ name: 'scorer', model: { image }, scaling: { min: 2, max: 3 } }],
      vectorStore: { dimensions, expectedVectors },
    },
    'test',
  );
  return resolveTopology(topology).vectorStore!;
}

/** Vectors whose graph takes `gib` GiB at 768 dimensions and m 16 (3,520 bytes each). */
const vectorsFor = (gib: number) => Math.floor((gib * 2 ** 30) / 3520);

describe('OpenSearch Serverless OCUs for a vector index', () => {
  it('estimates the graph as 1.1 × (4 × dimensions + 8 × m) bytes a vector', () => {
    expect(hnswGraphBytes({ dimensions: 256, expectedVectors: 1_000_000, index: { m: 16 } } as ResolvedVectorStore)).toBeCloseTo(1.1 * (4 * 256 + 8 * 16) * 1e6, 3);
  });

  it('holds a graph in half an OCU while it fits 1.5 GiB, then in whole OCUs of 3 GiB each', () => {
    expect(opensearchOcus(store(vectorsFor(1.4), 768, 'dev'))).toMatchObject({ indexing: 0.5, search: 0.5, searchLow: 0.5, searchHigh: 1 });
    expect(opensearchOcus(store(vectorsFor(1.6), 768, 'dev'))).toMatchObject({ search: 1 });
    expect(opensearchOcus(store(vectorsFor(3.1), 768, 'dev'))).toMatchObject({ search: 2, searchLow: 1, searchHigh: 3 });
  });

  it('keeps two copies with standby replicas (prod) and never goes under the floor of 1 + 1 OCU', () => {
    expect(opensearchOcus(store(1000, 768, 'prod'))).toMatchObject({ standbyReplicas: true, indexing: 1, search: 1 });
    expect(opensearchOcus(store(vectorsFor(3.1), 768, 'prod'))).toMatchObject({ indexing: 1, search: 4, indexingHigh: 3 });
  });

  it('states every rule with its source; the undocumented ones carry a range', () => {
    for (const a of OPENSEARCH_SIZING_ASSUMPTIONS) {
      expect(a.source, a.name).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|aws\.amazon\.com|docs\.opensearch\.org)\//);
      if (!a.verified) expect(a.low! <= a.value && a.value <= a.high!, a.name).toBe(true);
    }
    expect(OPENSEARCH_SIZING_ASSUMPTIONS.filter((a) => !a.verified).map((a) => a.name)).toEqual([
      'OpenSearch Serverless OCU memory share for vector graphs',
      'OpenSearch Serverless indexing OCUs above the floor',
    ]);
  });
});
