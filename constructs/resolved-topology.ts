/**
 * The resolved topology: every decision both back-ends need, made once. The AWS stack, the
 * GCP program, the emulator, the simulator and the cost model all read this; none re-derives
 * a decision made here.
 */
import type { AlarmEvaluation } from './alarm-evaluation';
import type { InstanceShape, ShapeRequest, VertexAcceleratorType } from './catalog/instance-shapes';
import type { ParityNote } from './parity';
import type { EndpointMode, ModelSpec, QueuePurpose, RolloutStrategy, ScalingMetric } from './spec/topology-schema';

export interface ResolvedTopology {
  readonly name: string;
  readonly environment: string;
  /** Production guardrails: replica floors, guarded rollouts, retained and protected data. */
  readonly production: boolean;
  readonly regions: { readonly aws: string; readonly gcp: string };
  /** User tags plus `app`, `environment` and `managed-by`; valid as AWS tags and GCP labels. */
  readonly tags: Readonly<Record<string, string>>;
  readonly endpoints: readonly ResolvedEndpoint[];
  readonly featureCache?: ResolvedFeatureCache;
  readonly vectorStore?: ResolvedVectorStore;
  readonly queues: readonly ResolvedQueue[];
  readonly pipelines: ResolvedPipelines;
  readonly network: ResolvedNetwork;
  readonly monitoring: {
    readonly alarmEmails: readonly string[];
    readonly gcp: { readonly alertsTopicName: string; readonly keyName: string };
  };
  /** Stateful resources (cache, vector store, keys, dead-letter queues) survive delete and replacement. */
  readonly retainData: boolean;
  /** Service-side deletion protection where a service has it. */
  readonly deletionProtection: boolean;
  readonly parity: readonly ParityNote[];
}

export interface ResolvedEndpoint {
  readonly name: string;
  readonly mode: EndpointMode;
  readonly slo: { readonly p99Ms: number; readonly errorRate: number };
  readonly dataCapture?: { readonly samplingPercent: number };
  /** The traffic the topology expects (`traffic.peakRequestsPerSecond`), when it states it. */
  readonly traffic?: { readonly peakRequestsPerSecond: number };
  /** Replica bounds of every variant (each variant scales on its own, on both clouds). */
  readonly scaling: ResolvedScaling;
  readonly rollout: ResolvedRollout;
  readonly variants: readonly ResolvedVariant[];
  /** Service-time model of one replica of the first variant's shape. */
  readonly performance: ReplicaPerformance;
  readonly serverless?: { readonly memoryGiB: number; readonly maxConcurrency: number };
  /** The instance pool the endpoint shares (`sharing`); undefined when it has its own instances. */
  readonly sharing?: ResolvedSharing;
  /** When the latency and error-rate alarms fire, on both clouds. */
  readonly alarmEvaluation: AlarmEvaluation;
  readonly aws: AwsEndpointPlan;
  readonly gcp: GcpEndpointPlan;
}

export interface ResolvedScaling {
  readonly min: number;
  readonly max: number;
  readonly target: { readonly metric: ScalingMetric; readonly value: number };
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
  readonly maxRequestsPerSecondPerReplica?: number;
  /** At min 0: seconds without traffic before the endpoint scales in to zero (`scaling.idleSeconds`, default 3600). */
  readonly idleSeconds?: number;
}

/** An endpoint placed on an instance pool shared with other endpoints (`sharing`). */
export interface ResolvedSharing {
  readonly pool: string;
  /** What one copy of the model takes of a pool instance. */
  readonly copy: { readonly acceleratorCount: number; readonly memoryGiB: number; readonly cpus: number };
  /** Every endpoint of the pool, this one included, in topology order. */
  readonly members: readonly string[];
}

export interface ResolvedRollout {
  readonly strategy: RolloutStrategy;
  readonly stepPercent: number;
  readonly bakeSeconds: number;
  readonly autoRollback: boolean;
}

export interface ReplicaPerformance {
  /** Median service time of one request on one replica, in milliseconds. */
  readonly serviceTimeMs: number;
  /** Requests one replica works on at once; more wait in its queue. */
  readonly concurrencyPerReplica: number;
}

