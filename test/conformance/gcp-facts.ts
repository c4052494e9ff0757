/**
 * `gcpFacts`: the `ServingFacts` of an offline GCP plan (`planGcp`: every resource the Pulumi
 * program registers under mocks, with its inputs), read from those inputs alone. Resources belong
 * to the component (`mlserve:gcp:*`) they are parented under.
 */
import type { AcceleratorType } from '../../constructs';
import type { PlannedResource } from '../../gcp/plan';
import { arrayAt, isObject, numberAt, objectAt, pathAt, round2, specName, stringAt, type FactScope, type JsonObject } from './json-values';
import { gcpPipelineFacts } from './gcp-pipeline-facts';
import { matchesName, Plan, seconds, T } from './planned-resources';
import type {
  CacheFacts,
  EncryptedResource,
  EndpointFacts,
  QueueFacts,
  ReachableResource,
  ScalingTarget,
  ServingFacts,
  VariantFacts,
  VectorStoreFacts,
} from './serving-facts';

/** Types that neither hold data nor open a way in; anything not here and not read below is unclassified. */
const TYPES_WITHOUT_DATA = new Set([
  'gcp:cloudrunv2/serviceIamMember:ServiceIamMember',
  'gcp:compute/subnetwork:Subnetwork',
  'gcp:kms/cryptoKey:CryptoKey',
  'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember',
  'gcp:kms/keyRing:KeyRing',
  'gcp:monitoring/alertPolicy:AlertPolicy',
  // Alert charts: names of alert policies, no data.
  'gcp:monitoring/dashboard:Dashboard',
  'gcp:monitoring/notificationChannel:NotificationChannel',
  'gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy',
  'gcp:projects/iAMCustomRole:IAMCustomRole',
  'gcp:projects/iAMMember:IAMMember',
  // Enables an API in the project.
  'gcp:projects/service:Service',
  'gcp:projects/serviceIdentity:ServiceIdentity',
  // A subscription's backlog is encrypted with its topic's key (Pub/Sub "Configure message encryption").
  'gcp:pubsub/subscription:Subscription',
  'gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember',
  'gcp:pubsub/topicIAMMember:TopicIAMMember',
  'gcp:serviceaccount/account:Account',
  'gcp:serviceaccount/iAMMember:IAMMember',
  // An object is encrypted with its bucket's default key (Cloud Storage "Customer-managed encryption keys").
  'gcp:storage/bucketObject:BucketObject',
  'gcp:vertex/aiEndpointIamMember:AiEndpointIamMember',
  // Serves the index it deploys, which holds the data and the key.
  'gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex',
]);

const TYPES_READ = new Set<string>([
  T.endpoint,
  T.function,
  T.bucket,
  T.deployment,
  T.topic,
  T.valkey,
  T.redis,
  T.index,
  T.indexEndpoint,
  T.alloyCluster,
  T.alloyInstance,
  T.dataset,
  T.network,
  T.address,
  T.forwardingRule,
]);

/** Vertex `acceleratorType` values in the spec's words (google.cloud.aiplatform.v1.AcceleratorType). */
const VERTEX_ACCELERATORS: Readonly<Record<string, AcceleratorType>> = {
  NVIDIA_TESLA_T4: 't4',
  NVIDIA_L4: 'l4',
  NVIDIA_TESLA_A100: 'a100',
  NVIDIA_A100_80GB: 'a100',
  NVIDIA_H100_80GB: 'h100',
};

/** Vertex autoscaling metrics in the spec's words; request_count is per replica per minute (AutoscalingMetricSpec reference). */
const VERTEX_METRICS: Readonly<Record<string, ScalingTarget['metric']>> = {
  'aiplatform.googleapis.com/prediction/online/request_count': 'invocations',
  'aiplatform.googleapis.com/prediction/online/cpu/utilization': 'cpu',
  'aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle': 'gpu',
};

/** Vertex scales on CPU at 60 % when a deployment names no metric (AutoscalingMetricSpec reference). */
const VERTEX_DEFAULT_TARGET: ScalingTarget = { metric: 'cpu', value: 60 };

/** Pub/Sub defaults when a subscription leaves them unset (Subscription reference): 10 s ack deadline, 7 days, 5 attempts. */
const PUBSUB_DEFAULTS = { ackDeadlineSeconds: 10, retentionSeconds: 604_800, maxDeliveryAttempts: 5 } as const;

const PUBSUB_SERVICE_AGENT = /^serviceAccount:service-\d+@gcp-sa-pubsub\.iam\.gserviceaccount\.com$/;

