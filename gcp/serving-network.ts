/**
 * `ServingNetwork`: a private VPC with one regional subnetwork (Private Google Access, flow
 * logs), or the existing network and subnetwork the topology names.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedNetwork } from '../constructs';

/** Primary range of the serving subnetwork; PSC endpoints for Vertex, Memorystore and Vector Search take addresses from it. */
export const SERVING_SUBNET_RANGE = '10.20.0.0/20';

export interface ServingNetworkArgs {
  readonly network: ResolvedNetwork;
  readonly project: string;
  readonly region: string;
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
    const existing = args.network.existing?.gcp;
    if (existing) {
      this.networkId = pulumi.output(existing.network);
      this.subnetworkId = pulumi.output(existing.subnetwork);
    } else {
      this.vpc = new gcp.compute.Network(
        `${name}-vpc`,
        { project: args.project, autoCreateSubnetworks: false, routingMode: 'REGIONAL', description: 'ML serving: private, reached through Private Service Connect' },
        { parent: this },
      );
      this.subnetwork = new gcp.compute.Subnetwork(
        `${name}-subnet`,
        {
          project: args.project,
          region: args.region,
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
}
