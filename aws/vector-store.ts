/**
 * `VectorStore`: the retrieval index. Engine `managed` is an OpenSearch Serverless VECTORSEARCH
 * collection reachable only through its own VPC endpoint, encrypted with a customer-managed key,
 * readable only by the roles named in its data access policy, with the spec's HNSW index (created
 * from inside the VPC by a `VectorIndex`, named by a hash of its mapping). Engine
 * `pgvector` is Aurora PostgreSQL Serverless v2 (encrypted, IAM authentication, backups) whose
 * HNSW index the application's migrations create from `schemaStatements` (VEC-01…04).
 */
import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearchserverless from 'aws-cdk-lib/aws-opensearchserverless';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { AWS_NAMING, fitName, PGVECTOR_LIMITS, type ResolvedVectorStore } from '../constructs';
import { acknowledge } from './private/acknowledge';
import { allowLogGroupEncryption, newComponentKey } from './private/component-key';
import { createOnlyName } from './private/create-only-name';
import { throwIfProblems, type PropProblem } from './private/problems';
import { EMBEDDING_FIELD, vectorIndexDefinition } from './private/vector-index-mapping';
import { VectorIndex } from './vector-index';

export { EMBEDDING_FIELD, OPENSEARCH_KNN_ENGINE } from './private/vector-index-mapping';

/** Aurora listens on a non-default port (AwsSolutions-RDS11). */
export const PGVECTOR_PORT = 5433;
const PGVECTOR_DATABASE = 'vectors';
const COLLECTION_TYPE = 'VECTORSEARCH';
const PGVECTOR_OPERATOR_CLASS = { cosine: 'vector_cosine_ops', 'dot-product': 'vector_ip_ops', euclidean: 'vector_l2_ops' } as const;

export interface VectorStoreProps {
  /** Engine, dimensions, metric, HNSW parameters, replicas and names. */
  readonly store: ResolvedVectorStore;
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the collection's VPC endpoint or the database.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Key the collection or the database is encrypted with.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Roles that read and write documents (managed engine); more with `grantReadWrite`.
   * @default - none
   */
  readonly dataAccessRoles?: iam.IRole[];
  /**
   * Whether the stack creates the index with the spec's mapping (managed engine), through a
   * `VectorIndex` handler inside the VPC. Turn off when the application creates its own indexes.
   * @default true
   */
  readonly createIndex?: boolean;
  /**
   * Service-side deletion protection of the database (pgvector engine).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Aurora Serverless v2 capacity bounds in ACUs (pgvector engine).
   * @default - the resolved store's `database.aws` minCapacityAcu and maxCapacityAcu
   */
  readonly capacity?: { readonly min: number; readonly max: number };
  /**
   * What happens to the collection, index, database and key when they leave the stack. Retained by
   * default: an OpenSearch Serverless snapshot restores only into the original collection, so a
   * replaced collection loses its index.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class VectorStore extends Construct {
  readonly encryptionKey: kms.IKey;
  /** Allow clients to the collection's VPC endpoint or the database port. */
  readonly connections: ec2.Connections;
  /** Managed engine: the collection. */
  readonly collection?: opensearchserverless.CfnCollection;
  /** Managed engine: the index with the spec's HNSW parameters (unless `createIndex` is false). */
  readonly index?: VectorIndex;
  /**
   * Managed engine: the index name, `<indexName>-<hash of the mapping>`. A mapping change (dimensions,
   * engine, space type, m, ef_construction, ef_search) is a new index beside the old one.
   */
  readonly indexName?: string;
  /** Managed engine: the collection's private endpoint. */
  readonly vpcEndpoint?: opensearchserverless.CfnVpcEndpoint;
  /** Managed engine: the data access policy; its principals grow with `grantRead`/`grantReadWrite`. */
  readonly accessPolicy?: opensearchserverless.CfnAccessPolicy;
  /** pgvector engine: the Aurora cluster. */
  readonly database?: rds.DatabaseCluster;
  /**
   * pgvector engine: the SQL that creates the extension, the table and the HNSW index with the spec's
   * parameters. Run by the application's migrations: CloudFormation has no resource for schema.
   */
  readonly schemaStatements?: readonly string[];
  /** Collection endpoint URL or database host. */
  readonly endpointAddress: string;

  private readonly managers = new Set<string>();
  private readonly readers = new Set<string>();
  private readonly writers = new Set<string>();

