/**
 * The OpenSearch index of a managed vector store: its settings and mappings, and its name. None of
 * `index.knn`, a knn_vector field's dimension or its method (engine, space type, m, ef_construction,
 * ef_search) can change on an existing index (OpenSearch documentation, "k-NN vector": mapping
 * parameters are not updatable; "Vector search settings": `index.knn` is static), so the name carries
 * a hash of the whole body: a changed mapping is a new index beside the old one, never an update that
 * OpenSearch rejects.
 */
import { EMBEDDING_FIELD, type ResolvedVectorStore } from '../../constructs';
import { contentHash } from './content-hash';

/**
 * The k-NN engine. Faiss implements HNSW for every space we map to; NMSLIB is deprecated
 * (OpenSearch documentation, "Methods and engines").
 */
export const OPENSEARCH_KNN_ENGINE = 'faiss';
/** The field holding each document's embedding: the pgvector column's name too. */
export { EMBEDDING_FIELD };
/** Hex digits of the body hash in the index name. */
const NAME_HASH_LENGTH = 8;

export interface VectorIndexBody {
  readonly settings: { readonly index: { readonly knn: true } };
  readonly mappings: { readonly properties: Readonly<Record<string, object>> };
}

export interface VectorIndexDefinition {
  /** `<indexName>-<hash of the body>`, e.g. `embeddings-1a2b3c4d`. */
  readonly name: string;
  readonly body: VectorIndexBody;
}

export function vectorIndexDefinition(store: Pick<ResolvedVectorStore, 'dimensions' | 'index' | 'aws'>): VectorIndexDefinition {
  const body: VectorIndexBody = {
    settings: { index: { knn: true } },
    mappings: {
      properties: {
        [EMBEDDING_FIELD]: {
          type: 'knn_vector',
          dimension: store.dimensions,
          method: {
            name: 'hnsw',
            engine: OPENSEARCH_KNN_ENGINE,
            space_type: store.aws.spaceType,
            // ef_search is a method parameter for Faiss; the index.knn.algo_param.ef_search setting is
            // NMSLIB's (OpenSearch documentation, "Methods and engines", Faiss HNSW parameters).
            parameters: { m: store.index.m, ef_construction: store.index.efConstruction, ef_search: store.index.efSearch },
          },
        },
        id: { type: 'keyword' },
      },
    },
  };
  return { name: `${store.aws.indexName}-${contentHash(body, NAME_HASH_LENGTH)}`, body };
}
