/** The pipelines: the embedding-refresh worker's settings, its source queue's delivery attempts and its GCP names. */
import { PIPELINE_LATENCY_ALARM_EVALUATION } from '../alarm-evaluation';
import { gcpEmbeddingRefreshNames } from '../naming';
import type { ParityNote } from '../parity';
import type { ResolvedPipelines } from '../resolved-topology';
import type { Topology } from '../spec/topology-schema';
import type { TopologyNames } from './topology-names';

/** `parity` gains a note where a cloud cannot realise the pipeline as the topology says. */
export function resolvePipelines(topology: Topology, names: TopologyNames, parity: ParityNote[]): ResolvedPipelines {
  const p = topology.pipelines.embeddingRefresh;
  // Validation has checked the references; a topology built without it fails here, not in a back-end.
  const queue = p && topology.queues.find((q) => q.name === p.sourceQueue);
  const store = topology.vectorStore;
  if (!p) return {};
  if (!queue || !store || !topology.endpoints.some((e) => e.name === p.embedder)) {
    throw new Error(`pipelines.embeddingRefresh refers to a queue, endpoint or vector store the topology lacks; validate it with parseTopology first`);
  }
  if (p.batchSize > 1) {
    parity.push({
      path: 'pipelines.embeddingRefresh.batchSize',
      cloud: 'gcp',
      realisedAs: `one message per push request, up to ${p.batchSize} requests at once per function instance (maxInstanceRequestConcurrency); embedding requests carry one text`,
      reason: 'Pub/Sub push delivers one message per request (cloud.google.com/pubsub/docs/push); a pull subscriber would batch but needs an always-on consumer instead of a function',
    });
  }
  return {
    embeddingRefresh: {
      sourceQueue: p.sourceQueue,
      embedder: p.embedder,
      batchSize: p.batchSize,
      concurrency: p.concurrency,
      timeoutSeconds: p.timeoutSeconds,
      memoryMiB: p.memoryMiB,
      maxDeliveryAttempts: queue.maxDeliveryAttempts,
      maxLatencySeconds: p.maxLatencySeconds,
      latencyAlarmEvaluation: PIPELINE_LATENCY_ALARM_EVALUATION,
      messageFormatVersion: p.messageFormatVersion,
      vectorEngine: store.engine,
      gcp: gcpEmbeddingRefreshNames(names.topology, names.environment),
    },
  };
}
