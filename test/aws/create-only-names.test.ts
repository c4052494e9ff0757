/**
 * Day-two changes that touch a create-only property of a custom-named resource. CloudFormation
 * replaces such a resource, and cannot while the new one would take the old one's name ("cannot
 * update a stack when a custom-named resource requires replacing"). So whenever a create-only
 * property changes, the resource's name changes too; and a user tag edit does not replace the
 * vector collection at all.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { newServingApp, ServingStack, servingStackId } from '../../aws';
import type { ResolvedTopology } from '../../constructs';
import { resolvedTopology, type EnvironmentName } from './support';

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/**
 * Name property and create-only properties of the custom-named types the serving stack creates,
 * from the CloudFormation resource schemas (`createOnlyProperties`; AWS CloudFormation Template
 * Reference, "Update requires: Replacement"), as published in the @aws-cdk/aws-service-spec database.
 */
const CUSTOM_NAMED: Readonly<Record<string, { name: string; createOnly: readonly string[] }>> = {
  'AWS::OpenSearchServerless::Collection': { name: 'Name', createOnly: ['Type', 'Tags', 'StandbyReplicas', 'CollectionGroupName', 'EncryptionConfig'] },
  'AWS::OpenSearchServerless::VpcEndpoint': { name: 'Name', createOnly: ['VpcId'] },
  'AWS::OpenSearchServerless::SecurityPolicy': { name: 'Name', createOnly: ['Type'] },
  'AWS::OpenSearchServerless::AccessPolicy': { name: 'Name', createOnly: ['Type'] },
  'AWS::ElastiCache::ServerlessCache': { name: 'ServerlessCacheName', createOnly: ['KmsKeyId', 'SnapshotArnsToRestore', 'SubnetIds', 'NetworkType'] },
  'AWS::ElastiCache::User': { name: 'UserId', createOnly: ['Engine', 'UserName'] },
  'AWS::ElastiCache::UserGroup': { name: 'UserGroupId', createOnly: ['Engine'] },
  'AWS::ElastiCache::ReplicationGroup': {
    name: 'ReplicationGroupId',
    createOnly: ['AtRestEncryptionEnabled', 'CacheSubnetGroupName', 'DataTieringEnabled', 'Engine', 'GlobalReplicationGroupId', 'KmsKeyId', 'NetworkType', 'Port', 'PreferredCacheClusterAZs', 'ReplicasPerNodeGroup', 'SnapshotArns', 'SnapshotName'],
  },
  'AWS::SQS::Queue': { name: 'QueueName', createOnly: ['FifoQueue'] },
};

function resources(topology: ResolvedTopology): Resources {
  // The serving app's feature flags, without the built-in template validator (serving-stack.test.ts runs it).
  const app = newServingApp({ context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  return Template.fromStack(new ServingStack(app, servingStackId(topology), { topology })).toJSON().Resources as Resources;
}

function changed(env: EnvironmentName, change: (t: Mutable<ResolvedTopology>) => void): { before: Resources; after: Resources } {
  const before = resolvedTopology(env);
  const after = structuredClone(before) as Mutable<ResolvedTopology>;
  change(after);
  return { before: resources(before), after: resources(after as ResolvedTopology) };
}

/** Resources in both templates whose create-only properties differ, with their names before and after. */
function replacements(before: Resources, after: Resources): { id: string; type: string; properties: string[]; name: [unknown, unknown] }[] {
  return Object.entries(before).flatMap(([id, old]) => {
    const rule = CUSTOM_NAMED[old.Type];
    const current = after[id];
    if (!rule || !current) return [];
    const properties = rule.createOnly.filter((p) => JSON.stringify(old.Properties?.[p]) !== JSON.stringify(current.Properties?.[p]));
    return properties.length > 0 ? [{ id, type: old.Type, properties, name: [old.Properties?.[rule.name], current.Properties?.[rule.name]] as [unknown, unknown] }] : [];
  });
}

const CHANGES: { title: string; env: EnvironmentName; change: (t: Mutable<ResolvedTopology>) => void; replaced: string[] }[] = [
  { title: 'standby replicas off', env: 'prod', change: (t) => void (t.vectorStore!.aws.standbyReplicas = false), replaced: ['AWS::OpenSearchServerless::Collection'] },
  { title: 'one more zone', env: 'dev', change: (t) => void (t.network.zoneCount = 3), replaced: ['AWS::ElastiCache::ServerlessCache'] },
  {
    title: 'cache engine valkey → redis',
    env: 'dev',
    change: (t) => void (t.featureCache!.engine = 'redis'),
    replaced: ['AWS::ElastiCache::User', 'AWS::ElastiCache::User', 'AWS::ElastiCache::UserGroup'],
  },
  {
    title: 'one replica per shard fewer (node-based cache)',
    env: 'gcp-gaps.yaml',
    change: (t) => void (t.featureCache!.aws.nodes = { ...t.featureCache!.aws.nodes!, replicasPerShard: 1 }),
    replaced: ['AWS::ElastiCache::ReplicationGroup'],
  },
];

describe('create-only changes on custom-named resources', () => {
  it.each(CHANGES)('$title: every resource CloudFormation replaces gets a new name', ({ env, change, replaced }) => {
    const { before, after } = changed(env, change);
    const replacing = replacements(before, after);
    expect(replacing.map((r) => r.type).sort()).toEqual([...replaced].sort());
    for (const r of replacing) {
      expect(r.name[1], `${r.id} (${r.properties.join(', ')} changed)`).not.toEqual(r.name[0]);
    }
  });

  it('a user tag edit reaches every resource but the vector collection, which keeps its name and tags', () => {
    const { before, after } = changed('prod', (t) => void (t.tags = { ...t.tags, team: 'search-platform' }));
    expect(replacements(before, after)).toEqual([]);
    const collection = Object.entries(after).find(([, r]) => r.Type === 'AWS::OpenSearchServerless::Collection')!;
    expect(collection[1].Properties!.Tags).toEqual([
      { Key: 'app', Value: 'news' },
      { Key: 'environment', Value: 'prod' },
      { Key: 'managed-by', Value: 'ml-serving-stacks' },
    ]);
    const endpoint = Object.values(after).find((r) => r.Type === 'AWS::SageMaker::Endpoint')!;
    expect(endpoint.Properties!.Tags).toContainEqual({ Key: 'team', Value: 'search-platform' });
  });

  it('names stay put when nothing create-only changes, so a redeploy replaces nothing', () => {
    const { before, after } = changed('prod', (t) => void (t.featureCache!.aws.snapshotRetentionDays = 20));
    const names = (r: Resources) => Object.values(r).flatMap((x) => (CUSTOM_NAMED[x.Type] ? [JSON.stringify(x.Properties?.[CUSTOM_NAMED[x.Type].name])] : [])).sort();
    expect(names(after)).toEqual(names(before));
  });
});
