/**
 * `AuroraVectorStore`: the pgvector engine on Aurora PostgreSQL Serverless v2 — encrypted, IAM
 * authentication, backups, logs exported to a group with our key — whose HNSW index the
 * application's migrations create from `schemaStatements` (VEC-01…04).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { PGVECTOR_DATABASE, PGVECTOR_LIMITS, pgvectorSchema } from '../../constructs';
import { acknowledge } from '../private/acknowledge';
import { allowLogGroupEncryption, newComponentKey } from '../private/component-key';
import { throwIfProblems, type PropProblem } from '../private/problems';
import type { VectorEngine, VectorEngineProps } from './vector-engine';

/** Aurora listens on a non-default port (AwsSolutions-RDS11). */
export const PGVECTOR_PORT = 5433;

export interface AuroraVectorStoreProps extends VectorEngineProps {
  /**
   * Service-side deletion protection of the database.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Aurora Serverless v2 capacity bounds in ACUs.
   * @default - the resolved store's `database.aws` minCapacityAcu and maxCapacityAcu
   */
  readonly capacity?: { readonly min: number; readonly max: number };
}

export class AuroraVectorStore extends Construct implements VectorEngine {
  readonly encryptionKey: kms.IKey;
  /** Allow clients to the database port. */
  readonly connections: ec2.Connections;
  readonly database: rds.DatabaseCluster;
  /**
   * The SQL that creates the extension, the table and the HNSW index with the spec's parameters. Run
   * by the application's migrations: CloudFormation has no resource for schema.
   */
  readonly schemaStatements: readonly string[];
  /** The writer's host. */
  readonly endpointAddress: string;

  constructor(scope: Construct, id: string, props: AuroraVectorStoreProps) {
    super(scope, id);
    validate(this, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} vectors at rest`, removalPolicy);
    this.database = this.newDatabase(props, props.vpc.selectSubnets(props.vpcSubnets), removalPolicy);
    // A literal port (the cluster's port attribute is a token) so policy checks can read ingress rules.
    this.connections = new ec2.Connections({ securityGroups: this.database.connections.securityGroups, defaultPort: ec2.Port.tcp(PGVECTOR_PORT) });
    this.endpointAddress = this.database.clusterEndpoint.hostname;
    this.schemaStatements = pgvectorSchema(props.store);
  }

  /** Lets `grantee` connect to the database as `dbUser` with IAM authentication: `rds-db:connect` on that user. */
  grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    return this.database.grantConnect(grantee, dbUser);
  }

  private newDatabase(props: AuroraVectorStoreProps, subnets: ec2.SelectedSubnets, removalPolicy: RemovalPolicy): rds.DatabaseCluster {
    const store = props.store;
    const protection = store.database;
    if (!protection) throw new Error('resolveTopology gives every pgvector store its database settings');
    const clusterIdentifier = store.aws.collectionName;
    const logGroupName = `/aws/rds/cluster/${clusterIdentifier}/postgresql`;
    allowLogGroupEncryption(this.encryptionKey, logGroupName);
    // RDS exports into this group when it exists; creating it here sets its key and retention.
    const logGroup = new logs.LogGroup(this, 'DatabaseLogs', {
      logGroupName,
      encryptionKey: this.encryptionKey,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
    });
    const instanceProps = { autoMinorVersionUpgrade: true, publiclyAccessible: false, performanceInsightEncryptionKey: this.encryptionKey };
    const capacity = props.capacity ?? { min: protection.aws.minCapacityAcu, max: protection.aws.maxCapacityAcu };
    const database = new rds.DatabaseCluster(this, 'Database', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_5 }),
      clusterIdentifier,
      defaultDatabaseName: PGVECTOR_DATABASE,
      manageMasterUserPassword: true,
      credentials: rds.Credentials.fromUsername('postgres'),
      writer: rds.ClusterInstance.serverlessV2('Writer', instanceProps),
      // One reader per replica beyond the first, in another zone: the writer fails over to it.
      readers: Array.from({ length: Math.max(0, store.replicas.min - 1) }, (_, i) =>
        rds.ClusterInstance.serverlessV2(`Reader${i + 1}`, { ...instanceProps, scaleWithWriter: true }),
      ),
      serverlessV2MinCapacity: capacity.min,
      serverlessV2MaxCapacity: capacity.max,
      vpc: props.vpc,
      vpcSubnets: { subnets: subnets.subnets },
      port: PGVECTOR_PORT,
      storageEncryptionKey: this.encryptionKey,
      iamAuthentication: true,
      deletionProtection: props.deletionProtection ?? true,
      // The point-in-time window is the backup retention on Aurora (store.database.pointInTimeRecoveryDays).
      backup: { retention: Duration.days(protection.backupRetentionDays), preferredWindow: '03:00-04:00' },
      preferredMaintenanceWindow: 'sun:05:30-sun:06:30',
      cloudwatchLogsExports: ['postgresql'],
      copyTagsToSnapshot: true,
      monitoringInterval: Duration.seconds(60),
      removalPolicy,
    });
    database.node.addDependency(logGroup);
    const monitoringRole = database.node.tryFindChild('MonitoringRole');
    if (monitoringRole) {
      acknowledge(
        monitoringRole,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
        'Enhanced monitoring needs AmazonRDSEnhancedMonitoringRole, the AWS-managed service policy RDS publishes OS metrics with; it grants only CloudWatch Logs access to the RDSOSMetrics group.',
      );
    }
    acknowledge(
      database,
      'NIST.800.53.R5-RDSInBackupPlan',
      'Aurora continuous automated backups (point-in-time restore within the retention period) protect the vectors; the index is also rebuildable from the embedding-refresh source of truth (DATA-05).',
    );
    if (!(props.deletionProtection ?? true)) {
      const reason = 'Deletion protection follows the topology: off outside production (resolveTopology.deletionProtection) so a test environment can be torn down; on in production.';
      acknowledge(database, 'AwsSolutions-RDS10', reason);
      acknowledge(database, 'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled', reason);
    }
    // The master password RDS manages (and rotates) in Secrets Manager is encrypted with our key too.
    (database.node.defaultChild as rds.CfnDBCluster).addPropertyOverride('MasterUserSecret.KmsKeyId', this.encryptionKey.keyArn);
    return database;
  }
}

function validate(scope: Construct, props: AuroraVectorStoreProps): void {
  const store = props.store;
  const problems: PropProblem[] = [];
  if (store.dimensions > PGVECTOR_LIMITS.dimensions) {
    problems.push({ path: 'store.dimensions', message: `pgvector HNSW indexes take at most ${PGVECTOR_LIMITS.dimensions} dimensions, got ${store.dimensions}` });
  }
  if (store.index.efConstruction > PGVECTOR_LIMITS.efConstruction) {
    problems.push({ path: 'store.index.efConstruction', message: `pgvector allows at most ${PGVECTOR_LIMITS.efConstruction}, got ${store.index.efConstruction}` });
  }
  if (store.index.efSearch > PGVECTOR_LIMITS.efSearch) {
    problems.push({ path: 'store.index.efSearch', message: `pgvector hnsw.ef_search allows at most ${PGVECTOR_LIMITS.efSearch}, got ${store.index.efSearch}` });
  }
  if (props.capacity && props.capacity.min > props.capacity.max) {
    problems.push({ path: 'capacity.min', message: `must be <= capacity.max (${props.capacity.max}), got ${props.capacity.min}` });
  }
  throwIfProblems(scope, problems);
}
