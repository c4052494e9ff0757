/**
 * Entry of the embedding-refresh Lambda (bundled by aws/embedding-refresh-function.ts): `handler`
 * builds its clients from the environment on the first batch. `sqsBatchHandler` is exported too, so
 * tests run this exact bundle with in-memory ports.
 */
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Signer } from '@aws-sdk/rds-signer';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { Pool } from 'pg';
import { PGVECTOR_DATABASE } from '../../../constructs/pgvector-schema';
import type { VectorWriter } from '../ports';
import { OpenSearchVectorWriter } from '../writers/opensearch-vector-writer';
import { PgvectorVectorWriter } from '../writers/pgvector-vector-writer';
import type { RefreshWorkerOptions } from '../refresh-worker';
import { readLambdaEnvironment, type LambdaEnvironment } from './lambda-environment';
import { SageMakerEmbedder } from './sagemaker-embedder';
import { sqsBatchHandler } from './sqs-batch-handler';

export { sqsBatchHandler } from './sqs-batch-handler';

/** A setting the engine needs, or an error naming it. */
function required(env: LambdaEnvironment, name: keyof LambdaEnvironment): string {
  const value = env[name];
  if (value === undefined) throw new Error(`embedding-refresh function environment: ${name} is required for VECTOR_STORE_ENGINE ${env.VECTOR_STORE_ENGINE}`);
  return String(value);
}

/** The store clients by engine, built once per cold start. */
const vectorWriters: Record<LambdaEnvironment['VECTOR_STORE_ENGINE'], (env: LambdaEnvironment) => VectorWriter> = {
  // The collection, signed for `aoss` with the function role's credentials.
  managed: (env) =>
    new OpenSearchVectorWriter(
      new Client({ ...AwsSigv4Signer({ region: env.AWS_REGION, service: 'aoss', getCredentials: defaultProvider() }), node: required(env, 'OPENSEARCH_COLLECTION_ENDPOINT') }),
      { index: required(env, 'OPENSEARCH_INDEX') },
    ),
  // Aurora with IAM database authentication: the password is a fresh 15-minute token per connection, over TLS.
  pgvector: (env) => {
    const host = required(env, 'DATABASE_HOST');
    const user = required(env, 'DATABASE_USER');
    const signer = new Signer({ hostname: host, port: env.DATABASE_PORT, username: user, region: env.AWS_REGION });
    return new PgvectorVectorWriter(
      new Pool({ host, port: env.DATABASE_PORT, user, database: PGVECTOR_DATABASE, ssl: { rejectUnauthorized: true }, password: () => signer.getAuthToken(), max: 2 }),
    );
  },
};

/** The embedder endpoint through the SageMaker Runtime client, which reads AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME itself. */
export function embedderFromEnvironment(env: NodeJS.ProcessEnv): SageMakerEmbedder {
  const settings = readLambdaEnvironment(env);
  const client = new SageMakerRuntimeClient({ region: settings.AWS_REGION, maxAttempts: 3 });
  return new SageMakerEmbedder(client, settings.EMBEDDER_ENDPOINT_NAME, settings.EMBEDDER_MAX_BATCH);
}

export function portsFromEnvironment(env: NodeJS.ProcessEnv): RefreshWorkerOptions {
  const settings = readLambdaEnvironment(env);
  return { embedder: embedderFromEnvironment(env), writer: vectorWriters[settings.VECTOR_STORE_ENGINE](settings), dimensions: settings.VECTOR_DIMENSIONS };
}

export const handler = sqsBatchHandler(() => portsFromEnvironment(process.env));
