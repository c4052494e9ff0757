/**
 * Naming rules per cloud. Each adapter names its resources through these rules so a name that
 * one cloud would reject is caught while validating the topology, not half-way through a deploy.
 */
import { createHash } from 'node:crypto';

export interface NamingRule {
  /** What the name is, for error messages. */
  readonly what: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly pattern: RegExp;
  /** The allowed form in words, for error messages. */
  readonly allowed: string;
  /** Where the rule comes from. */
  readonly source: string;
}

const LOWER_DNS = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

export const AWS_NAMING = {
  sagemakerEndpoint: {
    what: 'SageMaker endpoint name',
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/,
    allowed: 'letters, digits and single hyphens, at most 63 characters',
    source: 'SageMaker API reference, CreateEndpoint EndpointName',
  },
  sagemakerVariant: {
    what: 'SageMaker production variant name',
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/,
    allowed: 'letters, digits and single hyphens, at most 63 characters',
    source: 'SageMaker API reference, ProductionVariant VariantName',
  },
  sagemakerInferenceComponent: {
    what: 'SageMaker inference component name',
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/,
    allowed: 'letters, digits and single hyphens, at most 63 characters',
    source: 'SageMaker API reference, CreateInferenceComponent InferenceComponentName',
  },
  sqsQueue: {
    what: 'SQS queue name',
    minLength: 1,
    maxLength: 80,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores, at most 80 characters',
    source: 'SQS API reference, CreateQueue QueueName',
  },
  sqsFifoQueue: {
    what: 'SQS FIFO queue name',
    minLength: 6,
    maxLength: 80,
    pattern: /^[a-zA-Z0-9_-]+\.fifo$/,
    allowed: 'letters, digits, hyphens and underscores ending in .fifo, at most 80 characters',
    source: 'SQS API reference, CreateQueue QueueName (a FIFO queue name ends with the .fifo suffix)',
  },
  serverlessCache: {
    what: 'ElastiCache serverless cache name',
    minLength: 1,
    maxLength: 40,
    pattern: /^[a-z](?:-?[a-z0-9])*$/,
    allowed: 'lowercase letters, digits and single hyphens, starting with a letter, at most 40 characters',
    source: 'ElastiCache API reference, CreateServerlessCache ServerlessCacheName',
  },
  opensearchCollection: {
    what: 'OpenSearch Serverless collection or policy name',
    minLength: 3,
    maxLength: 32,
    pattern: LOWER_DNS,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter, 3 to 32 characters',
    source: 'OpenSearch Serverless API reference, CreateCollection name',
  },
} as const satisfies Record<string, NamingRule>;