export function gcpFacts(plan: readonly PlannedResource[], scope: FactScope): ServingFacts {
  const p = new Plan(plan, scope);
  const custom = plan.filter((r) => r.custom);
  const pipelines = gcpPipelineFacts(p);
  return {
    cloud: 'gcp',
    endpoints: endpointFacts(p),
    queues: queueFacts(p),
    featureCache: cacheFacts(p),
    vectorStore: vectorStoreFacts(p),
    pipelines: pipelines.pipelines,
    network: { createdByStack: p.ofType(T.network).length > 0 },
    dataAtRest: dataAtRest(p),
    reachability: [...reachability(p), ...pipelines.reachability],
    unclassified: [...new Set(custom.map((r) => r.type).filter((type) => !TYPES_WITHOUT_DATA.has(type) && !TYPES_READ.has(type)))],
  };
}

function endpointFacts(p: Plan): Record<string, EndpointFacts> {
  const endpoints: Record<string, EndpointFacts> = {};
  for (const endpoint of p.ofType(T.endpoint)) {
    const name = specName(stringAt(endpoint.inputs.displayName) ?? endpoint.name, p.scope);
    const deployment = p.siblings(endpoint, T.deployment).find((d) => d.inputs.endpointId === endpoint.inputs.name);
    const specs = arrayAt(deployment?.inputs.autoscalingMetricSpecs).map(objectAt);
    const targets = (specs.length > 0 ? specs.map(scalingTarget) : [VERTEX_DEFAULT_TARGET]).sort((a, b) => a.metric.localeCompare(b.metric));
    const variants: Record<string, VariantFacts> = {};
    for (const v of arrayAt(deployment?.inputs.variants).map(objectAt)) {
      const min = numberAt(v.minReplicaCount);
      const max = numberAt(v.maxReplicaCount);
      const acceleratorType = stringAt(v.acceleratorType);
      variants[stringAt(v.name) ?? '?'] = {
        weight: numberAt(v.weight) ?? 0,
        // Vertex deploys minReplicaCount replicas first and scales from there (DedicatedResources reference).
        replicas: min === undefined ? undefined : { min, max: max ?? min, initial: min },
        accelerator: acceleratorType
          ? { type: VERTEX_ACCELERATORS[acceleratorType] ?? `unknown ${acceleratorType}`, count: numberAt(v.acceleratorCount) ?? 1 }
          : { type: 'none', count: 0 },
        scalingTargets: targets,
      };
    }
    // Vertex has one kind of endpoint for custom models: online, on dedicated replicas
    // (https://cloud.google.com/vertex-ai/docs/predictions/choose-endpoint-type).
    endpoints[name] = { mode: 'realtime', variants };
  }
  return endpoints;
}

function scalingTarget(spec: JsonObject): ScalingTarget {
  const metricName = stringAt(spec.metricName) ?? '';
  const metric = VERTEX_METRICS[metricName];
  if (!metric) throw new Error(`gcp-facts: unknown autoscaling metric ${metricName}`);
  return { metric, value: numberAt(spec.target) ?? Number.NaN };
}

function queueFacts(p: Plan): Record<string, QueueFacts> {
  const subscriptions = p.ofType(T.subscription);
  const deadLetterTopics = new Set(
    subscriptions.map((s) => p.topicNamed(pathAt(s.inputs, 'deadLetterPolicy', 'deadLetterTopic'))).filter((t): t is PlannedResource => t !== undefined),
  );
  const queues: Record<string, QueueFacts> = {};
  for (const subscription of subscriptions) {
    const topic = p.topicNamed(subscription.inputs.topic);
    if (topic && deadLetterTopics.has(topic)) continue;
    const name = specName(stringAt(topic?.inputs.name) ?? subscription.name, p.scope);
    const policy = subscription.inputs.deadLetterPolicy;
    const deadLetterTopic = isObject(policy) ? p.topicNamed(policy.deadLetterTopic) : undefined;
    const deadLetterName = stringAt(deadLetterTopic?.inputs.name);
    const serviceAgentMay = (type: string, role: string, key: 'topic' | 'subscription', target: string | undefined) =>
      p
        .ofType(type)
        .some((m) => m.inputs.role === role && PUBSUB_SERVICE_AGENT.test(stringAt(m.inputs.member) ?? '') && matchesName(m.inputs[key], target, `${key}s`));
    queues[name] = {
      maxDeliveryAttempts: isObject(policy) ? (numberAt(policy.maxDeliveryAttempts) ?? PUBSUB_DEFAULTS.maxDeliveryAttempts) : undefined,
      deadLetter: deadLetterTopic
        ? {
            // A topic keeps nothing by itself: dead letters wait only on a subscription
            // (https://cloud.google.com/pubsub/docs/dead-letter-topics).
            retained: subscriptions.some((s) => matchesName(s.inputs.topic, deadLetterName, 'topics')),
            // The Pub/Sub service agent publishes to the dead-letter topic and acknowledges on the source (same page).
            permitted:
              serviceAgentMay(T.topicMember, 'roles/pubsub.publisher', 'topic', deadLetterName) &&
              serviceAgentMay(T.subscriptionMember, 'roles/pubsub.subscriber', 'subscription', stringAt(subscription.inputs.name)),
          }
        : undefined,
      ackTimeoutSeconds: numberAt(subscription.inputs.ackDeadlineSeconds) ?? PUBSUB_DEFAULTS.ackDeadlineSeconds,
      retentionHours: round2((seconds(subscription.inputs.messageRetentionDuration) ?? PUBSUB_DEFAULTS.retentionSeconds) / 3600),
    };
  }
  return queues;
}

