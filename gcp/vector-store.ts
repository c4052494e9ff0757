/**
 * `VectorStore`: Vertex AI Vector Search (a tree-AH index with streaming updates, a private
 * index endpoint behind Private Service Connect, the index deployed with replica bounds), or
 * AlloyDB for PostgreSQL with pgvector, reached through PSC, for the `pgvector` engine.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedVectorStore } from '../constructs';
import { serviceAccountId } from './gcp-names';
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
    } else {
      const database = s.database;
      if (!database) throw new Error('resolveTopology gives every pgvector store its database settings');
      const backupEncryption = { kmsKeyName: args.kmsKeyName };
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
          pscInstanceConfig: { allowedConsumerProjects: [args.projectNumber] },
          databaseFlags: { 'alloydb.iam_authentication': 'on' },
          labels,
        },
        { parent: this },
      );
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
    });
  }
}
