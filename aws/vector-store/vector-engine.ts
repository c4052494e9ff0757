/** What the VectorStore entry needs of an engine, and the props every engine takes. */
import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { ResolvedVectorStore } from '../../constructs';

export interface VectorEngine {
  readonly encryptionKey: kms.IKey;
  /** Allow clients to the collection's VPC endpoint or the database port. */
  readonly connections: ec2.Connections;
  /** Collection endpoint URL or database host. */
  readonly endpointAddress: string;
}

export interface VectorEngineProps {
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
   * What happens to the collection, index, database and key when they leave the stack. Retained by
   * default: an OpenSearch Serverless snapshot restores only into the original collection, so a
   * replaced collection loses its index.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
