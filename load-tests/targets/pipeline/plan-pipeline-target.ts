/**
 * `loadtest --target pipeline`: the topology's embedding-refresh pipeline on the cloud `--cloud`
 * names, its source queue and vector store found by the command (pipeline-endpoints.ts). Problems
 * are collected, naming the flag, the value and what is allowed, like the rest of the plan.
 */
import type { ResolvedTopology } from '../../../constructs';
import type { PipelineEndpoints } from './pipeline-endpoints';
import type { PipelineTargetSpec } from './pipeline-target-spec';
import { documentSequence } from './refresh-documents';

/** Distinct documents a run updates unless `--documents` says otherwise. */
export const DEFAULT_PIPELINE_DOCUMENTS = 100;
/**
 * Pause between two k-NN probes of one message: freshness is measured to this resolution, and each
 * message in flight sends the store 1000 / this queries a second.
 */
export const PIPELINE_POLL_INTERVAL_MS = 100;

export interface PipelinePlanInput {
  readonly cloud?: 'aws' | 'gcp';
  readonly documents?: number;
  readonly seed: number;
  readonly endpoints?: PipelineEndpoints;
}

const CLOUDS = 'aws (SQS FIFO → OpenSearch Serverless or pgvector) or gcp (Pub/Sub with ordering keys → Vector Search or pgvector)';

export function planPipelineTarget(input: PipelinePlanInput, topology: ResolvedTopology, maxSockets: number, timeoutMs: number, errors: string[]): PipelineTargetSpec | undefined {
  const pipeline = topology.pipelines.embeddingRefresh;
  const where = `topology ${topology.name}/${topology.environment}`;
  const problems: string[] = [];
  if (!pipeline) problems.push(`--target pipeline: ${where} has no pipelines.embeddingRefresh (allowed: a topology with one; README, "Embedding-refresh pipeline")`);
  const dimensions = topology.vectorStore?.dimensions;
  if (pipeline && dimensions === undefined) problems.push(`--target pipeline: ${where} has no vectorStore for the pipeline to write into`);
  const { endpoints, cloud } = input;
  if (!cloud) problems.push(`--cloud: required with --target pipeline, ${CLOUDS}`);
  if (!endpoints && cloud) problems.push('--endpoint-url: --target pipeline needs the local endpoints (--endpoint-url http://127.0.0.1:8780) or a deployed stack\'s outputs (--stack-outputs FILE)');
  const queue = cloud && endpoints?.queues[cloud];
  const store = cloud && endpoints?.stores[cloud];
  if (pipeline && cloud && endpoints && !queue) {
    const listed = endpoints.queueNames.length ? endpoints.queueNames.join(', ') : 'none';
    problems.push(
      endpoints.flag === '--endpoint-url'
        ? `--endpoint-url: ${endpoints.source} lists no queue "${pipeline.sourceQueue}" (it lists: ${listed}); start \`serving-stacks emulate\` with the topology that has the pipeline`
        : `--stack-outputs ${endpoints.source}: no source queue "${pipeline.sourceQueue}" for ${cloud} (queues in the outputs: ${listed})`,
    );
  }
  if (pipeline && cloud && endpoints && !store) {
    problems.push(
      endpoints.flag === '--endpoint-url'
        ? `--endpoint-url: ${endpoints.source} lists no vector store for ${cloud} (allowed: ${cloud === 'aws' ? 'OpenSearch' : 'Vector Search'} or pgvector)`
        : `--stack-outputs ${endpoints.source}: no managed vector store for ${cloud} (${cloud === 'aws' ? 'VectorCollectionEndpoint and VectorIndexName' : 'vectorStore.indexEndpoint, .deployedIndexId and .address'}); a deployed pgvector store is not load-tested (it needs database credentials)`,
    );
  }
  errors.push(...problems);
  if (problems.length || !pipeline || !cloud || !queue || !store || dimensions === undefined) return undefined;
  const documentCount = input.documents ?? DEFAULT_PIPELINE_DOCUMENTS;
  return {
    kind: 'pipeline',
    cloud,
    queueName: pipeline.sourceQueue,
    queue,
    store,
    dimensions,
    documents: documentSequence(documentCount, input.seed),
    documentCount,
    pollIntervalMs: PIPELINE_POLL_INTERVAL_MS,
    maxSockets,
    timeoutMs,
  };
}