export interface ResolvedVariant {
  readonly name: string;
  /** Percent of the endpoint's traffic. */
  readonly weight: number;
  readonly model: ModelSpec;
  /** The compute request as the spec states it (no accelerator: count 0) and its path, e.g. `endpoints[1].compute`. */
  readonly requested: ShapeRequest & { readonly path: string };
  readonly shape: InstanceShape;
  readonly performance: ReplicaPerformance;
  readonly aws: {
    readonly variantName: string;
    readonly instanceType: string;
    readonly localNvme: boolean;
    /**
     * Target tracking value for this variant. Equal to the endpoint's target except for CPU and GPU
     * utilisation, which SageMaker sums over the variant's cores or GPUs.
     */
    readonly scalingTargetValue: number;
  };
  readonly gcp: {
    readonly displayName: string;
    readonly machineType: string;
    readonly acceleratorType?: VertexAcceleratorType | string;
    readonly acceleratorCount: number;
  };
}

export type SageMakerPredefinedMetric =
  | 'SageMakerVariantInvocationsPerInstance'
  | 'SageMakerVariantConcurrentRequestsPerModelHighResolution';

export interface AwsEndpointPlan {
  /**
   * The endpoint name clients and load tests address; it changes only with the endpoint's mode or its
   * set of variant names (see `awsEndpointName`). Config and model names are generated.
   */
  readonly endpointName: string;
  /**
   * Target tracking: a predefined metric, an endpoint-instance metric in `/aws/sagemaker/Endpoints`, or
   * (async endpoints) the endpoint's queue per instance in `AWS/SageMaker`; each variant's target value
   * is its `aws.scalingTargetValue`.
   */
  readonly scalingMetric:
    | { readonly kind: 'predefined'; readonly metric: SageMakerPredefinedMetric }
    | { readonly kind: 'instance'; readonly metricName: 'CPUUtilization' | 'GPUUtilization' }
    | { readonly kind: 'async-backlog'; readonly metricName: 'ApproximateBacklogSizePerInstance' };
  /** Blue/green traffic routing (serverless variants: all at once, with the bake and alarm rollback). */
  readonly deployment: {
    readonly trafficRouting: 'ALL_AT_ONCE' | 'CANARY' | 'LINEAR';
    readonly stepPercent: number;
    readonly waitIntervalSeconds: number;
    /** Whole-update budget; SageMaker allows 600–28800 s. */
    readonly maximumExecutionTimeoutSeconds: number;
    readonly terminationWaitSeconds: number;
    readonly autoRollback: boolean;
  };
  /** False when a variant runs on local-NVMe instances, which reject an EndpointConfig KmsKeyId. */
  readonly volumeKms: boolean;
  /**
   * Hosting through an inference component (an endpoint at min 0, or one sharing a pool): the model is
   * a component of the pool's endpoint `endpointName`, scaled by copies, and the endpoint's instances
   * by SageMaker managed instance scaling. Undefined: the model is a production variant.
   */
  readonly inferenceComponent?: AwsInferenceComponentPlan;
}

export interface AwsInferenceComponentPlan {
  /** Clients name it beside the endpoint (InvokeEndpoint InferenceComponentName). */
  readonly componentName: string;
  /** The pool: the endpoint's own name when it shares no pool. */
  readonly pool: string;
  /** InferenceComponentComputeResourceRequirements of one copy. */
  readonly computeResourceRequirements: {
    readonly numberOfCpuCoresRequired: number;
    readonly minMemoryRequiredInMb: number;
    /** Absent on CPU instances. */
    readonly numberOfAcceleratorDevicesRequired?: number;
  };
  /** Copies at creation: SageMaker creates a component with at least one (the scalable target may take it to 0 later). */
  readonly initialCopyCount: number;
  /** Target tracking of the copy count (the target value is the first variant's `aws.scalingTargetValue`). */
  readonly copyScalingMetric: 'SageMakerInferenceComponentInvocationsPerCopy' | 'SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution';
  /** SageMaker managed instance scaling of the pool's instances (the same for every member of a pool). */
  readonly poolInstances: { readonly instanceType: string; readonly min: number; readonly max: number };
  /** Copy-count bounds of the scalable target on `sagemaker:inference-component:DesiredCopyCount`. */
  readonly minCopies: number;
  readonly maxCopies: number;
}

export interface GcpEndpointPlan {
  readonly displayName: string;
  /** Vertex autoscaling metric specs, applied to every deployed model of the endpoint. */
  readonly autoscalingMetricSpecs: readonly { readonly metricName: string; readonly target: number }[];
  /** Rollout by staged traffic split in the deployment provider. */
  readonly rollout: { readonly steps: readonly number[]; readonly bakeSeconds: number };
  /** Request/response logging sampling rate in [0, 1]; 0 when off. */
  readonly requestResponseLoggingRate: number;
  /** BigQuery dataset of the sampled requests and responses; set when logging is on. */
  readonly loggingDatasetId?: string;
  /** Service account the serving containers run as. */
  readonly serviceAccountId: string;
  /** Cloud KMS key of the endpoint, its models and its logs (a name in the stack's key ring). */
  readonly keyName: string;
  /**
   * At min 0: the v1beta1 deployModel fields (DedicatedResources minReplicaCount 0, initialReplicaCount,
   * ScaleToZeroSpec); the deployment provider then speaks v1beta1. Undefined: v1, min >= 1.
   */
  readonly scaleToZero?: {
    readonly initialReplicaCount: number;
    readonly minScaleupPeriodSeconds: number;
    readonly idleScaledownPeriodSeconds: number;
  };
  /** A pool member that Vertex can co-host: the deployment resource pool it is deployed to (sharedResources). */
  readonly deploymentResourcePool?: GcpDeploymentPoolPlan;
}