export const GCP_NAMING = {
  vertexDisplayName: {
    what: 'Vertex AI display name',
    minLength: 1,
    maxLength: 128,
    pattern: /^.+$/,
    allowed: 'any UTF-8 text up to 128 characters',
    source: 'Vertex AI REST reference, Endpoint.displayName',
  },
  vertexEndpointId: {
    what: 'Vertex AI endpoint id',
    minLength: 1,
    maxLength: 63,
    pattern: /^(?:[1-9]\d{0,8}|[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)$/,
    allowed: 'digits with no leading zero, at most 9; or a lowercase letter, then lowercase letters, digits and hyphens, ending with a letter or digit, at most 63',
    source: 'CreateEndpointRequest.endpoint_id, google/cloud/aiplatform/v1/endpoint_service.proto (@google-cloud/aiplatform)',
  },
  memorystoreInstance: {
    what: 'Memorystore instance id',
    minLength: 4,
    maxLength: 63,
    pattern: LOWER_DNS,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter, 4 to 63 characters',
    source: 'Memorystore for Valkey, Instance instance_id',
  },
  pubsubName: {
    what: 'Pub/Sub topic or subscription name',
    minLength: 3,
    maxLength: 255,
    pattern: /^(?!goog)[a-zA-Z][a-zA-Z0-9\-_.~+%]*$/,
    allowed: 'a letter, then letters, digits and - _ . ~ + %, 3 to 255 characters, not starting with "goog"',
    source: 'Pub/Sub resource names (cloud.google.com/pubsub/docs/pubsub-basics#resource_names)',
  },
  cloudFunction: {
    what: 'Cloud Functions function name',
    minLength: 1,
    maxLength: 63,
    pattern: LOWER_DNS,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen, at most 63 characters',
    source: 'Cloud Functions API reference, projects.locations.functions name',
  },
  serviceAccountId: {
    what: 'service account id',
    minLength: 6,
    maxLength: 30,
    pattern: LOWER_DNS,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter, 6 to 30 characters',
    source: 'IAM API reference, projects.serviceAccounts.create accountId',
  },
  kmsName: {
    what: 'Cloud KMS key ring or key name',
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores, at most 63 characters',
    source: 'Cloud KMS resource names',
  },
  deployedIndexId: {
    what: 'Vector Search deployed index id',
    minLength: 1,
    maxLength: 128,
    pattern: /^[a-zA-Z][a-zA-Z0-9_]*$/,
    allowed: 'a letter, then letters, digits and underscores',
    source: 'Vertex AI REST reference, DeployedIndex.id',
  },
  bigQueryDataset: {
    what: 'BigQuery dataset id',
    minLength: 1,
    maxLength: 1024,
    pattern: /^[A-Za-z0-9_]+$/,
    allowed: 'letters, digits and underscores, at most 1,024 characters',
    source: 'BigQuery, Create datasets: dataset naming (cloud.google.com/bigquery/docs/datasets#dataset-naming)',
  },
  alloydbId: {
    what: 'AlloyDB cluster or instance id',
    minLength: 1,
    maxLength: 63,
    pattern: LOWER_DNS,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter, at most 63 characters',
    source: 'AlloyDB REST reference, projects.locations.clusters and .instances name ([a-z0-9-]+; resource ids per google.aip.dev/122)',
  },
  serviceConnectionPolicy: {
    what: 'service connection policy name',
    minLength: 1,
    maxLength: 63,
    pattern: LOWER_DNS,
    allowed: 'lowercase letters, digits and hyphens, starting with a letter, at most 63 characters',
    source: 'Network Connectivity REST reference, ServiceConnectionPolicy.name (resource ids per google.aip.dev/122)',
  },
  label: {
    what: 'label key or value',
    minLength: 0,
    maxLength: 63,
    pattern: /^[a-z0-9_-]*$/,
    allowed: 'lowercase letters, digits, hyphens and underscores, at most 63 characters',
    source: 'Resource Manager labels (cloud.google.com/resource-manager/docs/labels-overview)',
  },
} as const satisfies Record<string, NamingRule>;

/** Why `name` breaks `rule`, or undefined when it is valid. */
export function namingProblem(name: string, rule: NamingRule): string | undefined {
  if (name.length < rule.minLength || name.length > rule.maxLength || !rule.pattern.test(name)) {
    return `"${name}" is not a valid ${rule.what}: ${rule.allowed} (${name.length} characters)`;
  }
  return undefined;
}

/**
 * Joins name parts with hyphens and fits them into `rule`. A name longer than the rule allows
 * keeps its start and gains a short stable hash of the full name, so two long names that share
 * a prefix stay distinct and the same input always yields the same name.
 */
export function fitName(parts: readonly string[], rule: NamingRule): string {
  const full = parts.filter((p) => p.length > 0).join('-');
  if (full.length <= rule.maxLength) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6);
  const head = full.slice(0, rule.maxLength - hash.length - 1).replace(/[-_.]+$/, '');
  return `${head}-${hash}`;
}

/** The names a queue gets on each cloud, by service namespace (names must be unique within one). */
export function queueResourceNames(topology: string, environment: string, queue: string) {
  const base = [topology, environment, queue];
  return {
    sqsQueues: { queue: fitName(base, AWS_NAMING.sqsQueue), deadLetter: fitName([...base, 'dlq'], AWS_NAMING.sqsQueue) },
    pubsubTopics: { topic: fitName(base, GCP_NAMING.pubsubName), deadLetter: fitName([...base, 'dead-letter'], GCP_NAMING.pubsubName) },
    pubsubSubscriptions: {
      subscription: fitName([...base, 'sub'], GCP_NAMING.pubsubName),
      deadLetter: fitName([...base, 'dead-letter-sub'], GCP_NAMING.pubsubName),
    },
  };
}

/**
 * The AiEndpoint `name`, which Vertex takes as `CreateEndpointRequest.endpoint_id`: "If the first
 * character is a number, this value may be up to 9 characters ... with no leading zeros"
 * (endpoint_service.proto; the @pulumi/gcp doc text saying 10 digits is older than the API).
 * Pulumi's auto-name would not fit, so the id is derived from where the endpoint lives and what it
 * is called: stable across runs, distinct between stacks and endpoints, and numeric like the ids
 * Vertex generates itself. The one GCP name not in the resolved topology: the project is stack
 * configuration, not part of the topology.
 */
export function vertexEndpointId(project: string, region: string, displayName: string): string {
  const digest = createHash('sha256').update(`${project}/${region}/${displayName}`).digest();
  // 100_000_000 … 999_999_999: nine digits, never a leading zero.
  return String(100_000_000 + (digest.readUInt32BE(0) % 900_000_000));
}

