/**
 * `VectorStore`: Vertex AI Vector Search (a tree-AH index with streaming updates, a private
 * index endpoint behind Private Service Connect, the index deployed with replica bounds, and the
 * consumer endpoint clients reach it by), or AlloyDB for PostgreSQL with pgvector, reached
 * through a PSC endpoint that AlloyDB's PSC automation creates in our network.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedVectorStore } from '../constructs';
import { serviceAccountId } from './gcp-names';
import { SERVICE_CLASSES, serviceConnectionPolicy } from './service-connection-policy';
import { statefulOptions } from './stateful-options';

/** AlloyDB client roles for IAM database authentication (AlloyDB IAM docs). */
export const DATABASE_CLIENT_ROLES = { client: 'roles/alloydb.client', user: 'roles/alloydb.databaseUser' } as const;

export interface VectorStoreArgs {
  readonly store: ResolvedVectorStore;
  readonly topologyName: string;
  readonly environment: string;
  readonly project: string;
  /** AlloyDB PSC allow-lists consumer projects by number. */
  readonly projectNumber: pulumi.Input<string>;
  readonly region: string;
  /** The consumer network, `projects/{project}/global/networks/{name}`: clients reach the store there. */
  readonly network: pulumi.Input<string>;
  /** Where the consumer endpoint takes its address. */
  readonly subnetwork: pulumi.Input<string>;
  /** Create the service connection policy AlloyDB's PSC automation needs (see service-connection-policy.ts). */
  readonly connectionPolicies: boolean;
  readonly kmsKeyName: pulumi.Input<string>;
  readonly keyGrants: readonly pulumi.Resource[];
  readonly labels: Readonly<Record<string, string>>;
  /** Production: regional (multi-zone) database, deletion protection. */
  readonly production: boolean;
  readonly deletionProtection: boolean;
  readonly retainData: boolean;
}

export class VectorStore extends pulumi.ComponentResource {
  readonly index?: gcp.vertex.AiIndex;
  readonly indexEndpoint?: gcp.vertex.AiIndexEndpoint;
  readonly deployedIndex?: gcp.vertex.AiIndexEndpointDeployedIndex;
  readonly cluster?: gcp.alloydb.Cluster;
  readonly primary?: gcp.alloydb.Instance;
  readonly clientServiceAccount?: gcp.serviceaccount.Account;
  /** The consumer endpoint in our network: an address and a forwarding rule to the deployed index's service attachment. */
  readonly consumerAddress?: gcp.compute.Address;
  readonly consumerEndpoint?: gcp.compute.ForwardingRule;
  readonly connectionPolicy?: gcp.networkconnectivity.ServiceConnectionPolicy;
  /** The private IP clients connect to: the deployed index's PSC endpoint, or the AlloyDB primary's PSC auto-connection. */
  readonly address: pulumi.Output<string>;
  /** Whether that connection is up: the forwarding rule's PSC connection status, or AlloyDB's auto-connection status. */
  readonly connectionStatus: pulumi.Output<string>;

