/**
 * `FeatureCache`: Valkey (or Redis OSS) for online features, either ElastiCache Serverless or a
 * node-based replication group, as `resolveTopology` decided. Private subnets, a security group
 * nothing may enter until a client is allowed, TLS, a customer-managed key at rest, role-based
 * access with IAM-authenticated users (no shared password), and daily snapshots (CACHE-01…04).
 */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AWS_NAMING, fitName, type ResolvedFeatureCache } from '../constructs';
import { acknowledge } from './private/acknowledge';
import { newComponentKey } from './private/component-key';
import { createOnlyName } from './private/create-only-name';

/** Engine versions: Valkey 8 and Redis OSS 7.1, the newest both deployments offer (ElastiCache "Supported engine versions"). */
const ENGINE_VERSIONS = {
  valkey: { major: '8', full: '8.0', clusterParameterGroup: 'default.valkey8.cluster.on' },
  redis: { major: '7', full: '7.1', clusterParameterGroup: 'default.redis7.cluster.on' },
} as const;

/** Serverless caches listen on 6379 (primary) and 6380 (read from replicas). */
const SERVERLESS_PORTS = ec2.Port.tcpRange(6379, 6380);
/** Node-based caches use a non-default port (AwsSolutions-AEC5). */
export const NODE_CACHE_PORT = 6380;

/** Snapshots are taken at this UTC time, off-peak for a news product's European and American readers. */
const DAILY_SNAPSHOT_TIME = '04:00';
const SNAPSHOT_WINDOW = '04:00-05:00';
const MAINTENANCE_WINDOW = 'sun:05:30-sun:06:30';

export interface FeatureCacheProps {
  /** Engine, deployment, size, replicas, zones and snapshot retention. */
  readonly cache: ResolvedFeatureCache;
  readonly vpc: ec2.IVpc;
  /**
   * Subnets the cache is placed in, one per zone.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Key for data at rest and snapshots.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the cache, its users and its key when they leave the stack. Retained by default:
   * features that are expensive to recompute live only here.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class FeatureCache extends Construct {
  /** The cache resource: `CfnServerlessCache` or `CfnReplicationGroup`. */
  readonly resource: elasticache.CfnServerlessCache | elasticache.CfnReplicationGroup;
  /** Allow clients with `cache.connections.allowDefaultPortFrom(client)`. */
  readonly connections: ec2.Connections;
  /** Host clients connect to (TLS). */
  readonly endpointAddress: string;
  readonly endpointPort: string;
  readonly encryptionKey: kms.IKey;
  /** The IAM-authenticated user applications connect as (its user id is also its user name). */
  readonly applicationUser: elasticache.CfnUser;
  readonly userGroup: elasticache.CfnUserGroup;
  private readonly cacheArn: string;

