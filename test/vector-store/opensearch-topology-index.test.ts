/** The index the local collection holds from the start is the one the CDK stack creates (same body, field and name). */
import { describe, expect, it } from 'vitest';
import { vectorIndexDefinition } from '../../aws/private/vector-index-mapping';
import { preset, resolveTopology } from '../../constructs';
import { parseKnnIndexBody, topologyVectorIndex, vectorIndexSettings } from '../../load-tests/vector-store/opensearch';

describe('topology vector index', () => {
  it.each(['dev', 'prod'] as const)('matches the body the vector-index custom resource sends (%s)', (env) => {
    const resolved = resolveTopology(preset(env));
    const local = topologyVectorIndex(resolved)!;
    const deployed = vectorIndexDefinition(resolved.vectorStore!);
    expect(local.body).toEqual(deployed.body);
    // The deployed name is the resolved index name plus a hash of the body.
    expect(deployed.name.startsWith(`${local.name}-`)).toBe(true);
    expect(Object.keys(deployed.body.mappings.properties)).toEqual([local.vectorField, local.idField]);
  });

  it('builds the local index from the topology settings', () => {
    const resolved = resolveTopology(preset('dev'));
    const store = resolved.vectorStore!;
    const settings = vectorIndexSettings(parseKnnIndexBody(topologyVectorIndex(resolved)!.body));
    expect(settings).toEqual({ dimensions: store.dimensions, metric: store.metric, hnsw: { m: store.index.m, efConstruction: store.index.efConstruction, efSearch: store.index.efSearch } });
  });
});
