/**
 * `FeatureCache`: Memorystore for Valkey reached through Private Service Connect (a service
 * connection policy for `gcp-memorystore`), TLS, IAM auth, CMEK, zone distribution, automated
 * backups and deletion protection; or Memorystore for Redis for the `redis` engine.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedFeatureCache } from '../constructs';
import { serviceAccountWithRoles } from './private/service-account';
import { connectionPolicyFor, SERVICE_CLASSES } from './private/service-connection-policy';
import { statefulOptions } from './private/stateful-options';
import type { ComponentKey, ServingContext } from './serving-context';
import type { PrivateNetwork } from './serving-network';

/** Memorystore for Valkey IAM authentication: the role a client identity needs to connect. */
export const CACHE_CLIENT_ROLE = 'roles/memorystore.dbConnectionUser';

/** UTC hour of the daily backup: the quiet hour of a diurnal news workload. */
export const BACKUP_HOUR_UTC = 3;

export interface FeatureCacheArgs {
  readonly cache: ResolvedFeatureCache;
  /** The instance is kept on delete, refuses replacement and has deletion protection when the context says so. */
  readonly context: ServingContext;
  /** Where Valkey's endpoints go (the service connection policy, unless the network's owner made it), or the Redis instance's peering. */
  readonly network: PrivateNetwork;
  readonly key: ComponentKey;
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
    const { project, region, retainData, deletionProtection } = args.context;
    const network = args.network.network;
    const labels = { ...args.context.labels, component: 'feature-cache' };
    const keep = statefulOptions('cache', retainData);

    if (c.engine === 'valkey') {
      // Memorystore for Valkey is reachable only through PSC; the policy lets it create the
      // endpoints in our subnetwork. One policy per network, region and class, in the network's project.
      this.connectionPolicy = connectionPolicyFor(
        this,
        `${name}-psc-policy`,
        {
          policyName: c.gcp.connectionPolicyName,
          serviceClass: SERVICE_CLASSES.memorystore,
          description: 'Private Service Connect for the Memorystore feature cache',
          labels,
        },
        args.network,
        args.context,
      );
      this.valkey = new gcp.memorystore.Instance(
        `${name}-instance`,
        {
          project,
          instanceId: c.gcp.instanceId,
          location: region,
          nodeType: c.gcp.nodeType,
          shardCount: c.gcp.shards,
          replicaCount: c.gcp.replicas,
          zoneDistributionConfig: { mode: c.gcp.zoneMode },
          transitEncryptionMode: 'SERVER_AUTHENTICATION',
          authorizationMode: 'IAM_AUTH',
          kmsKey: args.key.kmsKeyName,
          automatedBackupConfig: {
            fixedFrequencySchedule: { startTime: { hours: BACKUP_HOUR_UTC } },
            retention: `${c.gcp.backupRetentionDays * 86_400}s`,
          },
          deletionProtectionEnabled: deletionProtection,
          desiredAutoCreatedEndpoints: [{ network, projectId: project }],
          labels,
        },
        { parent: this, dependsOn: [...(this.connectionPolicy ? [this.connectionPolicy] : []), ...args.key.grants], ...keep },
      );
      this.clientServiceAccount = serviceAccountWithRoles(this, `${name}-client`, {
        project,
        accountId: c.gcp.clientServiceAccountId,
        displayName: `Clients of the feature cache ${c.gcp.instanceId}`,
        projectRoles: { connect: CACHE_CLIENT_ROLE },
      });
    } else {
      const ha = c.multiZone;
      this.redis = new gcp.redis.Instance(
        `${name}-instance`,
        {
          project,
          name: c.gcp.instanceId,
          region,
          // STANDARD_HA keeps a replica in another zone with automatic failover (CACHE-03).
          tier: ha ? 'STANDARD_HA' : 'BASIC',
          memorySizeGb: Math.ceil(c.memoryGiB),
          ...(ha ? { replicaCount: Math.max(1, c.gcp.replicas), readReplicasMode: c.gcp.replicas > 1 ? 'READ_REPLICAS_ENABLED' : 'READ_REPLICAS_DISABLED' } : {}),
          // Memorystore for Redis offers only private connectivity modes: a private IP in our VPC, no public address.
          authorizedNetwork: network,
          connectMode: 'DIRECT_PEERING',
          authEnabled: true,
          transitEncryptionMode: 'SERVER_AUTHENTICATION',
          customerManagedKey: args.key.kmsKeyName,
          persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'TWENTY_FOUR_HOURS' },
          deletionProtection,
          labels,
        },
        { parent: this, dependsOn: [...args.key.grants], ...keep },
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
