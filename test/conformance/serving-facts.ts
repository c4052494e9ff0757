/**
 * `ServingFacts`: what one cloud's output says a topology deploys, in the spec's vocabulary. The
 * AWS extractor reads a CloudFormation template, the GCP extractor the inputs of the mocked Pulumi
 * program; neither reads the ResolvedTopology, so comparing two of these compares the clouds.
 */
import type { AcceleratorType, EndpointMode, ScalingMetric } from '../../constructs';

export type Cloud = 'aws' | 'gcp';

export interface ServingFacts {
  readonly cloud: Cloud;
  /** By endpoint name: the cloud's endpoint name without the `<topology>-<environment>-` prefix. */
  readonly endpoints: Readonly<Record<string, EndpointFacts>>;
  /** By queue name: the cloud's queue (topic) name without the prefix. */
  readonly queues: Readonly<Record<string, QueueFacts>>;
  readonly featureCache?: CacheFacts;
  readonly vectorStore?: VectorStoreFacts;
  /** By pipeline name in the spec (`pipelines.<name>`): the workers fed by a queue. */
  readonly pipelines: Readonly<Record<string, PipelineFacts>>;
  readonly network: NetworkFacts;
  /** Every resource that holds data, and what encrypts it. */
  readonly dataAtRest: readonly EncryptedResource[];
  /** Every resource that decides who can reach serving or data over the network. */
  readonly reachability: readonly ReachableResource[];
  /** Resource types the extractor cannot place: each must be classified before its facts can be trusted. */
  readonly unclassified: readonly string[];
}

export interface EndpointFacts {
  readonly mode: EndpointMode;
  /** By variant name. */
  readonly variants: Readonly<Record<string, VariantFacts>>;
}

export interface VariantFacts {
  /** Percent of the endpoint's traffic. */
  readonly weight: number;
  /** Replica bounds and the replicas a deployment starts with; undefined without dedicated instances. */
  readonly replicas?: { readonly min: number; readonly max: number; readonly initial: number };
  readonly accelerator: { readonly type: AcceleratorType | `unknown ${string}`; readonly count: number };
  /** Autoscaling targets per replica, sorted by metric; empty without dedicated instances. */
  readonly scalingTargets: readonly ScalingTarget[];
}

/**
 * A target per replica: invocations per minute, in-flight requests, or utilisation percent of one
 * replica (SageMaker sums CPU and GPU utilisation over cores and GPUs; extractors divide that out).
 */
export interface ScalingTarget {
  readonly metric: ScalingMetric;
  readonly value: number;
}

export interface QueueFacts {
  /** Deliveries before a message is dead-lettered; undefined when nothing dead-letters. */
  readonly maxDeliveryAttempts?: number;
  /** Where dead letters go; undefined when there is no dead-letter destination. */
  readonly deadLetter?: {
    /** Dead letters wait somewhere a consumer can read them (an SQS queue; a subscription on the dead-letter topic). */
    readonly retained: boolean;
    /** The service is allowed to move messages there (Pub/Sub's service agent needs grants; SQS redrive does not). */
    readonly permitted: boolean;
  };
  readonly ackTimeoutSeconds: number;
  readonly retentionHours: number;
}

export interface CacheFacts {
  readonly engine: 'valkey' | 'redis';
  /** serverless: the service sizes and replicates itself; nodes: provisioned nodes with replicas. */
  readonly deployment: 'serverless' | 'nodes';
  /** Replicas per shard; undefined when the service manages replication (serverless). */
  readonly replicas?: number;
  readonly multiZone: boolean;
}

export interface VectorStoreFacts {
  readonly engine: 'managed' | 'pgvector';
  /** Undefined when the cloud's output does not carry the index schema (pgvector: the application's migrations). */
  readonly dimensions?: number;
  readonly metric?: 'cosine' | 'dot-product' | 'euclidean';
}

/**
 * A queue-fed worker (the embedding refresh): what invokes it, how much at once, what its identity
 * may reach, and what watches it. Encryption and egress are in `dataAtRest` and `reachability`
 * under the component `pipeline:<name>`.
 */
export interface PipelineFacts {
  /**
   * What may invoke the worker, sorted: `queue:<name>` for a queue that delivers to it (an event
   * source mapping; a push subscription whose identity may invoke the function), anything else as
   * the principal or member the cloud names.
   */
  readonly triggers: readonly string[];
  /** Messages with one key are delivered one at a time, in order: an SQS FIFO queue (message group id) ⇔ a subscription with message ordering. */
  readonly ordered: boolean;
  /** Messages one invocation receives (event source mapping BatchSize; a push request carries one). */
  readonly batchSize: number;
  /** Messages one worker instance handles at once (one batch per Lambda invocation; maxInstanceRequestConcurrency push requests). */
  readonly messagesPerInstance: number;
  /** Instances at once, at most; undefined when nothing bounds them. */
  readonly maxInstances?: number;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  /** Deliveries of a message to the worker before it is dead-lettered (the trigger queue's redrive ⇔ the push subscription's dead-letter policy). */
  readonly maxDeliveryAttempts?: number;
  /**
   * What the worker's identity may do beyond consuming its trigger and writing its own logs and
   * network interfaces, sorted: `invoke endpoint:<name>`, `write vectorStore`, or the cloud's own
   * words for anything else (which is then a difference).
   */
  readonly grants: readonly string[];
  /** Alarm thresholds that notify someone: age of the oldest undelivered message (s), dead letters waiting (count). */
  readonly alarms: { readonly oldestMessageAgeSeconds?: number; readonly deadLetters?: number };
}

export interface NetworkFacts {
  /** True when the stack creates its network; false when it joins an existing one. */
  readonly createdByStack: boolean;
}

/**
 * The part of the topology a resource belongs to: `endpoint:<name>`, `queue:<name>`,
 * `featureCache`, `vectorStore`, `pipeline:<name in pipelines>`, `monitoring`, `network`, or `shared`
 * (serves several).
 */
export type Component = `endpoint:${string}` | `queue:${string}` | `pipeline:${string}` | 'featureCache' | 'vectorStore' | 'monitoring' | 'network' | 'shared';

export interface EncryptedResource {
  readonly component: Component;
  /** Cloud type and name, for messages. */
  readonly resource: string;
  /** Encrypted with a key this deployment manages and rotates. */
  readonly customerManaged: boolean;
  /** Why a customer-managed key is not possible here, with the source; only set when `customerManaged` is false. */
  readonly exemption?: string;
  /** The key, or what is wrong. */
  readonly detail: string;
}

export interface ReachableResource {
  readonly component: Component;
  readonly resource: string;
  readonly private: boolean;
  /** How it is (or is not) private. */
  readonly detail: string;
}
