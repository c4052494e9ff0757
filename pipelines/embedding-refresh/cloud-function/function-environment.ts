/**
 * The function's settings, from the environment the Pulumi program sets (gcp/embedding-refresh-pipeline.ts),
 * read once per instance and validated so a misconfigured function fails naming the variable.
 */
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

export const functionEnvironmentSchema = z.object({
  /** Base URL of the Vertex AI API; a loopback URL means the local endpoints. */
  VERTEX_API_URL: z.url(),
  EMBEDDER_ENDPOINT: z.string().regex(/^projects\/[^/]+\/locations\/[^/]+\/endpoints\/[^/]+$/, 'projects/{project}/locations/{region}/endpoints/{id}'),
  EMBEDDER_MAX_BATCH: positiveInt,
  VECTOR_DIMENSIONS: positiveInt,
  VECTOR_STORE_ENGINE: z.enum(['managed', 'pgvector']),
  /** managed: the index datapoints are upserted into, and the deployed index they are read back from. */
  VECTOR_INDEX: z.string().optional(),
  VECTOR_INDEX_ENDPOINT: z.string().optional(),
  DEPLOYED_INDEX_ID: z.string().optional(),
  /** managed: where readIndexDatapoints goes (grpc://<PSC address>:10000 in the VPC). @default VERTEX_API_URL (the local endpoints serve both) */
  VECTOR_MATCH_URL: z.string().regex(/^(grpc|https?):\/\/[^/]+$/, 'grpc://host:port, https://host or http://host:port').optional(),
  /** pgvector: the AlloyDB primary's address and the IAM database user (the function's service account). */
  DATABASE_HOST: z.string().optional(),
  DATABASE_USER: z.string().optional(),
});

export type FunctionEnvironment = z.output<typeof functionEnvironmentSchema>;

export function readFunctionEnvironment(env: NodeJS.ProcessEnv): FunctionEnvironment {
  const parsed = functionEnvironmentSchema.safeParse(env);
  if (!parsed.success) throw new Error(`embedding-refresh function environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
