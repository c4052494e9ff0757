/**
 * Pipelines: code the topology runs between its parts. Today one, the embedding refresh: documents
 * enqueued on a queue are embedded by an endpoint and written into the vector store, on both clouds
 * from the same settings (Lambda + SQS on AWS, Cloud Functions + Pub/Sub on GCP).
 *
 * Ranges are the intersection of what both hosts accept (sources beside each field).
 */
import { z } from 'zod';

/** Message format versions the worker reads (pipelines/EMBEDDING-REFRESH-FORMAT.md). */
export const EMBEDDING_REFRESH_FORMAT_VERSIONS = [1] as const;

/**
 * SQS FIFO event source mappings take at most 10 messages a batch (Lambda developer guide, "Using
 * Lambda with Amazon SQS", BatchSize); the source queue is FIFO so that each document's messages
 * are handled one at a time.
 */
export const EMBEDDING_REFRESH_MAX_BATCH = 10;

/**
 * Lambda: keep the queue's visibility timeout at least six times the function timeout (Lambda
 * developer guide, "Configuring an SQS event source mapping": visibility timeout), so a throttled
 * batch is retried before the message reappears.
 */
export const VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT = 6;

export const embeddingRefreshSchema = z.strictObject({
  sourceQueue: z
    .string()
    .describe('Name of the queue (queues[].name) the documents to embed arrive on; its purpose must be embedding-refresh. It becomes ordered: an SQS FIFO queue grouped by document id, a Pub/Sub subscription with ordering keys.'),
  embedder: z
    .string()
    .describe('Name of the endpoint (endpoints[].name) that embeds the documents: realtime or serverless (the worker waits for the vectors, so not async).'),
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(EMBEDDING_REFRESH_MAX_BATCH)
    .default(10)
    .describe(
      'Messages a worker invocation takes at once and embeds in one request (Lambda event source mapping BatchSize, at most 10 for FIFO queues; on GCP the requests one function instance serves at once).',
    ),
  concurrency: z
    .number()
    .int()
    .min(2)
    .max(1000)
    .default(5)
    .describe(
      'Worker invocations at once, at most: Lambda reserved concurrency and the event source mapping\'s maximum concurrency (2–1000), Cloud Functions max instances. Bounds the load on the embedder and the vector store.',
    ),
  timeoutSeconds: z
    .number()
    .int()
    .min(3)
    .max(600)
    .default(30)
    .describe(
      `Seconds one invocation may run (Lambda timeout, Cloud Functions timeout). The source queue\'s ackTimeoutSeconds must be at least ${VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT} times this (AWS guidance for SQS event sources).`,
    ),
  memoryMiB: z
    .number()
    .int()
    .min(256)
    .max(8192)
    .default(512)
    .describe('Memory of the worker, MiB (Lambda MemorySize 128–10240, Cloud Functions availableMemory); the worker holds one batch of texts and vectors.'),
  maxLatencySeconds: z
    .number()
    .int()
    .min(10)
    .max(86_400)
    .default(60)
    .describe(
      'The pipeline\'s SLO: seconds from enqueue until the new version is searchable. An alarm fires when the oldest waiting message is older (SQS ApproximateAgeOfOldestMessage, Pub/Sub oldest_unacked_message_age).',
    ),
  messageFormatVersion: z
    .literal(EMBEDDING_REFRESH_FORMAT_VERSIONS)
    .default(1)
    .describe('Version of the message format producers write (pipelines/EMBEDDING-REFRESH-FORMAT.md); the worker rejects other versions as poison.'),
});

export const pipelinesSchema = z.strictObject({
  embeddingRefresh: embeddingRefreshSchema
    .optional()
    .describe('Re-embeds documents enqueued on a queue and writes them into the vector store, idempotent by document id and version. When unset: no pipeline.'),
});

export type EmbeddingRefreshSpec = z.output<typeof embeddingRefreshSchema>;
export type PipelinesSpec = z.output<typeof pipelinesSchema>;

/** The parts of a topology a pipeline refers to. */
interface PipelineReferences {
  readonly endpoints: readonly { readonly name: string; readonly mode: string }[];
  readonly queues: readonly { readonly name: string; readonly purpose: string; readonly ackTimeoutSeconds: number }[];
  readonly vectorStore?: unknown;
  readonly pipelines: PipelinesSpec;
}

export interface PipelineProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** Every reference of the pipelines that does not hold: unknown queue or endpoint, wrong kind, no vector store. */
export function pipelineProblems(t: PipelineReferences): PipelineProblem[] {
  const p = t.pipelines.embeddingRefresh;
  if (!p) return [];
  const at = (field: string) => ['pipelines', 'embeddingRefresh', field];
  const problems: PipelineProblem[] = [];
  const queue = t.queues.find((q) => q.name === p.sourceQueue);
  if (!queue) {
    problems.push({ path: at('sourceQueue'), message: `no queue named "${p.sourceQueue}"; allowed: ${namesOrNone(t.queues)}` });
  } else {
    if (queue.purpose !== 'embedding-refresh') {
      problems.push({ path: at('sourceQueue'), message: `queue "${queue.name}" has purpose ${queue.purpose}; the pipeline reads a queue with purpose embedding-refresh` });
    }
    const needed = p.timeoutSeconds * VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT;
    if (queue.ackTimeoutSeconds < needed) {
      problems.push({
        path: at('timeoutSeconds'),
        message: `${p.timeoutSeconds} s needs queue "${queue.name}" ackTimeoutSeconds >= ${needed} (${VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT} × timeout), got ${queue.ackTimeoutSeconds}; lower timeoutSeconds to at most ${Math.floor(queue.ackTimeoutSeconds / VISIBILITY_TIMEOUT_PER_FUNCTION_TIMEOUT)} or raise the queue's ackTimeoutSeconds`,
      });
    }
  }
  const endpoint = t.endpoints.find((e) => e.name === p.embedder);
  if (!endpoint) {
    problems.push({ path: at('embedder'), message: `no endpoint named "${p.embedder}"; allowed: ${namesOrNone(t.endpoints)}` });
  } else if (endpoint.mode === 'async') {
    problems.push({ path: at('embedder'), message: `endpoint "${endpoint.name}" is async; the worker waits for the vectors, so the embedder must be realtime or serverless` });
  }
  if (t.vectorStore === undefined) {
    problems.push({ path: ['pipelines', 'embeddingRefresh'], message: 'the pipeline writes into the vector store, and the topology has none: add vectorStore' });
  }
  return problems;
}

function namesOrNone(items: readonly { readonly name: string }[]): string {
  return items.length === 0 ? 'none defined' : items.map((i) => i.name).join(', ');
}