function cacheFacts(p: Plan): CacheFacts | undefined {
  const valkey = p.ofType(T.valkey);
  const redis = p.ofType(T.redis);
  if (valkey.length + redis.length > 1) throw new Error('gcp-facts: more than one feature cache');
  if (valkey.length === 1) {
    const inputs = valkey[0].inputs;
    // zoneDistributionConfig defaults to MULTI_ZONE (Memorystore for Valkey Instance reference).
    return { engine: 'valkey', deployment: 'nodes', replicas: numberAt(inputs.replicaCount) ?? 0, multiZone: pathAt(inputs, 'zoneDistributionConfig', 'mode') !== 'SINGLE_ZONE' };
  }
  if (redis.length === 1) {
    const inputs = redis[0].inputs;
    // STANDARD_HA keeps replicas in other zones (1 unless read replicas raise it); BASIC has none (Memorystore for Redis tiers).
    const ha = inputs.tier === 'STANDARD_HA';
    return { engine: 'redis', deployment: 'nodes', replicas: ha ? (numberAt(inputs.replicaCount) ?? 1) : 0, multiZone: ha };
  }
  return undefined;
}

function vectorStoreFacts(p: Plan): VectorStoreFacts | undefined {
  const index = p.ofType(T.index)[0];
  if (index) {
    const config = objectAt(pathAt(index.inputs, 'metadata', 'config'));
    return { engine: 'managed', dimensions: numberAt(config.dimensions), metric: vertexMetric(config) };
  }
  // AlloyDB carries no vector schema: the pgvector table and index are the application's migrations.
  return p.ofType(T.alloyCluster).length > 0 ? { engine: 'pgvector' } : undefined;
}

/**
 * Vertex distance in the spec's words. Dot product over unit-normalised vectors ranks exactly as
 * cosine similarity (Vertex "Configure index parameters" recommends it for cosine).
 */
function vertexMetric(config: JsonObject): VectorStoreFacts['metric'] {
  const distance = config.distanceMeasureType;
  if (distance === 'COSINE_DISTANCE') return 'cosine';
  if (distance === 'DOT_PRODUCT_DISTANCE') return config.featureNormType === 'UNIT_L2_NORM' ? 'cosine' : 'dot-product';
  if (distance === 'SQUARED_L2_DISTANCE') return 'euclidean';
  return undefined;
}

function dataAtRest(p: Plan): EncryptedResource[] {
  const keys = new Map(
    p.ofType(T.cryptoKey).map((k) => [`${stringAt(k.inputs.keyRing)}/cryptoKeys/${stringAt(k.inputs.name)}`, seconds(k.inputs.rotationPeriod) !== undefined]),
  );
  const keyUse = (value: unknown): { customerManaged: boolean; detail: string } => {
    const name = stringAt(value);
    const rotated = name === undefined ? undefined : keys.get(name);
    if (rotated === undefined) return { customerManaged: false, detail: name ? `key ${name} is not one this deployment manages` : 'no key: Google-managed encryption' };
    return { customerManaged: rotated, detail: rotated ? `Cloud KMS key ${name}, rotated` : `Cloud KMS key ${name} without rotation` };
  };
  const uses: [string, (inputs: JsonObject) => [string, unknown][]][] = [
    [T.topic, (i) => [['', i.kmsKeyName]]],
    [T.endpoint, (i) => [['', pathAt(i, 'encryptionSpec', 'kmsKeyName')]]],
    [T.deployment, (i) => [[' (uploaded models)', i.encryptionKmsKeyName]]],
    [T.dataset, (i) => [['', pathAt(i, 'defaultEncryptionConfiguration', 'kmsKeyName')]]],
    [T.bucket, (i) => [['', pathAt(i, 'encryption', 'defaultKmsKeyName')]]],
    [T.valkey, (i) => [['', i.kmsKey]]],
    [T.redis, (i) => [['', i.customerManagedKey]]],
    [T.index, (i) => [['', pathAt(i, 'encryptionSpec', 'kmsKeyName')]]],
    [T.indexEndpoint, (i) => [['', pathAt(i, 'encryptionSpec', 'kmsKeyName')]]],
    [
      T.alloyCluster,
      (i) => [
        [' (storage)', pathAt(i, 'encryptionConfig', 'kmsKeyName')],
        [' (automated backups)', pathAt(i, 'automatedBackupPolicy', 'encryptionConfig', 'kmsKeyName')],
        [' (continuous backups)', pathAt(i, 'continuousBackupConfig', 'encryptionConfig', 'kmsKeyName')],
      ],
    ],
  ];
  return uses.flatMap(([type, keysOf]) =>
    p.ofType(type).flatMap((r) => keysOf(r.inputs).map(([what, key]) => ({ component: p.component(r), resource: `${type} ${r.name}${what}`, ...keyUse(key) }))),
  );
}

