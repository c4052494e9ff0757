/**
 * The index a managed vector store's stack creates in its collection, for the local collection to
 * hold the same one: the body the CDK vector-index custom resource sends
 * (aws/private/vector-index-mapping.ts, which load-tests may not import; a test holds the two equal),
 * under the resolved `aws.indexName`. The deployed index name also carries a hash of the body
 * (`embeddings-1a2b3c4d`); locally the plain name is served.
 */
import type { ResolvedTopology } from '../../../constructs';
import type { TopologyVectorIndex } from './opensearch-service';

/** The knn_vector field of the stack's mapping. */
export const TOPOLOGY_VECTOR_FIELD = 'embedding';
/** The keyword field documents carry their own id in, since the collection generates `_id`. */
export const TOPOLOGY_ID_FIELD = 'id';

export function topologyVectorIndex(resolved: ResolvedTopology): TopologyVectorIndex | undefined {
  const store = resolved.vectorStore;
  if (!store || store.engine !== 'managed') return undefined;
  return {
    name: store.aws.indexName,
    vectorField: TOPOLOGY_VECTOR_FIELD,
    idField: TOPOLOGY_ID_FIELD,
    body: {
      settings: { index: { knn: true } },
      mappings: {
        properties: {
          [TOPOLOGY_VECTOR_FIELD]: {
            type: 'knn_vector',
            dimension: store.dimensions,
            method: {
              name: 'hnsw',
              engine: 'faiss',
              space_type: store.aws.spaceType,
              parameters: { m: store.index.m, ef_construction: store.index.efConstruction, ef_search: store.index.efSearch },
            },
          },
          [TOPOLOGY_ID_FIELD]: { type: 'keyword' },
        },
      },
    },
  };
}
