/**
 * Service connection policies: they let a managed service (Memorystore, AlloyDB) create its
 * Private Service Connect endpoints in a consumer network. A policy belongs to the network's
 * project (for a Shared VPC, the host project, not the project the service runs in), and only one
 * may exist per network, region and service class, so a stack creates one only for a network it
 * made or when told to (`createConnectionPolicies`); otherwise it relies on the owner's.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { networkProject } from './gcp-names';

/** Service classes of the producers this program connects to. */
export const SERVICE_CLASSES = {
  /** Memorystore for Valkey (the @pulumi/gcp memorystore.Instance examples). */
  memorystore: 'gcp-memorystore',
  /** AlloyDB PSC auto-connections (Instance.pscInstanceConfig.pscAutoConnections). */
  alloydb: 'google-cloud-alloydb',
} as const;

export interface ConnectionPolicyArgs {
  /** The policy's name, unique in the network's project and region. */
  readonly policyName: string;
  readonly serviceClass: (typeof SERVICE_CLASSES)[keyof typeof SERVICE_CLASSES];
  /** `projects/{project}/global/networks/{name}`: the policy is created in `{project}`. */
  readonly network: pulumi.Input<string>;
  /** Where the service's endpoints take their addresses. */
  readonly subnetwork: pulumi.Input<string>;
  readonly region: string;
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
}

export function serviceConnectionPolicy(name: string, args: ConnectionPolicyArgs, opts: pulumi.CustomResourceOptions): gcp.networkconnectivity.ServiceConnectionPolicy {
  return new gcp.networkconnectivity.ServiceConnectionPolicy(
    name,
    {
      project: pulumi.output(args.network).apply(networkProject),
      name: args.policyName,
      location: args.region,
      serviceClass: args.serviceClass,
      description: args.description,
      network: args.network,
      pscConfig: { subnetworks: [args.subnetwork] },
      labels: { ...args.labels },
    },
    opts,
  );
}