/** A Vertex deployment resource pool: the same for every member of `endpoints[].sharing.pool`. */
export interface GcpDeploymentPoolPlan {
  /** `sharing.pool`. */
  readonly pool: string;
  /** DeploymentResourcePool id: `<topology>-<environment>-<pool>-<hash of its settings>`. */
  readonly poolId: string;
  /** At least 1: a Vertex pool never scales to zero. */
  readonly minReplicaCount: number;
  readonly maxReplicaCount: number;
  /** The pool's CMEK key, which its members' endpoints use too. */
  readonly keyName: string;
}

export interface ResolvedFeatureCache {
  readonly engine: 'valkey' | 'redis';
  readonly deployment: 'serverless' | 'nodes';
  readonly memoryGiB: number;
  readonly replicas: number;
  readonly multiZone: boolean;
  readonly defaultTtlSeconds: number;
  readonly aws: {
    readonly cacheName: string;
    /** Serverless: storage ceiling and ECPU ceiling. */
    readonly serverless?: { readonly maxDataStorageGiB: number; readonly maxEcpuPerSecond: number };
    /** Nodes: replication group layout. */
    readonly nodes?: { readonly nodeType: string; readonly shards: number; readonly replicasPerShard: number };
    readonly snapshotRetentionDays: number;
  };
  readonly gcp: {
    readonly instanceId: string;
    readonly nodeType: string;
    readonly shards: number;
    readonly replicas: number;
    readonly zoneMode: 'MULTI_ZONE' | 'SINGLE_ZONE';
    readonly backupRetentionDays: number;
    /** Service connection policy that lets Memorystore for Valkey create its endpoints in the network. */
    readonly connectionPolicyName: string;
    /** Service account cache clients connect as (Valkey IAM auth). */
    readonly clientServiceAccountId: string;
    readonly keyName: string;
  };
}

export interface ResolvedVectorStore {
  readonly engine: 'managed' | 'pgvector';
  readonly dimensions: number;
  readonly metric: 'cosine' | 'dot-product' | 'euclidean';
  readonly index: {
    readonly m: number;
    readonly efConstruction: number;
    readonly efSearch: number;
    readonly leafNodeEmbeddingCount: number;
    readonly leafNodesToSearchPercent: number;
    readonly approximateNeighborsCount: number;
  };
  readonly expectedVectors: number;
  readonly queriesPerSecond: number;
  /** p99 target of one k-NN query; undefined when the topology sets none. */
  readonly slo?: { readonly p99Ms: number };
  readonly updateMode: 'streaming' | 'batch';
  readonly replicas: { readonly min: number; readonly max: number };
  /** The pgvector engine's database protection (Aurora ⇔ AlloyDB); undefined for the managed engine. */
  readonly database?: {
    /** Days of daily automated backups kept. */
    readonly backupRetentionDays: number;
    /** Point-in-time recovery window, days (Aurora's equals its backup retention). */
    readonly pointInTimeRecoveryDays: number;
    /** A standby in another zone: an Aurora reader, an AlloyDB REGIONAL instance. */
    readonly highAvailability: boolean;
    /** Writer memory at its largest, GiB: Aurora scales up to it, AlloyDB provisions it (pgvector-compute.ts). */
    readonly memoryGiB: number;
    readonly aws: { readonly minCapacityAcu: number; readonly maxCapacityAcu: number };
    readonly gcp: {
      /** vCPUs of the AlloyDB primary (N2: 8 GB per vCPU). */
      readonly cpuCount: number;
      readonly clusterId: string;
      readonly primaryInstanceId: string;
      /** Service connection policy that lets AlloyDB create its PSC endpoint in the network. */
      readonly connectionPolicyName: string;
      /** Service account database clients authenticate as (AlloyDB IAM auth). */
      readonly clientServiceAccountId: string;
    };
  };
  readonly aws: {
    readonly collectionName: string;
    readonly indexName: string;
    readonly standbyReplicas: boolean;
    /** OpenSearch knn space type. */
    readonly spaceType: 'cosinesimil' | 'innerproduct' | 'l2';
  };
  readonly gcp: {
    readonly displayName: string;
    readonly deployedIndexId: string;
    readonly distanceMeasureType: 'COSINE_DISTANCE' | 'DOT_PRODUCT_DISTANCE' | 'SQUARED_L2_DISTANCE';
    readonly featureNormType: 'UNIT_L2_NORM' | 'NONE';
    readonly indexUpdateMethod: 'STREAM_UPDATE' | 'BATCH_UPDATE';
    /** Index shard size, and the machine each shard serves on (must match: Vector Search shard sizes). */
    readonly shardSize: VectorSearchShardSize;
    readonly machineType: string;
    /** Shards the index needs at the expected vectors; serving nodes = shards × replicas. */
    readonly shards: number;
    readonly keyName: string;
  };
}

