/**
 * `VectorSearchStore`: the managed engine on Vertex AI Vector Search. A tree-AH index with
 * streaming updates, a private index endpoint behind Private Service Connect, the index deployed
 * with replica bounds on the machine its shard size needs, and the consumer endpoint (an address
 * and a forwarding rule in our network) clients reach it by.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedVectorStore } from '../../constructs';
import { statefulOptions } from '../private/stateful-options';
import type { ComponentKey, ServingContext } from '../serving-context';
import type { PrivateNetwork } from '../serving-network';
import type { VectorEngine } from './vector-engine';

export interface VectorSearchStoreArgs {
  readonly store: ResolvedVectorStore;
  /** The index is kept on delete and refuses replacement when the context retains data. */
  readonly context: ServingContext;
  /** The consumer network and the subnetwork the consumer endpoint takes its address from. */
  readonly network: PrivateNetwork;
  readonly key: ComponentKey;
}

export class VectorSearchStore extends pulumi.ComponentResource implements VectorEngine {
  readonly index: gcp.vertex.AiIndex;
  readonly indexEndpoint: gcp.vertex.AiIndexEndpoint;
  readonly deployedIndex: gcp.vertex.AiIndexEndpointDeployedIndex;
  /** The consumer endpoint in our network: an address and a forwarding rule to the deployed index's service attachment. */
  readonly consumerAddress: gcp.compute.Address;
  readonly consumerEndpoint: gcp.compute.ForwardingRule;
  /** The consumer address. */
  readonly address: pulumi.Output<string>;
  /** The forwarding rule's PSC connection status. */
  readonly connectionStatus: pulumi.Output<string>;

  constructor(name: string, args: VectorSearchStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:VectorSearchStore', name, {}, opts);
    const s = args.store;
    const { project, region } = args.context;
    const labels = { ...args.context.labels, component: 'vector-store' };
    const encrypted = { parent: this, dependsOn: [...args.key.grants] };

    this.index = new gcp.vertex.AiIndex(
      `${name}-index`,
      {
        project,
        region,
        displayName: s.gcp.displayName,
        description: `${s.dimensions}-dimension ${s.metric} embeddings, about ${s.expectedVectors} vectors`,
        indexUpdateMethod: s.gcp.indexUpdateMethod,
        encryptionSpec: { kmsKeyName: args.key.kmsKeyName },
        metadata: {
          config: {
            dimensions: s.dimensions,
            shardSize: s.gcp.shardSize,
            approximateNeighborsCount: s.index.approximateNeighborsCount,
            distanceMeasureType: s.gcp.distanceMeasureType,
            featureNormType: s.gcp.featureNormType,
            algorithmConfig: {
              treeAhConfig: {
                leafNodeEmbeddingCount: s.index.leafNodeEmbeddingCount,
                leafNodesToSearchPercent: s.index.leafNodesToSearchPercent,
              },
            },
          },
        },
        labels,
      },
      { ...encrypted, ...statefulOptions('vector-index', args.context.retainData) },
    );
    this.indexEndpoint = new gcp.vertex.AiIndexEndpoint(
      `${name}-endpoint`,
      {
        project,
        region,
        displayName: s.gcp.displayName,
        description: 'Private (PSC) endpoint of the vector index',
        publicEndpointEnabled: false,
        privateServiceConnectConfig: { enablePrivateServiceConnect: true, projectAllowlists: [project] },
        encryptionSpec: { kmsKeyName: args.key.kmsKeyName },
        labels,
      },
      encrypted,
    );
    this.deployedIndex = new gcp.vertex.AiIndexEndpointDeployedIndex(
      `${name}-deployed`,
      {
        region,
        indexEndpoint: this.indexEndpoint.id,
        index: this.index.id,
        deployedIndexId: s.gcp.deployedIndexId,
        displayName: s.gcp.displayName,
        // Dedicated, so the serving machine is the one the shard size needs (and the one priced).
        dedicatedResources: { machineSpec: { machineType: s.gcp.machineType }, minReplicaCount: s.replicas.min, maxReplicaCount: s.replicas.max },
        enableAccessLogging: true,
      },
      { parent: this },
    );
    // Private Service Connect gives the index endpoint a service attachment and nothing more:
    // clients need an address in their network and a forwarding rule to that attachment.
    this.consumerAddress = new gcp.compute.Address(
      `${name}-psc-address`,
      {
        project,
        region,
        subnetwork: args.network.subnetwork,
        addressType: 'INTERNAL',
        description: `Private Service Connect endpoint of the vector index ${s.gcp.deployedIndexId}`,
        labels,
      },
      { parent: this },
    );
    this.consumerEndpoint = new gcp.compute.ForwardingRule(
      `${name}-psc-endpoint`,
      {
        project,
        region,
        network: args.network.network,
        ipAddress: this.consumerAddress.id,
        target: this.deployedIndex.privateEndpoints.apply((endpoints) => endpoints?.[0]?.serviceAttachment ?? ''),
        // An endpoint for a published service, not a load balancer (ForwardingRule "Vpc Psc" example).
        loadBalancingScheme: '',
        labels,
      },
      { parent: this },
    );
    this.address = this.consumerAddress.address;
    this.connectionStatus = this.consumerEndpoint.pscConnectionStatus;
    this.registerOutputs({
      index: this.index.id,
      indexEndpoint: this.indexEndpoint.id,
      deployedIndexId: this.deployedIndex.deployedIndexId,
      address: this.address,
      connectionStatus: this.connectionStatus,
    });
  }
}
