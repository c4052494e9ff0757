/**
 * `AlloyDbVectorStore`: the pgvector engine on AlloyDB for PostgreSQL. A CMEK cluster with daily
 * and continuous backups, a primary (regional with a standby when the store is highly available)
 * sized as the resolved topology decided, reached through the PSC endpoint AlloyDB's automation
 * creates in our network, and a client identity for IAM database authentication.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedVectorStore } from '../../constructs';
import { serviceAccountWithRoles } from '../private/service-account';
import { connectionPolicyFor, SERVICE_CLASSES } from '../private/service-connection-policy';
import { statefulOptions } from '../private/stateful-options';
import type { ComponentKey, ServingContext } from '../serving-context';
import type { PrivateNetwork } from '../serving-network';
import type { VectorEngine } from './vector-engine';

/** AlloyDB client roles for IAM database authentication (AlloyDB IAM docs). */
export const DATABASE_CLIENT_ROLES = { client: 'roles/alloydb.client', user: 'roles/alloydb.databaseUser' } as const;

export interface AlloyDbVectorStoreArgs {
  readonly store: ResolvedVectorStore;
  /** The cluster is kept on delete, refuses replacement and has deletion protection when the context says so. */
  readonly context: ServingContext;
  /** Where AlloyDB's PSC automation creates the endpoint (with the service connection policy, unless the network's owner made it). */
  readonly network: PrivateNetwork;
  readonly key: ComponentKey;
  /** AlloyDB PSC allow-lists consumer projects by number. */
  readonly projectNumber: pulumi.Input<string>;
}

export class AlloyDbVectorStore extends pulumi.ComponentResource implements VectorEngine {
  readonly connectionPolicy?: gcp.networkconnectivity.ServiceConnectionPolicy;
  readonly cluster: gcp.alloydb.Cluster;
  readonly primary: gcp.alloydb.Instance;
  readonly clientServiceAccount: gcp.serviceaccount.Account;
  /** The private IP of the primary's PSC auto-connection. */
  readonly address: pulumi.Output<string>;
  /** The auto-connection's status. */
  readonly connectionStatus: pulumi.Output<string>;

  constructor(name: string, args: AlloyDbVectorStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:AlloyDbVectorStore', name, {}, opts);
    const s = args.store;
    const database = s.database;
    if (!database) throw new Error('resolveTopology gives every pgvector store its database settings');
    const { project, region } = args.context;
    const labels = { ...args.context.labels, component: 'vector-store' };
    const backupEncryption = { kmsKeyName: args.key.kmsKeyName };

    this.connectionPolicy = connectionPolicyFor(
      this,
      `${name}-psc-policy`,
      {
        policyName: database.gcp.connectionPolicyName,
        serviceClass: SERVICE_CLASSES.alloydb,
        description: 'Private Service Connect for the AlloyDB vector database',
        labels,
      },
      args.network,
      args.context,
    );
    this.cluster = new gcp.alloydb.Cluster(
      `${name}-cluster`,
      {
        project,
        clusterId: database.gcp.clusterId,
        location: region,
        displayName: s.gcp.displayName,
        // Private Service Connect: no peering, no public IP.
        pscConfig: { pscEnabled: true },
        encryptionConfig: { kmsKeyName: args.key.kmsKeyName },
        automatedBackupPolicy: {
          enabled: true,
          weeklySchedule: { startTimes: [{ hours: 3 }] },
          quantityBasedRetention: { count: database.backupRetentionDays },
          encryptionConfig: backupEncryption,
        },
        continuousBackupConfig: { enabled: true, recoveryWindowDays: database.pointInTimeRecoveryDays, encryptionConfig: backupEncryption },
        deletionProtection: args.context.deletionProtection,
        labels,
      },
      { parent: this, dependsOn: [...args.key.grants], ...statefulOptions('database', args.context.retainData) },
    );
    this.primary = new gcp.alloydb.Instance(
      `${name}-primary`,
      {
        cluster: this.cluster.name,
        instanceId: database.gcp.primaryInstanceId,
        instanceType: 'PRIMARY',
        availabilityType: database.highAvailability ? 'REGIONAL' : 'ZONAL',
        machineConfig: { cpuCount: database.gcp.cpuCount },
        // PSC automation creates the endpoint in our network (through the service connection policy).
        pscInstanceConfig: {
          allowedConsumerProjects: [args.projectNumber],
          pscAutoConnections: [{ consumerProject: project, consumerNetwork: args.network.network }],
        },
        databaseFlags: { 'alloydb.iam_authentication': 'on' },
        labels,
      },
      { parent: this, dependsOn: this.connectionPolicy ? [this.connectionPolicy] : [] },
    );
    const autoConnection = this.primary.pscInstanceConfig.apply((c) => c?.pscAutoConnections?.[0]);
    this.address = autoConnection.apply((c) => c?.ipAddress ?? '');
    this.connectionStatus = autoConnection.apply((c) => c?.status ?? '');
    this.clientServiceAccount = serviceAccountWithRoles(this, `${name}-client`, {
      project,
      accountId: database.gcp.clientServiceAccountId,
      displayName: `Clients of the vector database ${s.gcp.displayName}`,
      projectRoles: DATABASE_CLIENT_ROLES,
    });
    this.registerOutputs({
      cluster: this.cluster.id,
      primary: this.primary.id,
      address: this.address,
      connectionStatus: this.connectionStatus,
      clientServiceAccount: this.clientServiceAccount.email,
    });
  }
}
