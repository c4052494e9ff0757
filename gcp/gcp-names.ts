/**
 * GCP-side names the resolved topology does not carry: Vertex endpoint ids, service-account ids,
 * BigQuery dataset ids and the emails of Google's service agents.
 */
import { createHash } from 'node:crypto';
import { fitName, GCP_NAMING, namingProblem } from '../constructs';

/**
 * The AiEndpoint `name`, which Vertex takes as `CreateEndpointRequest.endpoint_id`: "If the first
 * character is a number, this value may be up to 9 characters ... with no leading zeros"
 * (endpoint_service.proto; the @pulumi/gcp doc text saying 10 digits is older than the API).
 * Pulumi's auto-name would not fit, so the id is derived from where the endpoint lives and what
 * it is called: stable across runs, distinct between stacks and endpoints, and numeric like the
 * ids Vertex generates itself.
 */
export function vertexEndpointId(project: string, region: string, displayName: string): string {
  const digest = createHash('sha256').update(`${project}/${region}/${displayName}`).digest();
  // 100_000_000 … 999_999_999: nine digits, never a leading zero.
  const id = String(100_000_000 + (digest.readUInt32BE(0) % 900_000_000));
  const problem = namingProblem(id, GCP_NAMING.vertexEndpointId);
  if (problem) throw new Error(problem);
  return id;
}

/** The project of a network, `projects/{project}/global/networks/{name}` (a Shared VPC's host project). */
export function networkProject(network: string): string {
  const match = /^projects\/([^/]+)\/global\/networks\/[^/]+$/.exec(network);
  if (!match) throw new Error(`"${network}" is not a network path: projects/{project}/global/networks/{name}`);
  return match[1];
}

/**
 * A service-account id (6–30 characters, lowercase, starting with a letter) from name parts.
 * Callers put the component kind in the parts (`ep`, `q`, `cache`, `vectors`) so an endpoint and a
 * queue of the same name never ask for the same id.
 */
export function serviceAccountId(parts: readonly string[]): string {
  return fitName(parts, GCP_NAMING.serviceAccountId);
}

/** BigQuery dataset ids allow letters, digits and underscores only (BigQuery datasets reference). */
export function bigQueryDatasetId(parts: readonly string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_').slice(0, 1024);
}

/**
 * Google-managed service agents, by the service whose resources they encrypt or deliver for
 * (cloud.google.com/iam/docs/service-agents).
 */
export const SERVICE_AGENTS = {
  /** Vertex AI: endpoints, models, indexes (CMEK). */
  vertex: { service: 'aiplatform.googleapis.com', email: (n: string) => `service-${n}@gcp-sa-aiplatform.iam.gserviceaccount.com` },
  /** Pub/Sub: topic CMEK and dead-letter forwarding (cloud.google.com/pubsub/docs/dead-letter-topics). */
  pubsub: { service: 'pubsub.googleapis.com', email: (n: string) => `service-${n}@gcp-sa-pubsub.iam.gserviceaccount.com` },
  /** Memorystore for Valkey. */
  memorystore: { service: 'memorystore.googleapis.com', email: (n: string) => `service-${n}@gcp-sa-memorystore.iam.gserviceaccount.com` },
  /** Memorystore for Redis. */
  redis: { service: 'redis.googleapis.com', email: (n: string) => `service-${n}@cloud-redis.iam.gserviceaccount.com` },
  /** AlloyDB. */
  alloydb: { service: 'alloydb.googleapis.com', email: (n: string) => `service-${n}@gcp-sa-alloydb.iam.gserviceaccount.com` },
  /** BigQuery encryption (dataset CMEK). */
  bigquery: { service: 'bigquery.googleapis.com', email: (n: string) => `bq-${n}@bigquery-encryption.iam.gserviceaccount.com` },
  /** Cloud Monitoring notifications to Pub/Sub. */
  monitoring: { service: 'monitoring.googleapis.com', email: (n: string) => `service-${n}@gcp-sa-monitoring-notification.iam.gserviceaccount.com` },
} as const;

export type ServiceAgent = keyof typeof SERVICE_AGENTS;

export function serviceAgentMember(agent: ServiceAgent, projectNumber: string): string {
  return `serviceAccount:${SERVICE_AGENTS[agent].email(projectNumber)}`;
}
