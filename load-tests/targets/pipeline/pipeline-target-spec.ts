/**
 * The embedding-refresh pipeline as a `--target pipeline` run drives it, as plain data so every
 * worker thread builds its own clients: where documents are published (the pipeline's source queue,
 * SQS FIFO or Pub/Sub with ordering keys) and where the load test looks for them (a k-NN query on the
 * topology's vector store).
 */

/** The source queue on AWS: an SQS FIFO queue and its dead-letter queue. */
export interface SqsSourceQueue {
  readonly kind: 'sqs';
  readonly region: string;
  /** @default - the regional SQS endpoint */
  readonly endpointUrl?: string;
  readonly queueUrl: string;
  readonly deadLetterUrl: string;
}

/** The source queue on Google Cloud: a Pub/Sub topic, and the subscription of its dead-letter topic. */
export interface PubsubSourceQueue {
  readonly kind: 'pubsub';
  /** @default - pubsub.googleapis.com (gRPC) */
  readonly apiUrl?: string;
  /** `projects/P/topics/T`. */
  readonly topic: string;
  /** `projects/P/subscriptions/S`. */
  readonly deadLetterSubscription: string;
}

export type PipelineSourceQueue = SqsSourceQueue | PubsubSourceQueue;

/** An OpenSearch Serverless collection's k-NN index, with the fields the pipeline's writer fills. */
export interface OpenSearchSearchStore {
  readonly kind: 'opensearch';
  readonly region: string;
  /** The collection endpoint (`https://{id}.{region}.aoss.amazonaws.com`) or the local store's URL. */
  readonly url: string;
  readonly index: string;
  readonly vectorField: string;
  readonly idField: string;
}

/** A deployed Vector Search index, queried with findNeighbors. */
export interface VertexSearchStore {
  readonly kind: 'vertex';
  /** Where findNeighbors goes: the index endpoint's own address, or the local endpoints. */
  readonly matchUrl: string;
  /** `projects/P/locations/L/indexEndpoints/ID`. */
  readonly indexEndpoint: string;
  readonly deployedIndexId: string;
}

/** A pgvector table (constructs/pgvector-schema.ts), through `pg`. */
export interface PgvectorSearchStore {
  readonly kind: 'pgvector';
  /** A `postgres://` connection string. */
  readonly url: string;
  readonly metric: 'cosine' | 'dot-product' | 'euclidean';
}

export type PipelineSearchStore = OpenSearchSearchStore | VertexSearchStore | PgvectorSearchStore;

export interface PipelineTargetSpec {
  readonly kind: 'pipeline';
  readonly cloud: 'aws' | 'gcp';
  /** The topology's source queue name, for the report. */
  readonly queueName: string;
  readonly queue: PipelineSourceQueue;
  readonly store: PipelineSearchStore;
  /** The store's vector dimensions: the k-NN probe's query vector has as many. */
  readonly dimensions: number;
  /**
   * The document each payload index updates: picks from a bounded, seeded set, so one document gets
   * several versions during a run and their order matters.
   */
  readonly documents: readonly string[];
  /** How many distinct documents `documents` draws from. */
  readonly documentCount: number;
  /** Pause between two k-NN probes of one message: the resolution of its freshness. */
  readonly pollIntervalMs: number;
  /** Sockets each client may open. */
  readonly maxSockets: number;
  /** The generator's per-request timeout, so clients' own deadlines can follow it. */
  readonly timeoutMs: number;
}
