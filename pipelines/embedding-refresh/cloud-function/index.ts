/**
 * Entry of the embedding-refresh Cloud Function (bundled by gcp/private/function-source.ts): the
 * exported `embeddingRefresh` is the function's entry point, an HTTP function the push subscription
 * calls. `pushHandler` and `embedderFromEnvironment` are exported so tests run this exact bundle with
 * in-memory ports.
 */
import { GoogleAuth } from 'google-auth-library';
import type { VectorWriter } from '../ports';
import type { RefreshWorkerOptions } from '../refresh-worker';
import { readFunctionEnvironment, type FunctionEnvironment } from './function-environment';
import { pushHandler } from './push-handler';
import { VertexEmbedder } from './vertex-embedder';

export { pushHandler } from './push-handler';

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

/**
 * The store clients by engine. The Vector Search (upsertDatapoints / readIndexDatapoints) and AlloyDB
 * (IAM-auth SQL) writers plug in here; until they do, a message fails with this message rather than pretending.
 */
const vectorWriters: Partial<Record<FunctionEnvironment['VECTOR_STORE_ENGINE'], (env: FunctionEnvironment) => VectorWriter>> = {};

export function embedderFromEnvironment(env: NodeJS.ProcessEnv): VertexEmbedder {
  const settings = readFunctionEnvironment(env);
  const auth = LOOPBACK.test(settings.VERTEX_API_URL) ? undefined : new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  const token = async () => (auth ? ((await auth.getAccessToken()) ?? '') : 'local');
  return new VertexEmbedder(settings.VERTEX_API_URL, settings.EMBEDDER_ENDPOINT, settings.EMBEDDER_MAX_BATCH, token);
}

export function portsFromEnvironment(env: NodeJS.ProcessEnv): RefreshWorkerOptions {
  const settings = readFunctionEnvironment(env);
  const writerFor = vectorWriters[settings.VECTOR_STORE_ENGINE];
  if (!writerFor) throw new Error(`no vector writer for engine ${settings.VECTOR_STORE_ENGINE} in this build (pipelines/embedding-refresh/cloud-function/index.ts)`);
  return { embedder: embedderFromEnvironment(env), writer: writerFor(settings), dimensions: settings.VECTOR_DIMENSIONS };
}

export const embeddingRefresh = pushHandler(() => portsFromEnvironment(process.env));
