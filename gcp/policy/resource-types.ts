/** The type tokens the policies inspect (@pulumi/gcp 9.37 and our dynamic resource). */
export const TYPES = {
  aiEndpoint: 'gcp:vertex/aiEndpoint:AiEndpoint',
  aiIndex: 'gcp:vertex/aiIndex:AiIndex',
  aiIndexEndpoint: 'gcp:vertex/aiIndexEndpoint:AiIndexEndpoint',
  deployedIndex: 'gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex',
  modelDeployment: 'pulumi-nodejs:dynamic/mlserve:VertexModelDeployment',
  deploymentResourcePool: 'pulumi-nodejs:dynamic/mlserve:VertexDeploymentResourcePool',
  topic: 'gcp:pubsub/topic:Topic',
  subscription: 'gcp:pubsub/subscription:Subscription',
  valkey: 'gcp:memorystore/instance:Instance',
  redis: 'gcp:redis/instance:Instance',
  alloydbCluster: 'gcp:alloydb/cluster:Cluster',
  dataset: 'gcp:bigquery/dataset:Dataset',
  bucket: 'gcp:storage/bucket:Bucket',
  cryptoKey: 'gcp:kms/cryptoKey:CryptoKey',
} as const;

/** Types that hold data, or a key to it: `statefulOptions` protects them in production. */
export const STATEFUL_TYPES: readonly string[] = [
  'gcp:kms/keyRing:KeyRing',
  TYPES.cryptoKey,
  TYPES.topic,
  TYPES.subscription,
  TYPES.valkey,
  TYPES.redis,
  TYPES.aiIndex,
  TYPES.dataset,
  TYPES.alloydbCluster,
];
