/**
 * Entry of the embedding-refresh Cloud Function (bundled by gcp/private/function-source.ts): the
 * exported `embeddingRefresh` is the function's entry point, an HTTP function the push subscription
 * calls. `pushHandler` and `embedderFromEnvironment` are exported so tests run this exact bundle with
 * in-memory ports.
 */
import * as aiplatform from '@google-cloud/aiplatform';
import { GoogleAuth } from 'google-auth-library';
import { aiplatformClientOptions } from '../../../load-tests/vertex-api/aiplatform-client-options';
import { isLoopbackUrl } from '../../../load-tests/targets/loopback';
import { Pool } from 'pg';
import { PGVECTOR_DATABASE } from '../../../constructs/pgvector-schema';
import type { VectorWriter } from '../ports';
import { PgvectorVectorWriter } from '../writers/pgvector-vector-writer';
import { VertexVectorWriter } from '../writers/vertex-vector-writer';
import type { RefreshWorkerOptions } from '../refresh-worker';
import { readFunctionEnvironment, type FunctionEnvironment } from './function-environment';
import { pushHandler } from './push-handler';
import { VertexEmbedder } from './vertex-embedder';

export { pushHandler } from './push-handler';



function required(env: FunctionEnvironment, name: keyof FunctionEnvironment): string {
  const value = env[name];
  if (value === undefined) throw new Error(`embedding-refresh function environment: ${name} is required for VECTOR_STORE_ENGINE ${env.VECTOR_STORE_ENGINE}`);
  return String(value);
}

/** The store clients by engine, built once per instance. */
const vectorWriters: Record<FunctionEnvironment['VECTOR_STORE_ENGINE'], (env: FunctionEnvironment) => VectorWriter> = {
  managed: (env) =>
    new VertexVectorWriter(
      new aiplatform.v1.IndexServiceClient(aiplatformClientOptions(env.VERTEX_API_URL)),
      new aiplatform.v1.MatchServiceClient(aiplatformClientOptions(env.VECTOR_MATCH_URL ?? env.VERTEX_API_URL)),
      { index: required(env, 'VECTOR_INDEX'), indexEndpoint: required(env, 'VECTOR_INDEX_ENDPOINT'), deployedIndexId: required(env, 'DEPLOYED_INDEX_ID'), dimensions: env.VECTOR_DIMENSIONS },
    ),
  // AlloyDB with IAM database authentication: the password is the service account's OAuth access token, over TLS.
  pgvector: (env) => {
    const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/alloydb.login'] });
    return new PgvectorVectorWriter(
      new Pool({
        host: required(env, 'DATABASE_HOST'),
        user: required(env, 'DATABASE_USER'),
        database: PGVECTOR_DATABASE,
        // AlloyDB's server certificate is signed by the instance's own CA, not a public one (AlloyDB "Connect with SSL/TLS").
        ssl: { rejectUnauthorized: false },
        password: async () => (await auth.getAccessToken()) ?? '',
        max: 2,
      }),
    );
  },
};

export function embedderFromEnvironment(env: NodeJS.ProcessEnv): VertexEmbedder {
  const settings = readFunctionEnvironment(env);
  const auth = isLoopbackUrl(settings.VERTEX_API_URL) ? undefined : new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  const token = async () => (auth ? ((await auth.getAccessToken()) ?? '') : 'local');
  return new VertexEmbedder(settings.VERTEX_API_URL, settings.EMBEDDER_ENDPOINT, settings.EMBEDDER_MAX_BATCH, token);
}

export function portsFromEnvironment(env: NodeJS.ProcessEnv): RefreshWorkerOptions {
  const settings = readFunctionEnvironment(env);
  return { embedder: embedderFromEnvironment(env), writer: vectorWriters[settings.VECTOR_STORE_ENGINE](settings), dimensions: settings.VECTOR_DIMENSIONS };
}

export const embeddingRefresh = pushHandler(() => portsFromEnvironment(process.env));
