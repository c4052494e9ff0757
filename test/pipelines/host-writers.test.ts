/**
 * Both hosts build a real vector writer for every engine from the environment their stacks set
 * (no engine is left without one), and name the missing variable when the environment lacks it.
 */
import { describe, expect, it } from 'vitest';
import { portsFromEnvironment as functionPorts } from '../../pipelines/embedding-refresh/cloud-function';
import { portsFromEnvironment as lambdaPorts } from '../../pipelines/embedding-refresh/lambda';
import { OpenSearchVectorWriter } from '../../pipelines/embedding-refresh/writers/opensearch-vector-writer';
import { PgvectorVectorWriter } from '../../pipelines/embedding-refresh/writers/pgvector-vector-writer';
import { VertexVectorWriter } from '../../pipelines/embedding-refresh/writers/vertex-vector-writer';

const LAMBDA = { AWS_REGION: 'us-east-1', EMBEDDER_ENDPOINT_NAME: 'news-dev-embedder', EMBEDDER_MAX_BATCH: '10', VECTOR_DIMENSIONS: '768' };
const FUNCTION = { VERTEX_API_URL: 'http://127.0.0.1:8780', EMBEDDER_ENDPOINT: 'projects/p/locations/us-central1/endpoints/1', EMBEDDER_MAX_BATCH: '10', VECTOR_DIMENSIONS: '768' };

describe('the hosts\' vector writers', () => {
  it('Lambda: OpenSearch for managed, pgvector with IAM auth for pgvector', () => {
    expect(lambdaPorts({ ...LAMBDA, VECTOR_STORE_ENGINE: 'managed', OPENSEARCH_COLLECTION_ENDPOINT: 'https://abc.us-east-1.aoss.amazonaws.com', OPENSEARCH_INDEX: 'embeddings-1a2b3c4d' }).writer).toBeInstanceOf(OpenSearchVectorWriter);
    expect(lambdaPorts({ ...LAMBDA, VECTOR_STORE_ENGINE: 'pgvector', DATABASE_HOST: 'db.example', DATABASE_USER: 'embedding_refresh', DATABASE_PORT: '5433' }).writer).toBeInstanceOf(PgvectorVectorWriter);
    expect(() => lambdaPorts({ ...LAMBDA, VECTOR_STORE_ENGINE: 'managed', OPENSEARCH_COLLECTION_ENDPOINT: 'https://abc.us-east-1.aoss.amazonaws.com' })).toThrow(/OPENSEARCH_INDEX is required for VECTOR_STORE_ENGINE managed/);
  });

  it('Cloud Function: Vector Search for managed, pgvector with IAM auth for pgvector', () => {
    const vertex = { VECTOR_INDEX: 'projects/p/locations/us-central1/indexes/1', VECTOR_INDEX_ENDPOINT: 'projects/p/locations/us-central1/indexEndpoints/2', DEPLOYED_INDEX_ID: 'news_dev_vectors' };
    expect(functionPorts({ ...FUNCTION, VECTOR_STORE_ENGINE: 'managed', ...vertex }).writer).toBeInstanceOf(VertexVectorWriter);
    expect(functionPorts({ ...FUNCTION, VECTOR_STORE_ENGINE: 'pgvector', DATABASE_HOST: '10.0.0.5', DATABASE_USER: 'worker@p.iam' }).writer).toBeInstanceOf(PgvectorVectorWriter);
    expect(() => functionPorts({ ...FUNCTION, VECTOR_STORE_ENGINE: 'managed', VECTOR_INDEX: vertex.VECTOR_INDEX })).toThrow(/VECTOR_INDEX_ENDPOINT is required/);
  });
});
