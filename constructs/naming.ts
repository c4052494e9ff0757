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
  sqsQueue: {
    what: 'SQS queue name',
    minLength: 1,
    maxLength: 80,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores, at most 80 characters',
    source: 'SQS API reference, CreateQueue QueueName',
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
