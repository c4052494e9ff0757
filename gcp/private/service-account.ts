/** A component's own identity: a service account and the project roles it holds, nothing more. */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface ServiceAccountSpec {
  readonly project: string;
  readonly accountId: string;
  readonly displayName: string;
  /** Project roles by a stable id, which names each grant `${name}-${id}`. */
  readonly projectRoles: Readonly<Record<string, string>>;
}

export function serviceAccountWithRoles(parent: pulumi.ComponentResource, name: string, spec: ServiceAccountSpec): gcp.serviceaccount.Account {
  const account = new gcp.serviceaccount.Account(name, { project: spec.project, accountId: spec.accountId, displayName: spec.displayName }, { parent });
  for (const [id, role] of Object.entries(spec.projectRoles)) {
    new gcp.projects.IAMMember(`${name}-${id}`, { project: spec.project, role, member: pulumi.interpolate`serviceAccount:${account.email}` }, { parent });
  }
  return account;
}
