/**
 * The embedding-refresh pipeline on this machine, against a running `serving-stacks emulate`: the
 * same worker core and vector writers the Lambda and the Cloud Function run, fed from the local
 * queue of one cloud (SQS or Pub/Sub) with the topology's batch size and concurrency, embedding
 * through the local embedder endpoint and writing into the local vector store. Every address comes
 * from the emulator's `GET /emulator`.
 */
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { v1 as aiplatform } from '@google-cloud/aiplatform';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { Pool } from 'pg';
import type { ResolvedTopology } from '../../constructs';
import { VertexEmbedder } from '../../pipelines/embedding-refresh/cloud-function/vertex-embedder';
import { SageMakerEmbedder } from '../../pipelines/embedding-refresh/lambda/sagemaker-embedder';
import type { Embedder, VectorWriter } from '../../pipelines/embedding-refresh/ports';
import { OpenSearchVectorWriter } from '../../pipelines/embedding-refresh/writers/opensearch-vector-writer';
import { PgvectorVectorWriter } from '../../pipelines/embedding-refresh/writers/pgvector-vector-writer';
import { VertexVectorWriter } from '../../pipelines/embedding-refresh/writers/vertex-vector-writer';
import { aiplatformClientOptions } from '../vertex-api/aiplatform-client-options';
import { PubsubConsumer } from './pubsub-consumer';
import type { QueueConsumer } from './queue-consumer';
import { SqsConsumer } from './sqs-consumer';

export type PipelineCloud = 'aws' | 'gcp';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The part of `GET /emulator` the pipeline reads. */
export interface EmulatorListing {
  readonly queues?: readonly {
    readonly name: string;
    readonly sqs: { readonly url: string; readonly deadLetterUrl: string; readonly maxReceiveCount: number };
    readonly pubsub: { readonly topic: string; readonly subscription: string; readonly deadLetterSubscription: string };
  }[];
  readonly vectorStore?: {
    readonly opensearch?: { readonly url: string; readonly index: string; readonly field: string; readonly idField?: string };
    readonly vertex?: { readonly index: string; readonly indexEndpoint: string; readonly deployedIndexId: string };
    readonly pgvector?: { readonly url: string };
  };
}

export class PipelineInputError extends Error {}

export interface LocalPipeline {
  readonly consumer: QueueConsumer;
  readonly embedder: Embedder;
  readonly writer: VectorWriter;
  /** `OpenSearch …`, `pgvector …`: what the run writes into, for the report. */
  readonly store: string;
  close(): Promise<void>;
}

export async function fetchEmulatorListing(url: string): Promise<EmulatorListing> {
  try {
    const response = await fetch(`${url.replace(/\/$/, '')}/emulator`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as EmulatorListing;
  } catch (e) {
    throw new PipelineInputError(`--endpoint-url: no local endpoints answer GET ${url}/emulator (${(e as Error).message}); start them with \`serving-stacks emulate\` for the same topology`);
  }
}

/** The consumer, embedder and writer of `cloud`, from the topology's pipeline and the emulator's listing. */
export function localPipeline(resolved: ResolvedTopology, listing: EmulatorListing, url: string, cloud: PipelineCloud, retryAfterSeconds: number): LocalPipeline {
  const p = resolved.pipelines.embeddingRefresh;
  if (!p) throw new PipelineInputError(`topology ${resolved.name}/${resolved.environment} has no pipelines.embeddingRefresh; add one (README, "Embedding-refresh pipeline") and pass it with --topology`);
  const queue = listing.queues?.find((q) => q.name === p.sourceQueue);
  if (!queue) throw new PipelineInputError(`${url}/emulator lists no queue ${p.sourceQueue}: was \`emulate\` started with the same topology?`);
  const endpoint = resolved.endpoints.find((e) => e.name === p.embedder);
  if (!endpoint) throw new PipelineInputError(`pipelines.embeddingRefresh.embedder: no endpoint ${p.embedder} in the topology`);
  const store = listing.vectorStore ?? {};
  const dimensions = resolved.vectorStore?.dimensions;
  const closers: (() => Promise<void>)[] = [];

  const consumer: QueueConsumer =
    cloud === 'aws'
      ? new SqsConsumer({ endpoint: url, region: resolved.regions.aws, url: queue.sqs.url, deadLetterUrl: queue.sqs.deadLetterUrl }, retryAfterSeconds)
      : new PubsubConsumer({ endpoint: url, subscription: queue.pubsub.subscription, deadLetterSubscription: queue.pubsub.deadLetterSubscription });

  let embedder: Embedder;
  if (cloud === 'aws') {
    const client = new SageMakerRuntimeClient({ region: resolved.regions.aws, endpoint: url, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
    closers.push(async () => client.destroy());
    embedder = new SageMakerEmbedder(client, endpoint.aws.endpointName, p.batchSize);
  } else {
    embedder = new VertexEmbedder(url, `projects/local/locations/${resolved.regions.gcp}/endpoints/${endpoint.name}`, p.batchSize, async () => 'local');
  }

  let writer: VectorWriter;
  let description: string;
  if (store.pgvector) {
    const pool = new Pool({ connectionString: store.pgvector.url, max: p.concurrency });
    closers.push(() => pool.end());
    writer = new PgvectorVectorWriter(pool);
    description = `pgvector ${store.pgvector.url} (pg)`;
  } else if (cloud === 'aws' && store.opensearch) {
    const client = new Client({ ...AwsSigv4Signer({ region: resolved.regions.aws, service: 'aoss', getCredentials: async () => LOCAL_CREDENTIALS }), node: store.opensearch.url });
    closers.push(() => client.close());
    writer = new OpenSearchVectorWriter(client, { index: store.opensearch.index, vectorField: store.opensearch.field });
    description = `OpenSearch Serverless ${store.opensearch.url} index ${store.opensearch.index} (@opensearch-project/opensearch, SigV4 aoss)`;
  } else if (cloud === 'gcp' && store.vertex && dimensions !== undefined) {
    const options = aiplatformClientOptions(url);
    const indexClient = new aiplatform.IndexServiceClient(options);
    const match = new aiplatform.MatchServiceClient(options);
    closers.push(() => indexClient.close(), () => match.close());
    writer = new VertexVectorWriter(indexClient, match, { ...store.vertex, dimensions });
    description = `Vertex AI Vector Search ${store.vertex.index} (@google-cloud/aiplatform, REST fallback)`;
  } else {
    throw new PipelineInputError(`${url}/emulator lists no vector store for ${cloud} (vectorStore: ${JSON.stringify(Object.keys(store))})`);
  }

  return {
    consumer,
    embedder,
    writer,
    store: description,
    close: async () => {
      await consumer.close();
      for (const close of closers) await close();
    },
  };
}
