/**
 * `OpenSearchVectorStore`: the managed engine on OpenSearch Serverless. A VECTORSEARCH collection
 * reachable only through its own VPC endpoint, encrypted with a customer-managed key, readable only
 * by the roles named in its data access policy, with the spec's HNSW index (created from inside the
 * VPC by a `VectorIndex`, named by a hash of its mapping) (VEC-01…04).
 */
import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearchserverless from 'aws-cdk-lib/aws-opensearchserverless';
import { Construct } from 'constructs';
import { AWS_NAMING, fitName } from '../../constructs';
import { newComponentKey } from '../private/component-key';
import { createOnlyName } from '../private/create-only-name';
import { vectorIndexDefinition } from '../private/vector-index-mapping';
import type { VectorEngine, VectorEngineProps } from './vector-engine';
import { VectorIndex } from './vector-index';

const COLLECTION_TYPE = 'VECTORSEARCH';

export interface OpenSearchVectorStoreProps extends VectorEngineProps {
  /**
   * Roles that read and write documents; more with `grantReadWrite`.
   * @default - none
   */
  readonly dataAccessRoles?: iam.IRole[];
  /**
   * Whether the stack creates the index with the spec's mapping, through a `VectorIndex` handler
   * inside the VPC. Turn off when the application creates its own indexes.
   * @default true
   */
  readonly createIndex?: boolean;
}

export class OpenSearchVectorStore extends Construct implements VectorEngine {
  readonly encryptionKey: kms.IKey;
  /** Allow clients to the collection's VPC endpoint. */
  readonly connections: ec2.Connections;
  readonly collection: opensearchserverless.CfnCollection;
  /** The index with the spec's HNSW parameters (unless `createIndex` is false). */
  readonly index?: VectorIndex;
  /**
   * The index name, `<indexName>-<hash of the mapping>`. A mapping change (dimensions, engine, space
   * type, m, ef_construction, ef_search) is a new index beside the old one.
   */
  readonly indexName?: string;
  /** The collection's private endpoint. */
  readonly vpcEndpoint: opensearchserverless.CfnVpcEndpoint;
  /** The data access policy; its principals grow with `grantRead`/`grantReadWrite`. */
  readonly accessPolicy: opensearchserverless.CfnAccessPolicy;
  /** The collection endpoint URL. */
  readonly endpointAddress: string;

  private readonly managers = new Set<string>();
  private readonly readers = new Set<string>();
  private readonly writers = new Set<string>();

  constructor(scope: Construct, id: string, props: OpenSearchVectorStoreProps) {
    super(scope, id);
    const store = props.store;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} vectors at rest`, removalPolicy);
    const subnets = props.vpc.selectSubnets(props.vpcSubnets);

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
   * Serverless checks both).
   */
  grantRead(grantee: iam.IRole): iam.Grant {
    this.readers.add(grantee.roleArn);
    return this.grantApiAccess(grantee);
  }

  /**
   * Lets `grantee` search and write documents: `aoss:DescribeIndex`, `aoss:ReadDocument`,
   * `aoss:WriteDocument` in the data access policy and `aoss:APIAccessAll` on the collection.
   */
  grantReadWrite(grantee: iam.IRole): iam.Grant {
    this.writers.add(grantee.roleArn);
    return this.grantApiAccess(grantee);
  }

  private grantApiAccess(grantee: iam.IRole): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['aoss:APIAccessAll'], resourceArns: [this.collection.attrArn] });
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
