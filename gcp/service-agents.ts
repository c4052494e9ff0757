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
import { SERVICE_AGENTS, serviceAgentMember, type ServiceAgent } from './gcp-names';

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

  /** The agent's IAM member, `serviceAccount:…`. */
  member(agent: ServiceAgent): pulumi.Output<string> {
    const member = this.members[agent];
    if (!member) throw new Error(`service agent ${agent} is not among ${Object.keys(this.members).join(', ')}`);
    return member;
  }

  /** What a grant to the agent waits for. */
  exists(agent: ServiceAgent): pulumi.Resource[] {
    const identity = this.identities[agent];
    return identity ? [identity] : [];
  }
}