/** BigQuery dataset ids allow letters, digits and underscores only. */
export function bigQueryDatasetId(parts: readonly string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_').slice(0, GCP_NAMING.bigQueryDataset.maxLength);
}

/**
 * Service-account ids carry the component kind (`ep`, `q`, `cache`, `vectors`) so an endpoint and a
 * queue of the same name never ask for the same id; key names carry it for the same reason.
 */
const serviceAccount = (parts: readonly string[]) => fitName(parts, GCP_NAMING.serviceAccountId);
const keyName = (parts: readonly string[]) => fitName(parts, GCP_NAMING.kmsName);

/** The GCP names of a model endpoint. */
export function gcpEndpointNames(topology: string, environment: string, endpoint: string) {
  return {
    displayName: fitName([topology, environment, endpoint], GCP_NAMING.vertexDisplayName),
    serviceAccountId: serviceAccount([topology, environment, 'ep', endpoint]),
    loggingDatasetId: bigQueryDatasetId([topology, environment, endpoint, 'predictions']),
    keyName: keyName(['endpoint', endpoint]),
  };
}

/** The GCP names of the feature cache. */
export function gcpFeatureCacheNames(topology: string, environment: string) {
  const instanceId = fitName([topology, environment, 'features'], GCP_NAMING.memorystoreInstance);
  return {
    instanceId,
    connectionPolicyName: fitName([instanceId, 'psc'], GCP_NAMING.serviceConnectionPolicy),
    clientServiceAccountId: serviceAccount([topology, environment, 'cache']),
    keyName: keyName(['cache']),
  };
}

/** The GCP names of the vector store: Vector Search's, and the AlloyDB database's (pgvector). */
export function gcpVectorStoreNames(topology: string, environment: string) {
  const base = [topology, environment, 'vectors'];
  const clusterId = fitName(base, GCP_NAMING.alloydbId);
  return {
    displayName: fitName(base, GCP_NAMING.vertexDisplayName),
    deployedIndexId: fitName(base, GCP_NAMING.deployedIndexId).replace(/-/g, '_'),
    keyName: keyName(['vectors']),
    database: {
      clusterId,
      primaryInstanceId: fitName([clusterId, 'primary'], GCP_NAMING.alloydbId),
      connectionPolicyName: fitName([clusterId, 'psc'], GCP_NAMING.serviceConnectionPolicy),
      clientServiceAccountId: serviceAccount(base),
    },
  };
}

/** The GCP names of a queue beyond its topics and subscriptions (`queueResourceNames`). */
export function gcpQueueNames(topology: string, environment: string, queue: string) {
  return { consumerServiceAccountId: serviceAccount([topology, environment, 'q', queue]), keyName: keyName(['queue', queue]) };
}

/** The GCP names of the monitoring: the alerts topic and its key. */
export function gcpMonitoringNames(topology: string, environment: string) {
  return { alertsTopicName: fitName([topology, environment, 'alerts'], GCP_NAMING.pubsubName), keyName: keyName(['monitoring']) };
}

/**
 * An ordered queue's SQS names: FIFO queues (and their dead-letter queues, which must be FIFO too)
 * end in .fifo, so the rest is fitted into what is left of the 80 characters.
 */
export function fifoQueueNames(topology: string, environment: string, queue: string) {
  const rule = { ...AWS_NAMING.sqsQueue, maxLength: AWS_NAMING.sqsFifoQueue.maxLength - '.fifo'.length };
  const base = [topology, environment, queue];
  return { queue: `${fitName(base, rule)}.fifo`, deadLetter: `${fitName([...base, 'dlq'], rule)}.fifo` };
}

/**
 * An ordered queue's Pub/Sub subscription. Ordering (`enableMessageOrdering`) is fixed when a
 * subscription is created, so a queue that becomes ordered gets a new subscription; a name of its own
 * lets Pulumi create it beside the old one (create before delete) instead of failing on the taken
 * name, and leaves the old one's backlog to drain (`serving-stacks pipeline drain`).
 */
export function orderedSubscriptionName(topology: string, environment: string, queue: string): string {
  return fitName([topology, environment, queue, 'ordered-sub'], GCP_NAMING.pubsubName);
}

/** The GCP names of the embedding-refresh pipeline: its function and the service account it runs as. */
export function gcpEmbeddingRefreshNames(topology: string, environment: string) {
  return {
    functionName: fitName([topology, environment, 'embedding-refresh'], GCP_NAMING.cloudFunction),
    serviceAccountId: serviceAccount([topology, environment, 'embed-refresh']),
    pushServiceAccountId: serviceAccount([topology, environment, 'embed-push']),
  };
}