  constructor(scope: Construct, id: string, props: VectorStoreProps) {
    super(scope, id);
    validate(this, props);
    const store = props.store;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} vectors at rest`, removalPolicy);
    const subnets = props.vpc.selectSubnets(props.vpcSubnets);

    if (store.engine === 'pgvector') {
      const database = this.newDatabase(props, subnets, removalPolicy);
      this.database = database;
      // A literal port (the cluster's port attribute is a token) so policy checks can read ingress rules.
      this.connections = new ec2.Connections({ securityGroups: database.connections.securityGroups, defaultPort: ec2.Port.tcp(PGVECTOR_PORT) });
      this.endpointAddress = database.clusterEndpoint.hostname;
      this.schemaStatements = pgvectorSchema(store);
      return;
    }

    const name = store.aws.collectionName;
    const standbyReplicas = store.aws.standbyReplicas ? 'ENABLED' : 'DISABLED';
    // Type, StandbyReplicas and Tags are create-only: a change is a new collection under a new name.
    const collectionName = createOnlyName(this, name, AWS_NAMING.opensearchCollection, () => ({
      type: COLLECTION_TYPE,
      standbyReplicas,
      tags: this.collection?.tags.renderTags(),
    }));
    // The policies cover every generation of the collection, so a replacement is created encrypted and private.
    const collectionResource = `collection/${collectionName.prefix}-*`;
    const policyName = (suffix: string): string => fitName([name, suffix], AWS_NAMING.opensearchCollection);

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${name} vector collection endpoint`,
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(443) });
    this.vpcEndpoint = new opensearchserverless.CfnVpcEndpoint(this, 'VpcEndpoint', {
      name: policyName('vpce'),
      vpcId: props.vpc.vpcId,
      subnetIds: subnets.subnetIds,
      securityGroupIds: [securityGroup.securityGroupId],
    });

    const encryptionPolicy = new opensearchserverless.CfnSecurityPolicy(this, 'EncryptionPolicy', {
      name: policyName('encryption'),
      type: 'encryption',
      description: `Customer-managed key for ${name}`,
      policy: Stack.of(this).toJsonString({
        Rules: [{ ResourceType: 'collection', Resource: [collectionResource] }],
        AWSOwnedKey: false,
        KmsARN: this.encryptionKey.keyArn,
      }),
    });
    const networkPolicy = new opensearchserverless.CfnSecurityPolicy(this, 'NetworkPolicy', {
      name: policyName('network'),
      type: 'network',
      description: `Only the ${name} VPC endpoint reaches the collection`,
      policy: Stack.of(this).toJsonString([
        {
          Rules: [{ ResourceType: 'collection', Resource: [collectionResource] }],
          AllowFromPublic: false,
          SourceVPCEs: [this.vpcEndpoint.attrId],
        },
      ]),
    });

    const collection = new opensearchserverless.CfnCollection(this, 'Resource', {
      name: collectionName.name,
      type: COLLECTION_TYPE,
      description: `${store.dimensions}-dimension ${store.metric} embeddings`,
      standbyReplicas,
    });
    collection.addResourceDependency(encryptionPolicy, 'a collection can only be created once an encryption policy covers its name');
    collection.addResourceDependency(networkPolicy, 'the collection must never exist without its network policy');
    this.collection = collection;
    this.endpointAddress = collection.attrCollectionEndpoint;

    for (const role of props.dataAccessRoles ?? []) this.writers.add(role.roleArn);
    // Every generation of the index (one per mapping) is covered, so readers keep the old one while the new one fills.
    const indexResource = `index/${collectionName.prefix}-*/${store.aws.indexName}-*`;
    this.accessPolicy = new opensearchserverless.CfnAccessPolicy(this, 'AccessPolicy', {
      name: policyName('access'),
      type: 'data',
      description: `Named roles only for ${name}`,
      policy: Lazy.string({
        produce: () =>
          Stack.of(this).toJsonString(
            dataAccessStatements(collectionResource, indexResource, { managers: [...this.managers], writers: [...this.writers], readers: [...this.readers] }),
          ),
      }),
    });

    if (props.createIndex ?? true) {
      const definition = vectorIndexDefinition(store);
      const index = new VectorIndex(this, 'Index', {
        collection,
        indexName: definition.name,
        body: definition.body,
        vpc: props.vpc,
        vpcSubnets: props.vpcSubnets,
        collectionEndpointConnections: this.connections,
        encryptionKey: this.encryptionKey,
        removalPolicy,
      });
      this.managers.add(index.handlerRole.roleArn);
      // The handler reaches the collection only once its VPC endpoint, network policy and access policy exist.
      index.resource.node.addDependency(this.accessPolicy, networkPolicy, this.vpcEndpoint);
      this.index = index;
      this.indexName = definition.name;
    }
    for (const child of [collection, encryptionPolicy, networkPolicy, this.accessPolicy, this.vpcEndpoint]) child.applyRemovalPolicy(removalPolicy);
  }

  /**
   * Lets `grantee` search the index: names it in the data access policy with `aoss:DescribeIndex`
   * and `aoss:ReadDocument`, and grants it `aoss:APIAccessAll` on the collection (OpenSearch
   * Serverless checks both). Managed engine only.
   */
  grantRead(grantee: iam.IRole): iam.Grant {
    this.readers.add(grantee.roleArn);
    return this.grantApiAccess(grantee);
  }

  /**
   * Lets `grantee` search and write documents: `aoss:DescribeIndex`, `aoss:ReadDocument`,
   * `aoss:WriteDocument` in the data access policy and `aoss:APIAccessAll` on the collection.
   * Managed engine only.
   */
  grantReadWrite(grantee: iam.IRole): iam.Grant {
    this.writers.add(grantee.roleArn);
    return this.grantApiAccess(grantee);
  }

  /**
   * Lets `grantee` connect to the database as `dbUser` with IAM authentication: `rds-db:connect` on
   * that user. pgvector engine only.
   */
  grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    if (!this.database) throw new Error(`${this.node.path}: grantConnect needs the pgvector engine; use grantRead or grantReadWrite`);
    return this.database.grantConnect(grantee, dbUser);
  }

  private grantApiAccess(grantee: iam.IRole): iam.Grant {
    if (!this.collection) throw new Error(`${this.node.path}: grantRead/grantReadWrite need the managed engine; use grantConnect`);
    return iam.Grant.addToPrincipal({ grantee, actions: ['aoss:APIAccessAll'], resourceArns: [this.collection.attrArn] });
  }

  private newDatabase(props: VectorStoreProps, subnets: ec2.SelectedSubnets, removalPolicy: RemovalPolicy): rds.DatabaseCluster {
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

/** The data access policy: the index handler manages the index, writers read and write documents, readers read. */
function dataAccessStatements(
  collectionResource: string,
  indexResource: string,
  principals: { readonly managers: readonly string[]; readonly writers: readonly string[]; readonly readers: readonly string[] },
): object[] {
  const statements: object[] = [];
  const add = (description: string, arns: readonly string[], collectionPermissions: string[], indexPermissions: string[]): void => {
    if (arns.length === 0) return;
    statements.push({
      Description: description,
      Rules: [
        { ResourceType: 'collection', Resource: [collectionResource], Permission: collectionPermissions },
        { ResourceType: 'index', Resource: [indexResource], Permission: indexPermissions },
      ],
      Principal: [...arns],
    });
  };
  add('The index handler creates, checks and deletes the index', principals.managers, ['aoss:DescribeCollectionItems'], ['aoss:CreateIndex', 'aoss:DescribeIndex', 'aoss:DeleteIndex']);
  add('Indexers read and write documents', principals.writers, ['aoss:DescribeCollectionItems'], ['aoss:DescribeIndex', 'aoss:ReadDocument', 'aoss:WriteDocument']);
  add('Retrievers read documents', principals.readers, ['aoss:DescribeCollectionItems'], ['aoss:DescribeIndex', 'aoss:ReadDocument']);
  return statements;
}

function pgvectorSchema(store: ResolvedVectorStore): string[] {
  const opclass = PGVECTOR_OPERATOR_CLASS[store.metric];
  return [
    'CREATE EXTENSION IF NOT EXISTS vector;',
    `CREATE TABLE IF NOT EXISTS embeddings (id text PRIMARY KEY, ${EMBEDDING_FIELD} vector(${store.dimensions}) NOT NULL, metadata jsonb);`,
    `CREATE INDEX IF NOT EXISTS embeddings_hnsw ON embeddings USING hnsw (${EMBEDDING_FIELD} ${opclass}) WITH (m = ${store.index.m}, ef_construction = ${store.index.efConstruction});`,
    `ALTER DATABASE ${PGVECTOR_DATABASE} SET hnsw.ef_search = ${store.index.efSearch};`,
  ];
}

function validate(scope: Construct, props: VectorStoreProps): void {
  const store = props.store;
  const problems: PropProblem[] = [];
  if (store.engine === 'pgvector') {
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
  }
  throwIfProblems(scope, problems);
}
