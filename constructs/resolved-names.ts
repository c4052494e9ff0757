/**
 * Every cloud resource name a resolved topology carries, checked against the cloud's rule
 * (naming.ts). A topology that `parseTopology` accepted always passes, since its names are built
 * from schema-checked parts and fitted to each rule's length; the check is for topologies built in
 * code and handed to `resolveTopology` directly, which would otherwise fail half-way through a deploy.
 */
import { AWS_NAMING, GCP_NAMING, namingProblem, type NamingRule } from './naming';
import type { ResolvedTopology } from './resolved-topology';
import { TopologyError, type TopologyProblem } from './spec/topology-error';

interface NamedResource {
  /** The spec element the name is built from (with the topology's name and environment). */
  readonly path: string;
  readonly name: string;
  readonly rule: NamingRule;
}

/** The names of `resolved`, each with its rule and the spec element it comes from. */
export function resolvedNames(resolved: ResolvedTopology): NamedResource[] {
  const names: NamedResource[] = [];
  const add = (path: string, rule: NamingRule, ...values: (string | undefined)[]) => {
    for (const name of values) if (name !== undefined) names.push({ path, name, rule });
  };
  resolved.endpoints.forEach((e, i) => {
    const path = `endpoints[${i}]`;
    add(path, AWS_NAMING.sagemakerEndpoint, e.aws.endpointName);
    add(path, AWS_NAMING.sagemakerVariant, ...e.variants.map((v) => v.aws.variantName));
    add(path, GCP_NAMING.vertexDisplayName, e.gcp.displayName, ...e.variants.map((v) => v.gcp.displayName));
    add(path, GCP_NAMING.serviceAccountId, e.gcp.serviceAccountId);
    add(path, GCP_NAMING.bigQueryDataset, e.gcp.loggingDatasetId);
    add(path, GCP_NAMING.kmsName, e.gcp.keyName);
  });
  const cache = resolved.featureCache;
  if (cache) {
    add('featureCache', AWS_NAMING.serverlessCache, cache.aws.cacheName);
    add('featureCache', GCP_NAMING.memorystoreInstance, cache.gcp.instanceId);
    add('featureCache', GCP_NAMING.serviceConnectionPolicy, cache.gcp.connectionPolicyName);
    add('featureCache', GCP_NAMING.serviceAccountId, cache.gcp.clientServiceAccountId);
    add('featureCache', GCP_NAMING.kmsName, cache.gcp.keyName);
  }
  const vectors = resolved.vectorStore;
  if (vectors) {
    add('vectorStore', AWS_NAMING.opensearchCollection, vectors.aws.collectionName);
    add('vectorStore', GCP_NAMING.vertexDisplayName, vectors.gcp.displayName);
    add('vectorStore', GCP_NAMING.deployedIndexId, vectors.gcp.deployedIndexId);
    add('vectorStore', GCP_NAMING.kmsName, vectors.gcp.keyName);
    const database = vectors.database?.gcp;
    add('vectorStore', GCP_NAMING.alloydbId, database?.clusterId, database?.primaryInstanceId);
    add('vectorStore', GCP_NAMING.serviceConnectionPolicy, database?.connectionPolicyName);
    add('vectorStore', GCP_NAMING.serviceAccountId, database?.clientServiceAccountId);
  }
  resolved.queues.forEach((q, i) => {
    const path = `queues[${i}]`;
    add(path, q.ordered ? AWS_NAMING.sqsFifoQueue : AWS_NAMING.sqsQueue, q.aws.queueName, q.aws.deadLetterQueueName);
    add(path, GCP_NAMING.pubsubName, q.gcp.topicName, q.gcp.subscriptionName, q.gcp.deadLetterTopicName, q.gcp.deadLetterSubscriptionName);
    add(path, GCP_NAMING.serviceAccountId, q.gcp.consumerServiceAccountId);
    add(path, GCP_NAMING.kmsName, q.gcp.keyName);
  });
  const refresh = resolved.pipelines.embeddingRefresh;
  add('pipelines.embeddingRefresh', GCP_NAMING.cloudFunction, refresh?.gcp.functionName);
  add('pipelines.embeddingRefresh', GCP_NAMING.serviceAccountId, refresh?.gcp.serviceAccountId, refresh?.gcp.pushServiceAccountId);
  add('monitoring', GCP_NAMING.pubsubName, resolved.monitoring.gcp.alertsTopicName);
  add('monitoring', GCP_NAMING.kmsName, resolved.monitoring.gcp.keyName);
  for (const [key, value] of Object.entries(resolved.tags)) add(`tags.${key}`, GCP_NAMING.label, key, value);
  return names;
}

/** `resolved` unchanged, or one TopologyError listing every name a cloud would reject. */
export function checkResolvedNames(resolved: ResolvedTopology): ResolvedTopology {
  const problems: TopologyProblem[] = [];
  for (const { path, name, rule } of resolvedNames(resolved)) {
    const problem = namingProblem(name, rule);
    if (problem) problems.push({ path, message: `gives ${problem}; ${rule.source}` });
  }
  if (problems.length > 0) throw new TopologyError(`topology ${resolved.name}/${resolved.environment}`, problems);
  return resolved;
}
