/**
 * The parity matrix: how each spec setting is realised on each cloud, and where they differ.
 * The static rows describe the product; `ParityNote`s are the differences a particular
 * topology runs into, produced by `resolveTopology`. A setting one cloud cannot express is
 * always one of these, never silently dropped.
 */
import { consecutiveBreachSeconds, ENDPOINT_ALARM_EVALUATION } from './alarm-evaluation';

export type Cloud = 'aws' | 'gcp';

export interface ParityRow {
  /** Spec path, with `[]` for every element of a list. */
  readonly setting: string;
  readonly aws: string;
  readonly gcp: string;
  /** Why the two differ, when they do. */
  readonly gap?: string;
}

/** A difference between the clouds for one topology, at one path of its spec. */
export interface ParityNote {
  readonly path: string;
  /** The cloud whose realisation departs from the spec (or `both`). */
  readonly cloud: Cloud | 'both';
  /** What is deployed instead. */
  readonly realisedAs: string;
  readonly reason: string;
  /** Name of the endpoint `path` is under (`endpoints[1]…` → `embedder`), so readers need not count. */
  readonly endpoint?: string;
}

/** The note with the name of the endpoint its path is under, when it is under one. */
export function withEndpointName(note: ParityNote, endpoints: readonly { readonly name: string }[]): ParityNote {
  const index = /^endpoints\[(\d+)\]/.exec(note.path)?.[1];
  const name = index === undefined ? undefined : endpoints[Number(index)]?.name;
  return name === undefined ? note : { ...note, endpoint: name };
}

/** `endpoints[1].mode` as a reader wants it: `endpoints[embedder].mode`. */
export function readableParityPath(note: ParityNote): string {
  return note.endpoint === undefined ? note.path : note.path.replace(/^endpoints\[\d+\]/, `endpoints[${note.endpoint}]`);
}

