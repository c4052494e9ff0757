/**
 * The pipeline's source queue and vector store, on this machine or deployed. Local: the `queues`
 * and `vectorStore` entries of `GET /emulator`. Deployed: the stack outputs, `cdk deploy
 * --outputs-file` (`<Queue>QueueUrl`, `<Queue>DeadLetterQueueUrl`, `VectorCollectionEndpoint`,
 * `VectorIndexName`) or `pulumi stack output --json` (`queues.<name>.topic`,
 * `.deadLetterSubscription`, `vectorStore.indexEndpoint`, `.deployedIndexId`, `.address`). Deployed
 * stores are private (a VPC endpoint; a Private Service Connect address), so a deployed run starts
 * inside the VPC. A deployed pgvector store needs database credentials the load test does not take:
 * it is found locally only.
 */
import { pascalCase } from '../../../aws/private/construct-ids';
import type { ResolvedTopology } from '../../../constructs';
import type { EmulatorListing } from '../../pipeline/local-pipeline';
import type { PipelineEndpoints } from './pipeline-endpoints';
import type { PipelineSearchStore } from './pipeline-target-spec';

/** Vector Search serves findNeighbors over gRPC on port 10000 of a PSC address (https://cloud.google.com/vertex-ai/docs/vector-search/query-index-vpc). */
const VECTOR_SEARCH_PSC_PORT = 10_000;
/** The project in local Pub/Sub and Vertex resource names: the local endpoints serve any. */
const LOCAL_PROJECT = 'local';

export function pipelineEndpointsFromEmulator(url: string, listing: EmulatorListing, topology: ResolvedTopology): PipelineEndpoints {
  const base = url.replace(/\/$/, '');
  const name = topology.pipelines.embeddingRefresh?.sourceQueue;
  const queue = listing.queues?.find((q) => q.name === name);
  const store = listing.vectorStore ?? {};
  const metric = topology.vectorStore?.metric ?? 'cosine';
  const pgvector: PipelineSearchStore | undefined = store.pgvector ? { kind: 'pgvector', url: store.pgvector.url, metric } : undefined;
  return {
    flag: '--endpoint-url',
    source: `${base}/emulator`,
    queueNames: (listing.queues ?? []).map((q) => q.name),
    queues: queue
      ? {
          aws: { kind: 'sqs', region: topology.regions.aws, endpointUrl: base, queueUrl: queue.sqs.url, deadLetterUrl: queue.sqs.deadLetterUrl },
          gcp: {
            kind: 'pubsub',
            apiUrl: base,
            topic: `projects/${LOCAL_PROJECT}/topics/${queue.pubsub.topic}`,
            deadLetterSubscription: `projects/${LOCAL_PROJECT}/subscriptions/${queue.pubsub.deadLetterSubscription}`,
          },
        }
      : {},
    stores: {
      aws:
        pgvector ??
        (store.opensearch
          ? { kind: 'opensearch', region: topology.regions.aws, url: store.opensearch.url, index: store.opensearch.index, vectorField: store.opensearch.field, idField: store.opensearch.idField ?? 'id' }
          : undefined),
      gcp: pgvector ?? (store.vertex ? { kind: 'vertex', matchUrl: base, indexEndpoint: store.vertex.indexEndpoint, deployedIndexId: store.vertex.deployedIndexId } : undefined),
    },
  };
}

/** The outputs of `cdk deploy --outputs-file` (by stack) or of `pulumi stack output --json`. */
export function pipelineEndpointsFromOutputs(outputs: unknown, cloud: 'aws' | 'gcp', topology: ResolvedTopology, file: string): PipelineEndpoints {
  const record = asRecord(outputs);
  const name = topology.pipelines.embeddingRefresh?.sourceQueue ?? '';
  const found = { flag: '--stack-outputs' as const, source: file };
  if (cloud === 'aws') {
    // cdk-outputs.json holds one object per stack; the serving stack names each queue's outputs after it (aws/serving-stack.ts).
    const stacks = Object.values(record).map(asRecord);
    const queueKey = `${pascalCase(name)}QueueUrl`;
    const deadLetterKey = `${pascalCase(name)}DeadLetterQueueUrl`;
    const stack = stacks.find((s) => typeof s[queueKey] === 'string' && typeof s[deadLetterKey] === 'string');
    const queueNames = stacks.flatMap((s) => Object.keys(s).filter((k) => k.endsWith('QueueUrl') && !k.endsWith('DeadLetterQueueUrl')));
    const collection = stacks.find((s) => typeof s.VectorCollectionEndpoint === 'string' && typeof s.VectorIndexName === 'string');
    return {
      ...found,
      queueNames,
      queues: stack ? { aws: { kind: 'sqs', region: topology.regions.aws, queueUrl: String(stack[queueKey]), deadLetterUrl: String(stack[deadLetterKey]) } } : {},
      stores: collection
        ? { aws: { kind: 'opensearch', region: topology.regions.aws, url: String(collection.VectorCollectionEndpoint), index: String(collection.VectorIndexName), vectorField: 'embedding', idField: 'id' } }
        : {},
    };
  }
  const queues = asRecord(record.queues);
  const queue = asRecord(queues[name]);
  const store = asRecord(record.vectorStore);
  const managed = typeof store.indexEndpoint === 'string' && typeof store.deployedIndexId === 'string' && typeof store.address === 'string';
  return {
    ...found,
    queueNames: Object.keys(queues),
    queues: typeof queue.topic === 'string' && typeof queue.deadLetterSubscription === 'string' ? { gcp: { kind: 'pubsub', topic: queue.topic, deadLetterSubscription: queue.deadLetterSubscription } } : {},
    stores: managed
      ? { gcp: { kind: 'vertex', matchUrl: `grpc://${String(store.address)}:${VECTOR_SEARCH_PSC_PORT}`, indexEndpoint: String(store.indexEndpoint), deployedIndexId: String(store.deployedIndexId) } }
      : {},
  };
}

function asRecord(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}