export type VectorSearchShardSize = 'SHARD_SIZE_SMALL' | 'SHARD_SIZE_MEDIUM' | 'SHARD_SIZE_LARGE';

export interface ResolvedQueue {
  readonly name: string;
  readonly purpose: QueuePurpose;
  readonly maxDeliveryAttempts: number;
  readonly retentionHours: number;
  readonly ackTimeoutSeconds: number;
  /**
   * Messages with the same key are delivered one at a time, in order: an SQS FIFO queue (message
   * group id) and a Pub/Sub subscription with message ordering (ordering key). Set for a pipeline's
   * source queue, which keys by document id.
   */
  readonly ordered: boolean;
  /** How long dead letters are kept for inspection and replay. */
  readonly deadLetterRetentionHours: number;
  /** When the dead-letter alarm fires, on both clouds. */
  readonly deadLetterAlarmEvaluation: AlarmEvaluation;
  readonly aws: { readonly queueName: string; readonly deadLetterQueueName: string };
  readonly gcp: {
    readonly topicName: string;
    readonly subscriptionName: string;
    readonly deadLetterTopicName: string;
    readonly deadLetterSubscriptionName: string;
    /** Pub/Sub retryPolicy backoff bounds (10–600 s). */
    readonly minimumBackoffSeconds: number;
    readonly maximumBackoffSeconds: number;
    /** Service account consumers pull as. */
    readonly consumerServiceAccountId: string;
    readonly keyName: string;
  };
}

export interface ResolvedNetwork {
  readonly private: true;
  /** Zones to spread over: 3 in production, 2 otherwise. */
  readonly zoneCount: number;
  readonly aws: {
    /**
     * AWS services the serving VPC reaches through interface endpoints (PrivateLink). Created with
     * a new VPC; an existing VPC's owner is expected to have them.
     */
    readonly interfaceEndpoints: readonly AwsInterfaceEndpointService[];
  };
  readonly existing?: {
    readonly aws?: { readonly vpcId: string; readonly availabilityZones: readonly string[]; readonly privateSubnetIds: readonly string[] };
    readonly gcp?: { readonly network: string; readonly subnetwork: string };
  };
}

/** Short names of the AWS services the serving VPC reaches privately (com.amazonaws.<region>.<name>). */
export type AwsInterfaceEndpointService = 'sagemaker.runtime' | 'sts' | 'kms' | 'logs' | 'monitoring' | 'sqs' | 'sns';

export interface ResolvedPipelines {
  readonly embeddingRefresh?: ResolvedEmbeddingRefresh;
}

/** The embedding-refresh worker: where it reads, what it calls, how much at once, and its SLO. */
export interface ResolvedEmbeddingRefresh {
  /** Name of the source queue (an ordered queue of `queues`). */
  readonly sourceQueue: string;
  /** Name of the embedding endpoint (one of `endpoints`). */
  readonly embedder: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  readonly memoryMiB: number;
  /** Deliveries before a message is dead-lettered: the source queue's. */
  readonly maxDeliveryAttempts: number;
  /** SLO, enqueue → searchable; the age-of-oldest-message alarm threshold. */
  readonly maxLatencySeconds: number;
  readonly latencyAlarmEvaluation: AlarmEvaluation;
  readonly messageFormatVersion: number;
  /** Engine of the vector store it writes into. */
  readonly vectorEngine: 'managed' | 'pgvector';
  readonly gcp: {
    readonly functionName: string;
    /** The identity the function runs as. */
    readonly serviceAccountId: string;
    /** The identity Pub/Sub signs its push requests as (OIDC), allowed only to invoke the function. */
    readonly pushServiceAccountId: string;
  };
}
