/**
 * The managed vector store's index is created from inside the VPC: the collection's network policy
 * admits only its VPC endpoint, so `AWS::OpenSearchServerless::Index` (whose requests come from
 * outside) cannot create it. A Lambda handler in the private subnets does, named in the data access
 * policy. The index name carries a hash of its mapping, so a mapping change is a new index.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { VectorStore } from '../../aws';
import { vectorIndexDefinition } from '../../aws/private/vector-index-mapping';
import { parseJoinedJson, resolvedTopology } from './support';

const prod = resolvedTopology('prod');

function storeInHost(removalPolicy?: RemovalPolicy) {
  const stack = new Stack(new App(), 'Host');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const store = new VectorStore(stack, 'Vectors', { store: prod.vectorStore!, vpc, removalPolicy });
  return { stack, store, template: Template.fromStack(stack) };
}

const logicalIdOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
const retainedStore = storeInHost();

describe('VectorStore index', () => {
  it('is created by a handler in the VPC, not by AWS::OpenSearchServerless::Index', () => {
    const { stack, store, template } = retainedStore;
    template.resourceCountIs('AWS::OpenSearchServerless::Index', 0);
    template.resourceCountIs('Custom::VectorIndex', 1);
    const handler = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
    const [handlerProps] = Object.values(handler).map((r) => r.Properties);
    expect(handlerProps.VpcConfig.SubnetIds).toHaveLength(2);
    // The handler may reach the collection endpoint on HTTPS and nothing else.
    const handlerGroup = logicalIdOf(stack, store.index!.node.findChild('SecurityGroup') as ec2.SecurityGroup);
    const endpointGroup = logicalIdOf(stack, store.engine.node.findChild('SecurityGroup') as ec2.SecurityGroup);
    expect(template.toJSON().Resources[handlerGroup].Properties.SecurityGroupEgress).toBeUndefined();
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [handlerGroup, 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [endpointGroup, 'GroupId'] },
      FromPort: 443,
      ToPort: 443,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [endpointGroup, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [handlerGroup, 'GroupId'] },
      FromPort: 443,
    });
  });

  it('the data access policy lets the handler role create, describe and delete every generation of the index, and names no deployment role', () => {
    const { stack, store, template } = retainedStore;
    const [policy] = Object.values(template.findResources('AWS::OpenSearchServerless::AccessPolicy'));
    const statements = parseJoinedJson(policy.Properties.Policy) as { Description: string; Rules: { ResourceType: string; Resource: string[]; Permission: string[] }[]; Principal: string[] }[];
    expect(statements).toEqual([
      {
        Description: 'The index handler creates, checks and deletes the index',
        Rules: [
          { ResourceType: 'collection', Resource: ['collection/news-prod-vectors-*'], Permission: ['aoss:DescribeCollectionItems'] },
          { ResourceType: 'index', Resource: ['index/news-prod-vectors-*/embeddings-*'], Permission: ['aoss:CreateIndex', 'aoss:DescribeIndex', 'aoss:DeleteIndex'] },
        ],
        Principal: ['<ref>'],
      },
    ]);
    expect(JSON.stringify(policy.Properties.Policy)).toContain(logicalIdOf(stack, store.index!.handlerRole));
    expect(JSON.stringify(policy.Properties.Policy)).not.toContain('cfn-exec-role');
  });

  it('waits for the VPC endpoint, the network policy and the data access policy', () => {
    const { stack, store, template } = retainedStore;
    const [index] = Object.values(template.findResources('Custom::VectorIndex'));
    const ids = ['VpcEndpoint', 'NetworkPolicy', 'AccessPolicy'].map((id) => logicalIdOf(stack, store.engine.node.findChild(id) as never));
    expect(index.DependsOn).toEqual(expect.arrayContaining(ids));
  });

  it('is retained with the collection in production and deleted with it elsewhere', () => {
    retainedStore.template.hasResource('Custom::VectorIndex', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    storeInHost(RemovalPolicy.DESTROY).template.hasResource('Custom::VectorIndex', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  it('handler code imports only the AWS SDK and Node, never CDK', () => {
    const folder = join(__dirname, '../../aws/handlers/vector-index');
    const imports = readdirSync(folder).flatMap((file) => [...readFileSync(join(folder, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((source) => !/^(\.\/|node:|@aws-sdk\/|@smithy\/)/.test(source))).toEqual([]);
  });
});

describe('index name and mapping', () => {
  const base = prod.vectorStore!;
  const name = (store: typeof base) => vectorIndexDefinition(store).name;

  it('changes with every mapping input that OpenSearch cannot change in place', () => {
    const variants = [
      { ...base, dimensions: 1024 },
      { ...base, index: { ...base.index, m: 32 } },
      { ...base, index: { ...base.index, efConstruction: 256 } },
      { ...base, index: { ...base.index, efSearch: 256 } },
      { ...base, aws: { ...base.aws, spaceType: 'innerproduct' as const } },
    ];
    const names = [base, ...variants].map(name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^embeddings-[0-9a-f]{8}$/);
  });

  it('stays the same for inputs that are not part of the mapping', () => {
    expect(name({ ...base, expectedVectors: base.expectedVectors * 10, queriesPerSecond: 1, replicas: { min: 1, max: 1 } })).toBe(name(base));
  });

  it('puts Faiss ef_search in the method parameters, not in the NMSLIB index setting', () => {
    const { body } = vectorIndexDefinition(base);
    expect(body.settings).toEqual({ index: { knn: true } });
    expect(JSON.stringify(body)).not.toContain('algo_param');
    expect(body.mappings.properties.embedding).toMatchObject({ method: { engine: 'faiss', parameters: { ef_search: base.index.efSearch } } });
  });
});
