/**
 * What the components of one serving topology share, built once by `ServingTopology` and handed
 * to each, so each component's Args keep only what is specific to it.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { ResolvedTopology } from '../constructs';

export interface ServingContext {
  readonly topologyName: string;
  readonly environment: string;
  readonly project: string;
  readonly region: string;
  /** Labels every resource carries: the topology's tags (app, environment, managed-by, the user's own). */
  readonly labels: Readonly<Record<string, string>>;
  /** Production: stateful resources are protected and kept on delete (`protect`, `retainOnDelete`). */
  readonly retainData: boolean;
  /** Production: services that have deletion protection turn it on. */
  readonly deletionProtection: boolean;
}

/** The context of `resolved` deployed to `project` and `region`. */
export function servingContext(resolved: ResolvedTopology, where: { readonly project: string; readonly region: string }): ServingContext {
  return {
    topologyName: resolved.name,
    environment: resolved.environment,
    project: where.project,
    region: where.region,
    labels: { ...resolved.tags },
    retainData: resolved.retainData,
    deletionProtection: resolved.deletionProtection,
  };
}

/** A component's customer-managed key, and the grants that must exist before anything encrypts with it. */
export interface ComponentKey {
  /** `projects/…/locations/…/keyRings/…/cryptoKeys/…` */
  readonly kmsKeyName: pulumi.Input<string>;
  readonly grants: readonly pulumi.Resource[];
}

/** A Google-managed service agent to grant to: its IAM member, and what makes it exist first. */
export interface ServiceAgentGrantee {
  /** `serviceAccount:service-{number}@gcp-sa-….iam.gserviceaccount.com` */
  readonly member: pulumi.Input<string>;
  readonly after: readonly pulumi.Resource[];
}
