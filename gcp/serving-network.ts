/**
 * `ServingNetwork`: a private VPC with one regional subnetwork (Private Google Access, flow
 * logs), or the existing network and subnetwork the topology names.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedNetwork } from '../constructs';
import type { ServingContext } from './serving-context';

/** Primary range of the serving subnetwork; PSC endpoints for Vertex, Memorystore and Vector Search take addresses from it. */
export const SERVING_SUBNET_RANGE = '10.20.0.0/20';

export interface ServingNetworkArgs {
  readonly network: ResolvedNetwork;
  readonly context: ServingContext;
}

/** Where a component puts its private endpoints (Private Service Connect), and who makes the way for them. */
export interface PrivateNetwork {
  /** `projects/{project}/global/networks/{name}` */
  readonly network: pulumi.Input<string>;
  /** `projects/{project}/regions/{region}/subnetworks/{name}`: where the endpoints take their addresses. */
  readonly subnetwork: pulumi.Input<string>;
  /**
   * Create the service connection policies that Memorystore and AlloyDB need to make their
   * endpoints here (private/service-connection-policy.ts); otherwise the network's owner made them.
   */
  readonly createConnectionPolicies: boolean;
}

export class ServingNetwork extends pulumi.ComponentResource {
  /** `projects/{project}/global/networks/{name}` */
  readonly networkId: pulumi.Output<string>;
  /** `projects/{project}/regions/{region}/subnetworks/{name}` */
  readonly subnetworkId: pulumi.Output<string>;
  /** Present when this component created the network (no `network.existing.gcp`). */
  readonly vpc?: gcp.compute.Network;
  readonly subnetwork?: gcp.compute.Subnetwork;

  constructor(name: string, args: ServingNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:ServingNetwork', name, {}, opts);
    const { project, region } = args.context;
    const existing = args.network.existing?.gcp;
    if (existing) {
      this.networkId = pulumi.output(existing.network);
      this.subnetworkId = pulumi.output(existing.subnetwork);
    } else {
      this.vpc = new gcp.compute.Network(
        `${name}-vpc`,
        { project, autoCreateSubnetworks: false, routingMode: 'REGIONAL', description: 'ML serving: private, reached through Private Service Connect' },
        { parent: this },
      );
      this.subnetwork = new gcp.compute.Subnetwork(
        `${name}-subnet`,
        {
          project,
          region,
          network: this.vpc.id,
          ipCidrRange: SERVING_SUBNET_RANGE,
          // Google APIs without public IPs (Checkov CKV_GCP_74).
          privateIpGoogleAccess: true,
          // Flow logs (NET-01, CKV_GCP_26): 5-second aggregation, half the flows, all metadata.
          logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
        },
        { parent: this },
      );
      this.networkId = this.vpc.id;
      this.subnetworkId = this.subnetwork.id;
    }
    this.registerOutputs({ networkId: this.networkId, subnetworkId: this.subnetworkId });
  }

  /**
   * The network as components see it. A network this stack made has no service connection
   * policies yet, so the stack creates them; an existing one belongs to its owner, who made them
   * unless `createForExisting` says the stack should.
   */
  privateNetwork(createForExisting: boolean): PrivateNetwork {
    return { network: this.networkId, subnetwork: this.subnetworkId, createConnectionPolicies: this.vpc !== undefined || createForExisting };
  }
}
