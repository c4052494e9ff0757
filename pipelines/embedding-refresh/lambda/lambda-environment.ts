/**
 * The Lambda's settings, from the environment the stack sets (aws/embedding-refresh-function.ts).
 * Read once per cold start and validated, so a misconfigured function fails with the variable's name.
 * The AWS clients themselves take their endpoints from the SDK's environment (`AWS_ENDPOINT_URL_*`),
 * which is how they reach local endpoints.
 */
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

export const lambdaEnvironmentSchema = z.object({
  AWS_REGION: z.string().min(1),
  EMBEDDER_ENDPOINT_NAME: z.string().min(1).describe('SageMaker endpoint that embeds'),
  EMBEDDER_MAX_BATCH: positiveInt.describe('texts per InvokeEndpoint request'),
  VECTOR_DIMENSIONS: positiveInt.describe('length of the store\'s vectors'),
  VECTOR_STORE_ENGINE: z.enum(['managed', 'pgvector']),
  /** managed: the OpenSearch Serverless collection endpoint and index. */
  OPENSEARCH_COLLECTION_ENDPOINT: z.url().optional(),
  OPENSEARCH_INDEX: z.string().min(1).optional(),
  /** pgvector: the Aurora writer endpoint and the user the worker connects as with IAM authentication. */
  DATABASE_HOST: z.string().min(1).optional(),
  DATABASE_USER: z.string().min(1).optional(),
  DATABASE_PORT: positiveInt.default(5432),
});

export type LambdaEnvironment = z.output<typeof lambdaEnvironmentSchema>;

export function readLambdaEnvironment(env: NodeJS.ProcessEnv): LambdaEnvironment {
  const parsed = lambdaEnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`embedding-refresh function environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