function reachability(p: Plan): ReachableResource[] {
  const out: ReachableResource[] = [];
  const add = (r: PlannedResource, isPrivate: boolean, detail: string) => out.push({ component: p.component(r), resource: `${r.type} ${r.name}`, private: isPrivate, detail });
  const psc = (inputs: JsonObject) => pathAt(inputs, 'privateServiceConnectConfig', 'enablePrivateServiceConnect') === true;
  for (const r of p.ofType(T.endpoint)) add(r, psc(r.inputs), psc(r.inputs) ? 'Private Service Connect' : 'no Private Service Connect: a public endpoint');
  for (const r of p.ofType(T.indexEndpoint)) {
    const isPrivate = r.inputs.publicEndpointEnabled !== true && psc(r.inputs);
    add(r, isPrivate, `publicEndpointEnabled ${String(r.inputs.publicEndpointEnabled)}, Private Service Connect ${psc(r.inputs)}`);
  }
  const memorystorePolicies = p.ofType(T.connectionPolicy).filter((c) => c.inputs.serviceClass === 'gcp-memorystore');
  for (const r of p.ofType(T.valkey)) {
    // Memorystore for Valkey is reachable only through Private Service Connect endpoints
    // (https://cloud.google.com/memorystore/docs/valkey/networking).
    const endpoints = arrayAt(r.inputs.desiredAutoCreatedEndpoints).length > 0 || memorystorePolicies.length > 0;
    add(r, endpoints, endpoints ? 'Private Service Connect endpoints' : 'no Private Service Connect endpoint or policy');
  }
  for (const r of p.ofType(T.redis)) {
    const isPrivate = typeof r.inputs.authorizedNetwork === 'string' && ['DIRECT_PEERING', 'PRIVATE_SERVICE_ACCESS'].includes(String(r.inputs.connectMode ?? 'DIRECT_PEERING'));
    add(r, isPrivate, `private IP in ${String(r.inputs.authorizedNetwork)} (${String(r.inputs.connectMode)})`);
  }
  for (const r of p.ofType(T.alloyCluster)) {
    const isPrivate = pathAt(r.inputs, 'pscConfig', 'pscEnabled') === true || isObject(r.inputs.networkConfig);
    add(r, isPrivate, isPrivate ? 'Private Service Connect or a private network' : 'no private connectivity');
  }
  for (const r of p.ofType(T.alloyInstance)) {
    const publicIp = pathAt(r.inputs, 'networkConfig', 'enablePublicIp') === true;
    add(r, !publicIp, publicIp ? 'public IP enabled' : 'no public IP');
  }
  for (const r of p.ofType(T.address)) {
    const isPrivate = r.inputs.addressType === 'INTERNAL';
    add(r, isPrivate, `${String(r.inputs.addressType ?? 'EXTERNAL')} address`);
  }
  for (const r of p.ofType(T.forwardingRule)) {
    // An empty scheme with a service-attachment target is a Private Service Connect endpoint; INTERNAL* load balancers are private too.
    const scheme = String(r.inputs.loadBalancingScheme ?? 'EXTERNAL');
    const isPrivate = scheme === '' || scheme.startsWith('INTERNAL');
    add(r, isPrivate, scheme === '' ? `Private Service Connect endpoint to ${String(r.inputs.target)}` : `${scheme} forwarding rule`);
  }
  for (const r of p.ofType(T.network)) {
    // Firewalls and external addresses are not classified types: a plan with one fails on `unclassified`.
    add(r, true, 'no firewall rule or external address in the plan');
  }
  return out;
}