  constructor(name: string, args: VectorStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:VectorStore', name, {}, opts);
    const s = args.store;
    const labels = { ...args.labels, component: 'vector-store' };
    const parent = { parent: this, dependsOn: [...args.keyGrants] };

    if (s.engine === 'managed') {
      this.index = new gcp.vertex.AiIndex(
        `${name}-index`,
        {
          project: args.project,
          region: args.region,
          displayName: s.gcp.displayName,
          description: `${s.dimensions}-dimension ${s.metric} embeddings, about ${s.expectedVectors} vectors`,
          indexUpdateMethod: s.gcp.indexUpdateMethod,
          encryptionSpec: { kmsKeyName: args.kmsKeyName },
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
        { ...parent, ...statefulOptions('vector-index', args.retainData) },
      );
      this.indexEndpoint = new gcp.vertex.AiIndexEndpoint(
        `${name}-endpoint`,
        {
          project: args.project,
          region: args.region,
          displayName: s.gcp.displayName,
          description: 'Private (PSC) endpoint of the vector index',
          publicEndpointEnabled: false,
          privateServiceConnectConfig: { enablePrivateServiceConnect: true, projectAllowlists: [args.project] },
          encryptionSpec: { kmsKeyName: args.kmsKeyName },
          labels,
        },
        parent,
      );
      this.deployedIndex = new gcp.vertex.AiIndexEndpointDeployedIndex(
        `${name}-deployed`,
        {
          region: args.region,
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
          project: args.project,
          region: args.region,
          subnetwork: args.subnetwork,
          addressType: 'INTERNAL',
          description: `Private Service Connect endpoint of the vector index ${s.gcp.deployedIndexId}`,
          labels,
        },
        { parent: this },
      );
      this.consumerEndpoint = new gcp.compute.ForwardingRule(
        `${name}-psc-endpoint`,
        {
          project: args.project,
          region: args.region,
          network: args.network,
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
    } else {
      const database = s.database;
      if (!database) throw new Error('resolveTopology gives every pgvector store its database settings');
      const backupEncryption = { kmsKeyName: args.kmsKeyName };
      if (args.connectionPolicies) {
        this.connectionPolicy = serviceConnectionPolicy(
          `${name}-psc-policy`,
          {
            policyName: `${s.gcp.displayName}-psc`,
            serviceClass: SERVICE_CLASSES.alloydb,
            network: args.network,
            subnetwork: args.subnetwork,
            region: args.region,
            description: 'Private Service Connect for the AlloyDB vector database',
            labels,
          },
          { parent: this },
        );
      }
      this.cluster = new gcp.alloydb.Cluster(
        `${name}-cluster`,
        {
          project: args.project,
          clusterId: s.gcp.displayName,
          location: args.region,
          displayName: s.gcp.displayName,
          // Private Service Connect: no peering, no public IP.
          pscConfig: { pscEnabled: true },
          encryptionConfig: { kmsKeyName: args.kmsKeyName },
          automatedBackupPolicy: {
            enabled: true,
            weeklySchedule: { startTimes: [{ hours: 3 }] },
            quantityBasedRetention: { count: database.backupRetentionDays },
            encryptionConfig: backupEncryption,
          },
          continuousBackupConfig: { enabled: true, recoveryWindowDays: database.pointInTimeRecoveryDays, encryptionConfig: backupEncryption },
          deletionProtection: args.deletionProtection,
          labels,
        },
        { ...parent, ...statefulOptions('database', args.retainData) },
      );
      this.primary = new gcp.alloydb.Instance(
        `${name}-primary`,
        {
          cluster: this.cluster.name,
          instanceId: `${s.gcp.displayName}-primary`,
          instanceType: 'PRIMARY',
          availabilityType: database.highAvailability ? 'REGIONAL' : 'ZONAL',
          machineConfig: { cpuCount: args.production ? 4 : 2 },
          // PSC automation creates the endpoint in our network (through the service connection policy).
          pscInstanceConfig: {
            allowedConsumerProjects: [args.projectNumber],
            pscAutoConnections: [{ consumerProject: args.project, consumerNetwork: args.network }],
          },
          databaseFlags: { 'alloydb.iam_authentication': 'on' },
          labels,
        },
        { parent: this, dependsOn: this.connectionPolicy ? [this.connectionPolicy] : [] },
      );
      const autoConnection = this.primary.pscInstanceConfig.apply((c) => c?.pscAutoConnections?.[0]);
      this.address = autoConnection.apply((c) => c?.ipAddress ?? '');
      this.connectionStatus = autoConnection.apply((c) => c?.status ?? '');
      this.clientServiceAccount = new gcp.serviceaccount.Account(
        `${name}-client`,
        {
          project: args.project,
          accountId: serviceAccountId([args.topologyName, args.environment, 'vectors']),
          displayName: `Clients of the vector database ${s.gcp.displayName}`,
        },
        { parent: this },
      );
      for (const [id, role] of Object.entries(DATABASE_CLIENT_ROLES)) {
        new gcp.projects.IAMMember(
          `${name}-client-${id}`,
          { project: args.project, role, member: pulumi.interpolate`serviceAccount:${this.clientServiceAccount.email}` },
          { parent: this },
        );
      }
    }
    this.registerOutputs({
      index: this.index?.id,
      indexEndpoint: this.indexEndpoint?.id,
      deployedIndexId: this.deployedIndex?.deployedIndexId,
      cluster: this.cluster?.id,
      address: this.address,
      connectionStatus: this.connectionStatus,
    });
  }
}