  constructor(scope: Construct, id: string, props: FeatureCacheProps) {
    super(scope, id);
    const spec = props.cache;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const versions = ENGINE_VERSIONS[spec.engine];
    this.encryptionKey = props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} data at rest and snapshots`, removalPolicy);

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${spec.aws.cacheName} feature cache`,
      allowAllOutbound: false,
    });
    const serverless = spec.deployment === 'serverless';
    this.connections = new ec2.Connections({
      securityGroups: [securityGroup],
      defaultPort: serverless ? SERVERLESS_PORTS : ec2.Port.tcp(NODE_CACHE_PORT),
    });
    const subnetIds = props.vpc.selectSubnets(props.vpcSubnets).subnetIds;

    // Role-based access: a disabled "default" user (engines require one in every group) and one
    // application user that authenticates with IAM, so no password exists to leak or rotate.
    // Engine, user id and user name are create-only: ids carry a hash of the engine.
    const userName = (suffix: string) => createOnlyName(this, fitName([spec.aws.cacheName, suffix], AWS_NAMING.serverlessCache), AWS_NAMING.serverlessCache, () => ({ engine: spec.engine })).name;
    const defaultUser = new elasticache.CfnUser(this, 'DefaultUser', {
      engine: spec.engine,
      userId: userName('default'),
      userName: 'default',
      accessString: 'off -@all',
      authenticationMode: { Type: 'no-password-required' },
    });
    // IAM authentication needs the user name to equal the user id (ElastiCache User Guide, "Authenticating with IAM").
    const applicationUserId = userName('app');
    this.applicationUser = new elasticache.CfnUser(this, 'ApplicationUser', {
      engine: spec.engine,
      userId: applicationUserId,
      userName: applicationUserId,
      accessString: 'on ~* +@all -@dangerous',
      authenticationMode: { Type: 'iam' },
    });
    this.userGroup = new elasticache.CfnUserGroup(this, 'UserGroup', {
      engine: spec.engine,
      userGroupId: userName('users'),
      userIds: [defaultUser.ref, this.applicationUser.ref],
    });

    if (serverless) {
      const limits = spec.aws.serverless!;
      const cache: elasticache.CfnServerlessCache = new elasticache.CfnServerlessCache(this, 'Resource', {
        // SubnetIds, KmsKeyId and the name are create-only (more subnets when the zone count grows, a new key).
        serverlessCacheName: createOnlyName(this, spec.aws.cacheName, AWS_NAMING.serverlessCache, () => ({ subnetIds: cache.subnetIds, kmsKeyId: cache.kmsKeyId })).name,
        description: `Online features of ${spec.aws.cacheName}`,
        engine: spec.engine,
        majorEngineVersion: versions.major,
        kmsKeyId: this.encryptionKey.keyArn,
        securityGroupIds: [securityGroup.securityGroupId],
        subnetIds,
        userGroupId: this.userGroup.ref,
        cacheUsageLimits: {
          dataStorage: { maximum: limits.maxDataStorageGiB, unit: 'GB' },
          ecpuPerSecond: { maximum: limits.maxEcpuPerSecond },
        },
        snapshotRetentionLimit: spec.aws.snapshotRetentionDays,
        dailySnapshotTime: DAILY_SNAPSHOT_TIME,
      });
      this.resource = cache;
      this.endpointAddress = cache.attrEndpointAddress;
      this.endpointPort = cache.attrEndpointPort;
      this.cacheArn = cache.attrArn;
    } else {
      const layout = spec.aws.nodes!;
      const clusterMode = layout.shards > 1;
      const subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
        description: `${spec.aws.cacheName} feature cache subnets`,
        subnetIds,
      });
      const group: elasticache.CfnReplicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
        // Create-only inputs that follow the topology or this construct: engine, key, subnet group, replicas per shard.
        replicationGroupId: createOnlyName(this, spec.aws.cacheName, AWS_NAMING.serverlessCache, () => ({
          engine: group.engine,
          kmsKeyId: group.kmsKeyId,
          cacheSubnetGroupName: group.cacheSubnetGroupName,
          replicasPerNodeGroup: group.replicasPerNodeGroup,
          port: group.port,
        })).name,
        replicationGroupDescription: `Online features of ${spec.aws.cacheName}`,
        engine: spec.engine,
        engineVersion: versions.full,
        cacheNodeType: layout.nodeType,
        numNodeGroups: layout.shards,
        replicasPerNodeGroup: layout.replicasPerShard,
        clusterMode: clusterMode ? 'enabled' : 'disabled',
        cacheParameterGroupName: clusterMode ? versions.clusterParameterGroup : undefined,
        automaticFailoverEnabled: clusterMode || layout.replicasPerShard > 0,
        multiAzEnabled: spec.multiZone && layout.replicasPerShard > 0,
        transitEncryptionEnabled: true,
        transitEncryptionMode: 'required',
        atRestEncryptionEnabled: true,
        kmsKeyId: this.encryptionKey.keyArn,
        cacheSubnetGroupName: subnetGroup.ref,
        securityGroupIds: [securityGroup.securityGroupId],
        port: NODE_CACHE_PORT,
        userGroupIds: [this.userGroup.ref],
        snapshotRetentionLimit: spec.aws.snapshotRetentionDays,
        snapshotWindow: SNAPSHOT_WINDOW,
        preferredMaintenanceWindow: MAINTENANCE_WINDOW,
        autoMinorVersionUpgrade: true,
      });
      this.resource = group;
      this.endpointAddress = clusterMode ? group.attrConfigurationEndPointAddress : group.attrPrimaryEndPointAddress;
      this.endpointPort = clusterMode ? group.attrConfigurationEndPointPort : group.attrPrimaryEndPointPort;
      this.cacheArn = Stack.of(this).formatArn({
        service: 'elasticache',
        resource: 'replicationgroup',
        resourceName: group.ref,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      acknowledge(
        group,
        'AwsSolutions-AEC6',
        'Clients authenticate as IAM-authenticated users of an RBAC user group (UserGroupIds); a shared AUTH token would be a long-lived password that RBAC replaces.',
      );
      if (!spec.multiZone) {
        acknowledge(
          group,
          'AwsSolutions-AEC4',
          'The topology keeps this cache in one zone (featureCache.multiZone false), which only non-production topologies may do (CACHE-03): its features are rebuilt from the source of truth after a zone outage.',
        );
      }
      if (spec.aws.snapshotRetentionDays < 15) {
        acknowledge(
          group,
          'NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup',
          `Non-production cache: resolveTopology keeps ${spec.aws.snapshotRetentionDays} day(s) of snapshots because its features are rebuilt from the source of truth; production keeps 15.`,
        );
      }
    }
    for (const child of [this.resource, this.userGroup, this.applicationUser, defaultUser]) child.applyRemovalPolicy(removalPolicy);
  }

  /**
   * Lets `grantee` connect as the application user: `elasticache:Connect` on the cache and on that
   * user (ElastiCache IAM authentication needs both).
   */
  grantConnect(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticache:Connect'],
      resourceArns: [this.cacheArn, this.applicationUser.attrArn],
    });
  }
}
