/**
 * Entry of the embedding-refresh Lambda (bundled by aws/embedding-refresh-function.ts): `handler`
 * builds its clients from the environment on the first batch. `sqsBatchHandler` is exported too, so
 * tests run this exact bundle with in-memory ports.
 */
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { VectorWriter } from '../ports';
import type { RefreshWorkerOptions } from '../refresh-worker';
import { readLambdaEnvironment, type LambdaEnvironment } from './lambda-environment';
import { SageMakerEmbedder } from './sagemaker-embedder';
import { sqsBatchHandler } from './sqs-batch-handler';

export { sqsBatchHandler } from './sqs-batch-handler';

/**
 * The store clients by engine. The OpenSearch (signed `aoss` _search and _bulk) and pgvector (IAM-auth
 * SQL) writers plug in here; until they do, a batch fails with this message rather than pretending.
 */
const vectorWriters: Partial<Record<LambdaEnvironment['VECTOR_STORE_ENGINE'], (env: LambdaEnvironment) => VectorWriter>> = {};

/** The embedder endpoint through the SageMaker Runtime client, which reads AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME itself. */
export function embedderFromEnvironment(env: NodeJS.ProcessEnv): SageMakerEmbedder {
  const settings = readLambdaEnvironment(env);
  const client = new SageMakerRuntimeClient({ region: settings.AWS_REGION, maxAttempts: 3 });
  return new SageMakerEmbedder(client, settings.EMBEDDER_ENDPOINT_NAME, settings.EMBEDDER_MAX_BATCH);
}

export function portsFromEnvironment(env: NodeJS.ProcessEnv): RefreshWorkerOptions {
  const settings = readLambdaEnvironment(env);
  const writerFor = vectorWriters[settings.VECTOR_STORE_ENGINE];
  if (!writerFor) throw new Error(`no vector writer for engine ${settings.VECTOR_STORE_ENGINE} in this build (pipelines/embedding-refresh/lambda/index.ts)`);
  return { embedder: embedderFromEnvironment(env), writer: writerFor(settings), dimensions: settings.VECTOR_DIMENSIONS };
}

export const handler = sqsBatchHandler(() => portsFromEnvironment(process.env));
