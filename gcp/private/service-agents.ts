/**
 * `ServiceAgents`: the Google-managed identities that encrypt with our keys and deliver for us,
 * made to exist before anything is granted to them. Most agents appear only when their service
 * is first used, and a grant to an agent that does not exist yet fails on a fresh project:
 * `projects.ServiceIdentity` creates each one (services.generateServiceIdentity), and the
 * BigQuery encryption account is created by asking for it (bigquery.getDefaultServiceAccount,
 * projects.getServiceAccount in the BigQuery API).
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ServiceAgentGrantee } from '../serving-context';

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
  /** Cloud Storage: bucket CMEK (the load generator's results). */
  storage: { service: 'storage.googleapis.com', email: (n: string) => `service-${n}@gs-project-accounts.iam.gserviceaccount.com` },
  /** Cloud Monitoring notifications to Pub/Sub. */
  monitoring: { service: 'monitoring.googleapis.com', email: (n: string) => `service-${n}@gcp-sa-monitoring-notification.iam.gserviceaccount.com` },
} as const;

export type ServiceAgent = keyof typeof SERVICE_AGENTS;

export function serviceAgentMember(agent: ServiceAgent, projectNumber: string): string {
  return `serviceAccount:${SERVICE_AGENTS[agent].email(projectNumber)}`;
}

export interface ServiceAgentsArgs {
  readonly project: string;
  readonly projectNumber: pulumi.Input<string>;
  readonly agents: readonly ServiceAgent[];
  /** What must exist first: the enabled APIs. */
  readonly after: readonly pulumi.Resource[];
}

export class ServiceAgents extends pulumi.ComponentResource {
  readonly identities: Readonly<Partial<Record<ServiceAgent, gcp.projects.ServiceIdentity>>>;
  private readonly members: Partial<Record<ServiceAgent, pulumi.Output<string>>>;

  constructor(name: string, args: ServiceAgentsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:ServiceAgents', name, {}, opts);
    const identities: Partial<Record<ServiceAgent, gcp.projects.ServiceIdentity>> = {};
    const members: Partial<Record<ServiceAgent, pulumi.Output<string>>> = {};
    for (const agent of args.agents) {
      if (agent === 'bigquery') {
        members[agent] = gcp.bigquery
          .getDefaultServiceAccountOutput({ project: args.project }, { parent: this, dependsOn: [...args.after] })
          .apply((account) => `serviceAccount:${account.email}`);
        continue;
      }
      if (agent === 'storage') {
        // The Cloud Storage agent is created by asking for it (projects.serviceAccount.get in the JSON API).
        members[agent] = gcp.storage
          .getProjectServiceAccountOutput({ project: args.project }, { parent: this, dependsOn: [...args.after] })
          .apply((account) => `serviceAccount:${account.emailAddress}`);
        continue;
      }
      identities[agent] = new gcp.projects.ServiceIdentity(
        `${name}-${agent}`,
        { project: args.project, service: SERVICE_AGENTS[agent].service },
        { parent: this, dependsOn: [...args.after] },
      );
      members[agent] = pulumi.output(args.projectNumber).apply((n) => serviceAgentMember(agent, n));
    }
    this.identities = identities;
    this.members = members;
    this.registerOutputs({ agents: args.agents });
  }

  /** The agent's IAM member, and what a grant to it waits for. */
  grantee(agent: ServiceAgent): ServiceAgentGrantee {
    const member = this.members[agent];
    if (!member) throw new Error(`service agent ${agent} is not among ${Object.keys(this.members).join(', ')}`);
    const identity = this.identities[agent];
    return { member, after: identity ? [identity] : [] };
  }
}
