/**
 * Reading an offline GCP plan (`planGcp`): resources by type, the topology component each belongs
 * to (the `mlserve:gcp:*` component it is parented under), and references by name.
 */
import { VERTEX_MODEL_DEPLOYMENT_TYPE, type PlannedResource } from '../../gcp/plan';
import { isObject, specName, stringAt, type FactScope } from './json-values';
import type { Component } from './serving-facts';

/** Pulumi type tokens the extractors read. */
export const T = {
  endpoint: 'gcp:vertex/aiEndpoint:AiEndpoint',
  deployment: VERTEX_MODEL_DEPLOYMENT_TYPE,
  topic: 'gcp:pubsub/topic:Topic',
  subscription: 'gcp:pubsub/subscription:Subscription',
  topicMember: 'gcp:pubsub/topicIAMMember:TopicIAMMember',
  subscriptionMember: 'gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember',
  valkey: 'gcp:memorystore/instance:Instance',
  redis: 'gcp:redis/instance:Instance',
  connectionPolicy: 'gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy',
  index: 'gcp:vertex/aiIndex:AiIndex',
  indexEndpoint: 'gcp:vertex/aiIndexEndpoint:AiIndexEndpoint',
  alloyCluster: 'gcp:alloydb/cluster:Cluster',
  alloyInstance: 'gcp:alloydb/instance:Instance',
  dataset: 'gcp:bigquery/dataset:Dataset',
  cryptoKey: 'gcp:kms/cryptoKey:CryptoKey',
  network: 'gcp:compute/network:Network',
  address: 'gcp:compute/address:Address',
  forwardingRule: 'gcp:compute/forwardingRule:ForwardingRule',
  function: 'gcp:cloudfunctionsv2/function:Function',
  bucket: 'gcp:storage/bucket:Bucket',
  customRole: 'gcp:projects/iAMCustomRole:IAMCustomRole',
  alertPolicy: 'gcp:monitoring/alertPolicy:AlertPolicy',
} as const;

export class Plan {
  private readonly byUrn: ReadonlyMap<string, PlannedResource>;

  constructor(
    readonly resources: readonly PlannedResource[],
    readonly scope: FactScope,
  ) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
  }

  ofType(type: string): PlannedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The component of the topology `r` belongs to: its ancestor right under the topology (an engine inside VectorStore is part of it). */
  owner(r: PlannedResource): PlannedResource | undefined {
    const parent = r.parent ? this.byUrn.get(r.parent) : undefined;
    if (!parent || parent.type === 'mlserve:gcp:ServingTopology') return undefined;
    const grandparent = parent.parent ? this.byUrn.get(parent.parent) : undefined;
    return grandparent?.type === 'mlserve:gcp:ServingTopology' ? parent : this.owner(parent);
  }

  siblings(r: PlannedResource, type: string): PlannedResource[] {
    const owner = this.owner(r);
    return this.resources.filter((x) => x.type === type && owner !== undefined && this.owner(x) === owner);
  }

  /** The part of the topology `r` belongs to. */
  component(r: PlannedResource): Component {
    const owner = this.owner(r);
    switch (owner?.type) {
      case 'mlserve:gcp:ModelEndpoint': {
        const endpoint = this.siblings(r, T.endpoint)[0];
        return `endpoint:${endpoint ? specName(stringAt(endpoint.inputs.displayName) ?? endpoint.name, this.scope) : owner.name}`;
      }
      case 'mlserve:gcp:WorkQueue': {
        const subscription = this.siblings(r, T.subscription).find((s) => isObject(s.inputs.deadLetterPolicy));
        const topic = subscription && this.topicNamed(subscription.inputs.topic);
        return `queue:${topic ? specName(stringAt(topic.inputs.name) ?? topic.name, this.scope) : owner.name}`;
      }
      case 'mlserve:gcp:FeatureCache':
        return 'featureCache';
      case 'mlserve:gcp:VectorStore':
        return 'vectorStore';
      case 'mlserve:gcp:ServingMonitoring':
        return 'monitoring';
      case 'mlserve:gcp:ServingNetwork':
        return 'network';
      case 'mlserve:gcp:EmbeddingRefreshPipeline':
        return 'pipeline:embeddingRefresh';
      default:
        return 'shared';
    }
  }

  /** The topic a reference (a name or `projects/…/topics/<name>`) points at. */
  topicNamed(ref: unknown): PlannedResource | undefined {
    return this.ofType(T.topic).find((t) => matchesName(ref, stringAt(t.inputs.name), 'topics'));
  }
}

export function matchesName(ref: unknown, name: string | undefined, collection: string): boolean {
  return typeof ref === 'string' && name !== undefined && (ref === name || ref.endsWith(`/${collection}/${name}`));
}

/** A protobuf Duration (`"600s"`) in seconds. */
export function seconds(duration: unknown): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(stringAt(duration) ?? '');
  return match ? Number(match[1]) : undefined;
}
