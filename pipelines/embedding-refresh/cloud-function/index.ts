/**
 * Entry of the embedding-refresh Cloud Function (bundled by gcp/private/function-source.ts): the
 * exported `embeddingRefresh` is the function's entry point, an HTTP function the push subscription
 * calls. `pushHandler` and `embedderFromEnvironment` are exported so tests run this exact bundle with
 * in-memory ports.
 */
import * as aiplatform from '@google-cloud/aiplatform';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { grpc } from 'google-gax';
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

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

type ClientOptions = NonNullable<ConstructorParameters<typeof aiplatform.v1.IndexServiceClient>[0]>;

function required(env: FunctionEnvironment, name: keyof FunctionEnvironment): string {
  const value = env[name];
  if (value === undefined) throw new Error(`embedding-refresh function environment: ${name} is required for VECTOR_STORE_ENGINE ${env.VECTOR_STORE_ENGINE}`);
  return String(value);
}

/**
 * aiplatform client options for a base URL: REST fallback over HTTP(S) (a loopback URL takes any
 * token), or plain-text gRPC to a PSC address, as Google's PSC query samples do
 * (https://cloud.google.com/vertex-ai/docs/vector-search/query-index-vpc).
 */
function aiplatformOptions(base: string): ClientOptions {
  const url = new URL(base);
  if (url.protocol === 'grpc:') {
    // google-gax is the aiplatform client's own transport (one copy in this tree), imported so the bundle carries it.
    return { apiEndpoint: url.hostname, port: Number(url.port), fallback: false, sslCreds: grpc.credentials.createInsecure() as ClientOptions['sslCreds'] };
  }
  let authClient: OAuth2Client | undefined;
  if (LOOPBACK.test(url.href)) {
    authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 24 * 3600_000 });
  }
  return {
    apiEndpoint: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol.replace(':', ''),
    fallback: true,
    // google-gax pins its own copy of google-auth-library, whose types differ only nominally from ours.
    authClient: authClient as unknown as ClientOptions['authClient'],
  };
}

/** The store clients by engine, built once per instance. */
const vectorWriters: Record<FunctionEnvironment['VECTOR_STORE_ENGINE'], (env: FunctionEnvironment) => VectorWriter> = {
  managed: (env) =>
    new VertexVectorWriter(
      new aiplatform.v1.IndexServiceClient(aiplatformOptions(env.VERTEX_API_URL)),
      new aiplatform.v1.MatchServiceClient(aiplatformOptions(env.VECTOR_MATCH_URL ?? env.VERTEX_API_URL)),
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
  const auth = LOOPBACK.test(settings.VERTEX_API_URL) ? undefined : new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  const token = async () => (auth ? ((await auth.getAccessToken()) ?? '') : 'local');
  return new VertexEmbedder(settings.VERTEX_API_URL, settings.EMBEDDER_ENDPOINT, settings.EMBEDDER_MAX_BATCH, token);
}

export function portsFromEnvironment(env: NodeJS.ProcessEnv): RefreshWorkerOptions {
  const settings = readFunctionEnvironment(env);
  return { embedder: embedderFromEnvironment(env), writer: vectorWriters[settings.VECTOR_STORE_ENGINE](settings), dimensions: settings.VECTOR_DIMENSIONS };
}

export const embeddingRefresh = pushHandler(() => portsFromEnvironment(process.env));
