/**
 * `VectorStore`: the topology's vector store on the engine it names, chosen here and nowhere else:
 * OpenSearch Serverless for `managed` (`OpenSearchVectorStore`), Aurora PostgreSQL with pgvector
 * for `pgvector` (`AuroraVectorStore`). Each engine also works on its own.
 *
 * The engine is this construct's `Default` child, and the key its sibling `Key`: CloudFormation
 * logical ids leave `Default` out, so the resources keep the ids they had when this construct built
 * them itself (a new logical id would replace the collection or the database, and lose the data).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as opensearchserverless from 'aws-cdk-lib/aws-opensearchserverless';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { newComponentKey } from '../private/component-key';
import { AuroraVectorStore, type AuroraVectorStoreProps } from './aurora-vector-store';
import { OpenSearchVectorStore, type OpenSearchVectorStoreProps } from './opensearch-vector-store';
import type { VectorEngine } from './vector-engine';
import type { VectorIndex } from './vector-index';

export { EMBEDDING_FIELD, OPENSEARCH_KNN_ENGINE } from '../private/vector-index-mapping';

/** The props of both engines; each engine reads its own and ignores the other's. */
export interface VectorStoreProps extends OpenSearchVectorStoreProps, AuroraVectorStoreProps {}

export class VectorStore extends Construct implements VectorEngine {
  readonly engine: OpenSearchVectorStore | AuroraVectorStore;
  readonly encryptionKey: kms.IKey;
  /** Allow clients to the collection's VPC endpoint or the database port. */
  readonly connections: ec2.Connections;
  /** Collection endpoint URL or database host. */
  readonly endpointAddress: string;

  constructor(scope: Construct, id: string, props: VectorStoreProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} vectors at rest`, removalPolicy);
    const engineProps = { ...props, encryptionKey: this.encryptionKey, removalPolicy };
    this.engine =
      props.store.engine === 'pgvector' ? new AuroraVectorStore(this, 'Default', engineProps) : new OpenSearchVectorStore(this, 'Default', engineProps);
    this.connections = this.engine.connections;
    this.endpointAddress = this.engine.endpointAddress;
  }

  /** The OpenSearch Serverless engine, for the managed store. */
  get openSearch(): OpenSearchVectorStore | undefined {
    return this.engine instanceof OpenSearchVectorStore ? this.engine : undefined;
  }

  /** The Aurora engine, for the pgvector store. */
  get aurora(): AuroraVectorStore | undefined {
    return this.engine instanceof AuroraVectorStore ? this.engine : undefined;
  }

  /** Managed engine: the collection. */
  get collection(): opensearchserverless.CfnCollection | undefined {
    return this.openSearch?.collection;
  }

  /** Managed engine: the index with the spec's HNSW parameters (unless `createIndex` is false). */
  get index(): VectorIndex | undefined {
    return this.openSearch?.index;
  }

  /** Managed engine: the index name, `<indexName>-<hash of the mapping>`. */
  get indexName(): string | undefined {
    return this.openSearch?.indexName;
  }

  /** pgvector engine: the Aurora cluster. */
  get database(): rds.DatabaseCluster | undefined {
    return this.aurora?.database;
  }

  /** pgvector engine: the SQL the application's migrations run (extension, table, HNSW index). */
  get schemaStatements(): readonly string[] | undefined {
    return this.aurora?.schemaStatements;
  }

  /** Managed engine only: see `OpenSearchVectorStore.grantRead`. */
  grantRead(grantee: iam.IRole): iam.Grant {
    return this.requireOpenSearch().grantRead(grantee);
  }

  /** Managed engine only: see `OpenSearchVectorStore.grantReadWrite`. */
  grantReadWrite(grantee: iam.IRole): iam.Grant {
    return this.requireOpenSearch().grantReadWrite(grantee);
  }

  /** pgvector engine only: see `AuroraVectorStore.grantConnect`. */
  grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    const aurora = this.aurora;
    if (!aurora) throw new Error(`${this.node.path}: grantConnect needs the pgvector engine; use grantRead or grantReadWrite`);
    return aurora.grantConnect(grantee, dbUser);
  }

  private requireOpenSearch(): OpenSearchVectorStore {
    const openSearch = this.openSearch;
    if (!openSearch) throw new Error(`${this.node.path}: grantRead/grantReadWrite need the managed engine; use grantConnect`);
    return openSearch;
  }
}