export const PARITY_MATRIX: readonly ParityRow[] = [
  {
    setting: 'endpoints[].model.image / artifact',
    aws: 'AWS::SageMaker::Model PrimaryContainer (Image, ModelDataUrl)',
    gcp: 'VertexModelDeployment: models.upload containerSpec.imageUri, artifactUri',
  },
  {
    setting: 'endpoints[].model.networkIsolation',
    aws: 'Model EnableNetworkIsolation + VpcConfig in private subnets',
    gcp: 'Private Service Connect endpoint; the container runs in Google-managed tenancy',
    gap: 'Vertex has no per-container network isolation switch; egress is governed by VPC Service Controls.',
  },
  {
    setting: 'endpoints[].compute',
    aws: 'ProductionVariant InstanceType from the shape catalog',
    gcp: 'DedicatedResources machineSpec (machineType, acceleratorType, acceleratorCount)',
    gap:
      'No A10G on Google Cloud (served on L4). Each cloud runs its smallest machine that fits: SageMaker has A100s only 8 to an instance and no 2-GPU L4, ' +
      'Vertex H100s 8 to a machine, so that cloud runs more GPUs than asked (a warning: from validate, plan, compare and cdk synth).',
  },
  {
    setting: 'endpoints[].mode: serverless',
    aws: 'ProductionVariant ServerlessConfig (MemorySizeInMB, MaxConcurrency)',
    gcp: 'Dedicated replicas, minReplicaCount 1',
    gap: 'Vertex has no serverless custom-model endpoint; scale-to-zero is a v1beta1 preview outside IaC.',
  },
  {
    setting: 'endpoints[].mode: async',
    aws: 'EndpointConfig AsyncInferenceConfig, notifications SNS → SQS',
    gcp: 'Real-time endpoint fed by the Pub/Sub async-inference queue',
    gap: 'Vertex has no asynchronous endpoint (https://cloud.google.com/vertex-ai/docs/predictions/choose-endpoint-type).',
  },
  {
    setting: 'endpoints[].scaling.min / max',
    aws: 'Application Auto Scaling scalable target MinCapacity / MaxCapacity per variant',
    gcp: 'DedicatedResources minReplicaCount / maxReplicaCount per deployed model',
  },
  {
    setting: 'endpoints[].scaling.min: 0 / idleSeconds',
    aws: 'Inference component: ManagedInstanceScaling MinInstanceCount 0, DesiredCopyCount scalable target min 0, step scaling on a NoCapacityInvocationFailures alarm to wake',
    gcp: 'v1beta1 deployModel: minReplicaCount 0, initialReplicaCount, scaleToZeroSpec (idleScaledownPeriod = idleSeconds)',
    gap: 'SageMaker has no idle period: target tracking scales the last copy in; Vertex scale to zero is a v1beta1 preview for one model per endpoint.',
  },
  {
    setting: 'endpoints[].sharing',
    aws: 'One endpoint per pool, one AWS::SageMaker::InferenceComponent per model (ComputeResourceRequirements from sharing.compute)',
    gcp: 'One deployment resource pool per pool (VertexDeploymentResourcePool), each model deployed to it with sharedResources, when every member runs the same Vertex prebuilt TensorFlow or PyTorch container; dedicated replicas per model otherwise (a parity note per member)',
    gap: 'Vertex pools take no custom containers and no per-model compute requirements, own the replicas and autoscaling (min >= 1, so a pooled model never scales to zero), and need their endpoints\' CMEK key (https://cloud.google.com/vertex-ai/docs/predictions/model-co-hosting).',
  },
  {
    setting: 'endpoints[].scaling.target: invocations',
    aws: 'Target tracking on SageMakerVariantInvocationsPerInstance (per minute)',
    gcp: 'autoscalingMetricSpecs aiplatform.googleapis.com/prediction/online/request_count (per replica per minute)',
  },
  {
    setting: 'endpoints[].scaling.target: concurrency',
    aws: 'Target tracking on SageMakerVariantConcurrentRequestsPerModelHighResolution (10-second)',
    gcp: 'request_count from measured capacity, else CPU or accelerator duty cycle',
    gap: 'Vertex autoscaling has no in-flight request metric.',
  },
  {
    setting: 'endpoints[].scaling.target: cpu / gpu',
    aws: 'Target tracking on CPUUtilization / GPUUtilization (summed over cores, so target × cores)',
    gcp: 'cpu/utilization / accelerator/duty_cycle',
  },
  {
    setting: 'endpoints[].scaling.*CooldownSeconds',
    aws: 'TargetTrackingScalingPolicyConfiguration ScaleInCooldown / ScaleOutCooldown',
    gcp: 'Not settable: 15-second evaluation, 5-minute scale-down stabilisation window',
    gap: 'Vertex autoscaling exposes no cooldowns.',
  },
  {
    setting: 'endpoints[].variants[].weight',
    aws: 'ProductionVariant InitialVariantWeight',
    gcp: 'Endpoint trafficSplit, set by VertexModelDeployment after deploy',
  },
  {
    setting: 'endpoints[].rollout',
    aws: 'Endpoint DeploymentConfig BlueGreenUpdatePolicy (CANARY / LINEAR / ALL_AT_ONCE) + AutoRollbackConfiguration alarms',
    gcp: 'VertexModelDeployment shifts trafficSplit to the new deployed model in steps, baking between them',
    gap: 'Vertex has no deployment guardrails and no alarm-driven rollback (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.endpoints/deployModel).',
  },
  {
    setting: 'endpoints[].dataCapture',
    aws: 'EndpointConfig DataCaptureConfig to S3, KMS-encrypted',
    gcp: 'Endpoint predictRequestResponseLoggingConfig to BigQuery',
  },
  {
    setting: 'endpoints[].slo',
    aws:
      `CloudWatch alarms on ModelLatency p99 and Invocation5XXErrors, actions to SNS; ` +
      `${ENDPOINT_ALARM_EVALUATION.datapointsToAlarm} of ${ENDPOINT_ALARM_EVALUATION.evaluationPeriods} ${ENDPOINT_ALARM_EVALUATION.periodSeconds}-second datapoints`,
    gcp:
      `Cloud Monitoring alert policies on prediction latency and error count, to a notification channel; ` +
      `${ENDPOINT_ALARM_EVALUATION.periodSeconds}-second alignment, duration ${consecutiveBreachSeconds(ENDPOINT_ALARM_EVALUATION)} s`,
    gap: 'Cloud Monitoring conditions have no M-of-N rule: the breaching datapoints must be consecutive on GCP.',
  },
  {
    setting: 'featureCache',
    aws: 'ElastiCache Serverless Valkey (or a replication group), KMS, TLS, private subnets',
    gcp: 'Memorystore for Valkey (or Redis), CMEK, transit encryption, Private Service Connect',
    gap: 'ElastiCache Serverless sizes itself up to a limit; Memorystore provisions shards of a node type.',
  },
  {
    setting: 'vectorStore (managed)',
    aws: 'OpenSearch Serverless VECTORSEARCH collection, HNSW index (m, ef_construction, ef_search)',
    gcp: 'Vertex AI Vector Search index (tree-AH), private index endpoint, deployed index',
    gap: 'Vertex uses ScaNN tree-AH, not HNSW: m/ef settings have no Vertex counterpart; leaf settings none on OpenSearch.',
  },
  {
    setting: 'vectorStore (pgvector)',
    aws: 'Aurora PostgreSQL Serverless v2 with pgvector, scaling up to the decided memory (2 GiB per ACU)',
    gcp: 'AlloyDB for PostgreSQL with pgvector, a primary with the decided memory (8 GB per vCPU)',
    gap: 'Aurora Serverless v2 scales and bills by the ACU-hour used; an AlloyDB instance has a fixed size, billed whether used or not.',
  },
  {
    setting: 'queues[]',
    aws: 'SQS queue + dead-letter queue (maxReceiveCount), KMS, TLS-only policy',
    gcp: 'Pub/Sub topic + subscription with dead-letter topic and retry policy, CMEK',
  },
  {
    setting: 'queues[].ackTimeoutSeconds / retentionHours',
    aws: 'VisibilityTimeout / MessageRetentionPeriod',
    gcp: 'ackDeadlineSeconds / messageRetentionDuration',
  },
  {
    setting: 'network.private',
    aws: 'Isolated VPC subnets and interface endpoints (SageMaker runtime, SQS, KMS, logs, OpenSearch Serverless)',
    gcp: 'Private Service Connect for endpoints and Memorystore; private Vector Search index endpoint',
  },
  {
    setting: 'encryption (always on)',
    aws: 'One KMS customer-managed key per component, rotation on',
    gcp: 'One Cloud KMS key per component, 90-day rotation',
    gap: 'SageMaker instances with local NVMe storage encrypt it with a hardware key and reject a KMS key for the volume.',
  },
];
