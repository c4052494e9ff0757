/**
 * Service connection policies: they let a managed service (Memorystore, AlloyDB) create its
 * Private Service Connect endpoints in a consumer network. A policy belongs to the network's
 * project (for a Shared VPC, the host project, not the project the service runs in), and only one
 * may exist per network, region and service class, so a stack creates one only for a network it
 * made or when told to (`PrivateNetwork.createConnectionPolicies`); otherwise it relies on the owner's.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ServingContext } from '../serving-context';
import type { PrivateNetwork } from '../serving-network';

/** Service classes of the producers this program connects to. */
export const SERVICE_CLASSES = {
  /** Memorystore for Valkey (the @pulumi/gcp memorystore.Instance examples). */
  memorystore: 'gcp-memorystore',
  /** AlloyDB PSC auto-connections (Instance.pscInstanceConfig.pscAutoConnections). */
  alloydb: 'google-cloud-alloydb',
} as const;

/** The project of a network, `projects/{project}/global/networks/{name}` (a Shared VPC's host project). */
export function networkProject(network: string): string {
  const match = /^projects\/([^/]+)\/global\/networks\/[^/]+$/.exec(network);
  if (!match) throw new Error(`"${network}" is not a network path: projects/{project}/global/networks/{name}`);
  return match[1];
}

export interface ConnectionPolicySpec {
  /** The policy's name, unique in the network's project and region. */
  readonly policyName: string;
  readonly serviceClass: (typeof SERVICE_CLASSES)[keyof typeof SERVICE_CLASSES];
  readonly description: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The policy `component` needs in `network`, or undefined when the network's owner provides it. */
export function connectionPolicyFor(
  component: pulumi.ComponentResource,
  name: string,
  spec: ConnectionPolicySpec,
  network: PrivateNetwork,
  context: Pick<ServingContext, 'region'>,
): gcp.networkconnectivity.ServiceConnectionPolicy | undefined {
  if (!network.createConnectionPolicies) return undefined;
  return new gcp.networkconnectivity.ServiceConnectionPolicy(
    name,
    {
      project: pulumi.output(network.network).apply(networkProject),
      name: spec.policyName,
      location: context.region,
      serviceClass: spec.serviceClass,
      description: spec.description,
      network: network.network,
      pscConfig: { subnetworks: [network.subnetwork] },
      labels: { ...spec.labels },
    },
    { parent: component },
  );
}
