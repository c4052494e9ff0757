/**
 * `FeatureCache`: Memorystore for Valkey reached through Private Service Connect (a service
 * connection policy for `gcp-memorystore`), TLS, IAM auth, CMEK, zone distribution, automated
 * backups and deletion protection; or Memorystore for Redis for the `redis` engine.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedFeatureCache } from '../constructs';
import { serviceAccountId } from './gcp-names';
import { SERVICE_CLASSES, serviceConnectionPolicy } from './service-connection-policy';
import { statefulOptions } from './stateful-options';

/** Memorystore for Valkey IAM authentication: the role a client identity needs to connect. */
export const CACHE_CLIENT_ROLE = 'roles/memorystore.dbConnectionUser';

/** UTC hour of the daily backup: the quiet hour of a diurnal news workload. */
export const BACKUP_HOUR_UTC = 3;

export interface FeatureCacheArgs {
  readonly cache: ResolvedFeatureCache;
  readonly topologyName: string;
  readonly environment: string;
  readonly project: string;
  readonly region: string;
  readonly network: pulumi.Input<string>;
  readonly subnetwork: pulumi.Input<string>;
  /** Create the service connection policy the Valkey endpoints need (see service-connection-policy.ts). */
  readonly connectionPolicies: boolean;
  readonly kmsKeyName: pulumi.Input<string>;
  readonly keyGrants: readonly pulumi.Resource[];
  readonly labels: Readonly<Record<string, string>>;
  /** Service-side deletion protection (production). */
  readonly deletionProtection: boolean;
  /** Keep the instance on delete and refuse to replace it (production). */
  readonly retainData: boolean;
}

export class FeatureCache extends pulumi.ComponentResource {
  readonly valkey?: gcp.memorystore.Instance;
  readonly redis?: gcp.redis.Instance;
  readonly connectionPolicy?: gcp.networkconnectivity.ServiceConnectionPolicy;
  /** The identity cache clients connect as (Valkey IAM auth). */
  readonly clientServiceAccount?: gcp.serviceaccount.Account;
  /** `ip:port` clients connect to: Valkey's discovery endpoint in our network, or the Redis instance. */
  readonly address: pulumi.Output<string>;

  constructor(name: string, args: FeatureCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:FeatureCache', name, {}, opts);
    const c = args.cache;
    const labels = { ...args.labels, component: 'feature-cache' };
    const keep = statefulOptions('cache', args.retainData);

    if (c.engine === 'valkey') {
      // Memorystore for Valkey is reachable only through PSC; the policy lets it create the
      // endpoints in our subnetwork. One policy per network, region and class, in the network's project.
      if (args.connectionPolicies) {
        this.connectionPolicy = serviceConnectionPolicy(
          `${name}-psc-policy`,
          {
            policyName: `${c.gcp.instanceId}-psc`,
            serviceClass: SERVICE_CLASSES.memorystore,
            network: args.network,
            subnetwork: args.subnetwork,
            region: args.region,
            description: 'Private Service Connect for the Memorystore feature cache',
            labels,
          },
          { parent: this },
        );
      }
      this.valkey = new gcp.memorystore.Instance(
        `${name}-instance`,
        {
          project: args.project,
          instanceId: c.gcp.instanceId,
          location: args.region,
          nodeType: c.gcp.nodeType,
          shardCount: c.gcp.shards,
          replicaCount: c.gcp.replicas,
          zoneDistributionConfig: { mode: c.gcp.zoneMode },
          transitEncryptionMode: 'SERVER_AUTHENTICATION',
          authorizationMode: 'IAM_AUTH',
          kmsKey: args.kmsKeyName,
          automatedBackupConfig: {
            fixedFrequencySchedule: { startTime: { hours: BACKUP_HOUR_UTC } },
            retention: `${c.gcp.backupRetentionDays * 86_400}s`,
          },
          deletionProtectionEnabled: args.deletionProtection,
          desiredAutoCreatedEndpoints: [{ network: args.network, projectId: args.project }],
          labels,
        },
        { parent: this, dependsOn: [...(this.connectionPolicy ? [this.connectionPolicy] : []), ...args.keyGrants], ...keep },
      );
      this.clientServiceAccount = new gcp.serviceaccount.Account(
        `${name}-client`,
        {
          project: args.project,
          accountId: serviceAccountId([args.topologyName, args.environment, 'cache']),
          displayName: `Clients of the feature cache ${c.gcp.instanceId}`,
        },
        { parent: this },
      );
      new gcp.projects.IAMMember(
        `${name}-client-connect`,
        { project: args.project, role: CACHE_CLIENT_ROLE, member: pulumi.interpolate`serviceAccount:${this.clientServiceAccount.email}` },
        { parent: this },
      );
    } else {
      const ha = c.multiZone;
      this.redis = new gcp.redis.Instance(
        `${name}-instance`,
        {
          project: args.project,
          name: c.gcp.instanceId,
          region: args.region,
          // STANDARD_HA keeps a replica in another zone with automatic failover (CACHE-03).
          tier: ha ? 'STANDARD_HA' : 'BASIC',
          memorySizeGb: Math.ceil(c.memoryGiB),
          ...(ha ? { replicaCount: Math.max(1, c.gcp.replicas), readReplicasMode: c.gcp.replicas > 1 ? 'READ_REPLICAS_ENABLED' : 'READ_REPLICAS_DISABLED' } : {}),
          // Memorystore for Redis offers only private connectivity modes: a private IP in our VPC, no public address.
          authorizedNetwork: args.network,
          connectMode: 'DIRECT_PEERING',
          authEnabled: true,
          transitEncryptionMode: 'SERVER_AUTHENTICATION',
          customerManagedKey: args.kmsKeyName,
          persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'TWENTY_FOUR_HOURS' },
          deletionProtection: args.deletionProtection,
          labels,
        },
        { parent: this, dependsOn: [...args.keyGrants], ...keep },
      );
    }
    this.address = this.valkey
      ? this.valkey.endpoints.apply((endpoints) => discoveryAddress(endpoints))
      : pulumi.interpolate`${this.redis!.host}:${this.redis!.port}`;
    this.registerOutputs({
      instance: (this.valkey ?? this.redis)?.id,
      address: this.address,
      clientServiceAccount: this.clientServiceAccount?.email,
    });
  }
}

/** The discovery endpoint among Valkey's PSC auto-connections (`endpoints[].connections[].pscAutoConnection`). */
export function discoveryAddress(endpoints: readonly gcp.types.output.memorystore.InstanceEndpoint[] | undefined): string {
  for (const endpoint of endpoints ?? []) {
    for (const c of endpoint.connections ?? []) {
      const psc = c.pscAutoConnection;
      if (psc?.connectionType === 'CONNECTION_TYPE_DISCOVERY' && psc.ipAddress) return `${psc.ipAddress}:${psc.port}`;
    }
  }
  return '';
}
