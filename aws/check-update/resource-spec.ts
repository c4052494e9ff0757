/**
 * What the CloudFormation resource specification says about a resource type, from the same database
 * `cdk diff` reads (`@aws-cdk/aws-service-spec`): which property changes replace the resource, which
 * properties name it, and whether it is stateful.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';

type SpecDatabase = ReturnType<typeof loadAwsServiceSpecSync>;

let database: SpecDatabase | undefined;

function resourceModel(type: string) {
  database ??= loadAwsServiceSpecSync();
  return database.lookup('resource', 'cloudFormationType', 'equals', type)[0];
}

/**
 * Our own custom resources, which no specification describes: the properties their handlers build
 * the physical id from. A new physical id is a replacement: CloudFormation deletes the old one in
 * its clean-up phase. Custom::VectorIndex: `<CollectionEndpoint>|<IndexName>`
 * (aws/handlers/vector-index/vector-index-lifecycle.ts).
 */
const CUSTOM_RESOURCE_IDENTITY: Readonly<Record<string, readonly string[]>> = {
  'Custom::VectorIndex': ['CollectionEndpoint', 'IndexName'],
};

/** Whether changing `property` replaces a resource of `type`: `yes`, `maybe` or `no` (unknown types and properties: `no`). */
export function replacementOnChange(type: string, property: string): 'yes' | 'maybe' | 'no' {
  if (type in CUSTOM_RESOURCE_IDENTITY) return CUSTOM_RESOURCE_IDENTITY[type].includes(property) ? 'yes' : 'no';
  return resourceModel(type)?.properties[property]?.causesReplacement ?? 'no';
}

/**
 * The properties that give a resource its physical name, when the template sets them: the type's
 * primary identifier when the template can set all of it (`ServerlessCacheName`; `IndexName` and
 * `CollectionEndpoint`; a scalable target's `ResourceId`, dimension and namespace), or else `Name` /
 * `<Type>Name` (`EndpointName`, `QueueName`). CloudFormation
 * cannot replace a resource while they keep their values, because the new one would take the name the
 * old one still holds.
 */
export function physicalNameProperties(type: string): string[] {
  const model = resourceModel(type);
  if (!model) return [];
  const identifier = model.primaryIdentifier ?? [];
  if (identifier.length > 0 && identifier.every((p) => p in model.properties)) return identifier;
  const short = type.split('::')[2];
  return [`${short}Name`, 'Name'].filter((p) => p in model.properties).slice(0, 1);
}

/** Whether the specification marks the type stateful (buckets, queues, keys, log groups, databases, …). */
export function isStatefulType(type: string): boolean {
  return resourceModel(type)?.isStateful === true;
}
