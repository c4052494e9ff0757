/**
 * The embedding-refresh pipeline as the offline GCP plan realises it: the Cloud Function (2nd gen),
 * the push subscriptions whose identity may invoke it, its limits, what its service account may
 * reach, and the alert policies on its subscription. Read from the plan's inputs alone.
 */
import type { PlannedResource } from '../../gcp/plan';
import { arrayAt, isObject, numberAt, objectAt, pathAt, round2, specName, stringAt } from './json-values';
import { matchesName, T, type Plan } from './planned-resources';
import type { PipelineFacts, ReachableResource } from './serving-facts';

/** The one queue-fed worker a topology has today (see aws-pipeline-facts.ts). */
const PIPELINE = 'embeddingRefresh';

/**
 * Cloud Functions (2nd gen) defaults when the service config leaves them unset (ServiceConfig
 * reference: 60 s timeout, 256M memory, one request per instance).
 */
const FUNCTION_DEFAULTS = { timeoutSeconds: 60, availableMemory: '256M', maxInstanceRequestConcurrency: 1 } as const;
const PUBSUB_DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;

/** Vector Search data-plane permissions: upsert and remove datapoints (indexes.update), and read them back. */
const VECTOR_SEARCH_DATA_PERMISSIONS = new Set(['aiplatform.indexes.get', 'aiplatform.indexes.update', 'aiplatform.indexEndpoints.get', 'aiplatform.indexEndpoints.queryVectors']);
/** Connecting to AlloyDB as an IAM database user: the Auth Proxy or connectors, and the login (AlloyDB "Manage IAM authentication"). */
const ALLOYDB_CLIENT_ROLES = new Set(['roles/alloydb.client', 'roles/alloydb.databaseUser']);
const INVOKER_ROLES = new Set(['roles/run.invoker']);

const OLDEST_UNACKED = 'pubsub.googleapis.com/subscription/oldest_unacked_message_age';
const UNDELIVERED = 'pubsub.googleapis.com/subscription/num_undelivered_messages';

export interface GcpPipelines {
  readonly pipelines: Record<string, PipelineFacts>;
  readonly reachability: ReachableResource[];
}

export function gcpPipelineFacts(p: Plan): GcpPipelines {
  const functions = p.ofType(T.function);
  if (functions.length > 1) throw new Error(`gcp-facts: ${functions.length} Cloud Functions (${functions.map((f) => f.name).join(', ')}); only one pipeline is known`);
  if (functions.length === 0) return { pipelines: {}, reachability: [] };

  const fn = functions[0];
  const service = objectAt(fn.inputs.serviceConfig);
  const functionName = stringAt(fn.inputs.name);
  // A 2nd gen function runs as the Cloud Run service of its name; invoking it is run.invoker on that service.
  const invokers = p
    .ofType('gcp:cloudrunv2/serviceIamMember:ServiceIamMember')
    .filter((m) => INVOKER_ROLES.has(String(m.inputs.role)) && matchesName(m.inputs.name, functionName, 'services'))
    .map((m) => String(m.inputs.member));
  const pushes = p.ofType(T.subscription).filter((s) => {
    const identity = stringAt(pathAt(s.inputs, 'pushConfig', 'oidcToken', 'serviceAccountEmail'));
    return identity !== undefined && invokers.includes(`serviceAccount:${identity}`);
  });
  const pushIdentities = new Set(pushes.map((s) => `serviceAccount:${String(pathAt(s.inputs, 'pushConfig', 'oidcToken', 'serviceAccountEmail'))}`));
  const topicOf = (s: PlannedResource) => p.topicNamed(s.inputs.topic);
  const triggers = [
    ...pushes.map((s) => `queue:${specName(stringAt(topicOf(s)?.inputs.name) ?? String(s.inputs.topic), p.scope)}`),
    ...invokers.filter((m) => !pushIdentities.has(m)).map((m) => `member ${m}`),
  ].sort();
  const source = pushes.length === 1 ? pushes[0] : undefined;
  const deadLetterPolicy = source?.inputs.deadLetterPolicy;
  const deadLetterTopic = stringAt(isObject(deadLetterPolicy) ? p.topicNamed(deadLetterPolicy.deadLetterTopic)?.inputs.name : undefined);
  const deadLetterSubscriptions = p.ofType(T.subscription).filter((s) => matchesName(s.inputs.topic, deadLetterTopic, 'topics'));

  const pipeline: PipelineFacts = {
    triggers,
    ordered: pushes.length > 0 && pushes.every((s) => s.inputs.enableMessageOrdering === true),
    // Pub/Sub push delivers one message per request (cloud.google.com/pubsub/docs/push).
    batchSize: 1,
    messagesPerInstance: numberAt(service.maxInstanceRequestConcurrency) ?? FUNCTION_DEFAULTS.maxInstanceRequestConcurrency,
    maxInstances: numberAt(service.maxInstanceCount),
    timeoutSeconds: numberAt(service.timeoutSeconds) ?? FUNCTION_DEFAULTS.timeoutSeconds,
    memoryMiB: memoryMiB(stringAt(service.availableMemory) ?? FUNCTION_DEFAULTS.availableMemory),
    maxDeliveryAttempts: isObject(deadLetterPolicy) ? (numberAt(deadLetterPolicy.maxDeliveryAttempts) ?? PUBSUB_DEFAULT_MAX_DELIVERY_ATTEMPTS) : undefined,
    grants: serviceAccountGrants(p, stringAt(service.serviceAccountEmail)),
    alarms: {
      oldestMessageAgeSeconds: source ? alertThreshold(p, OLDEST_UNACKED, [stringAt(source.inputs.name)]) : undefined,
      deadLetters: deadLetterSubscriptions.length > 0 ? alertThreshold(p, UNDELIVERED, deadLetterSubscriptions.map((s) => stringAt(s.inputs.name))) : undefined,
    },
  };

  const ingress = String(service.ingressSettings ?? 'ALLOW_ALL');
  const egress = String(service.directVpcEgress ?? 'VPC_EGRESS_PRIVATE_RANGES_ONLY');
  const inVpc = arrayAt(service.directVpcNetworkInterfaces).length > 0 || service.vpcConnector !== undefined;
  // Internal ingress only, and all egress through the network: what a Lambda function in a VPC gets.
  const isPrivate = ingress === 'ALLOW_INTERNAL_ONLY' && inVpc && egress === 'VPC_EGRESS_ALL_TRAFFIC';
  const reachability: ReachableResource[] = [
    {
      component: `pipeline:${PIPELINE}`,
      resource: `${fn.type} ${fn.name}`,
      private: isPrivate,
      detail: `ingress ${ingress}; ${inVpc ? `VPC egress ${egress}` : 'no VPC egress: traffic leaves from Google\'s network'}`,
    },
  ];
  return { pipelines: { [PIPELINE]: pipeline }, reachability };
}

/** `availableMemory` in MiB: binary (Mi, Gi) or decimal (M, G) units (Cloud Functions "Configure memory"). */
function memoryMiB(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi|M|G)$/.exec(value);
  if (!match) throw new Error(`gcp-facts: cannot read the function memory ${value}`);
  const bytes = { Mi: 2 ** 20, Gi: 2 ** 30, M: 1e6, G: 1e9 }[match[2] as 'Mi' | 'Gi' | 'M' | 'G'];
  return round2((Number(match[1]) * bytes) / 2 ** 20);
}

/** What the service account may do, in the words `PipelineFacts.grants` uses; every binding that names it as a member counts. */
function serviceAccountGrants(p: Plan, email: string | undefined): string[] {
  if (!email) return ['no service account: the Compute Engine default service account'];
  const member = `serviceAccount:${email}`;
  const customRoles = new Map(p.ofType(T.customRole).map((r) => [String(r.inputs.roleId), arrayAt(r.inputs.permissions).map(String)]));
  // A custom role is referenced as projects/<project>/roles/<roleId>.
  const permissionsOf = (role: string) => customRoles.get(/\/roles\/([^/]+)$/.exec(role)?.[1] ?? '');
  const endpointName = (id: unknown) => {
    const endpoint = p.ofType(T.endpoint).find((e) => e.inputs.name === id);
    return endpoint ? specName(stringAt(endpoint.inputs.displayName) ?? endpoint.name, p.scope) : String(id);
  };
  const grants = new Set<string>();
  for (const binding of p.resources.filter((r) => r.inputs.member === member || arrayAt(r.inputs.members).includes(member))) {
    const role = String(binding.inputs.role);
    const permissions = permissionsOf(role);
    if (binding.type === 'gcp:vertex/aiEndpointIamMember:AiEndpointIamMember' && permissions?.every((x) => x === 'aiplatform.endpoints.predict')) {
      grants.add(`invoke endpoint:${endpointName(binding.inputs.endpoint)}`);
    } else if (
      binding.type === 'gcp:projects/iAMMember:IAMMember' &&
      p.ofType(T.index).length > 0 &&
      permissions?.includes('aiplatform.indexes.update') &&
      permissions.every((x) => VECTOR_SEARCH_DATA_PERMISSIONS.has(x))
    ) {
      // Vertex AI has no IAM policy on an index: the narrowest grant is on the project (gcp/embedding-refresh-pipeline.ts).
      grants.add('write vectorStore');
    } else if (binding.type === 'gcp:projects/iAMMember:IAMMember' && p.ofType(T.alloyCluster).length > 0 && ALLOYDB_CLIENT_ROLES.has(role)) {
      // Connect and log in as an IAM database user; its table privileges are the application's migrations.
      grants.add('write vectorStore');
    } else {
      grants.add(`${permissions ? `${role} (${permissions.join(', ')})` : role} on ${binding.type} ${binding.name}`);
    }
  }
  return [...grants].sort();
}

/** The lowest threshold of an alert policy that notifies a channel when `metric` of one of the subscriptions rises above it. */
function alertThreshold(p: Plan, metric: string, subscriptions: readonly (string | undefined)[]): number | undefined {
  const thresholds = p
    .ofType(T.alertPolicy)
    .filter((a) => a.inputs.enabled !== false && arrayAt(a.inputs.notificationChannels).length > 0)
    .flatMap((a) => arrayAt(a.inputs.conditions).map((c) => objectAt(objectAt(c).conditionThreshold)))
    .filter((c) => {
      const filter = stringAt(c.filter) ?? '';
      const subscription = /resource\.labels\.subscription_id\s*=\s*"([^"]+)"/.exec(filter)?.[1];
      return c.comparison === 'COMPARISON_GT' && filter.includes(`metric.type = "${metric}"`) && subscription !== undefined && subscriptions.includes(subscription);
    })
    .map((c) => numberAt(c.thresholdValue))
    .filter((n): n is number => n !== undefined);
  return thresholds.length > 0 ? Math.min(...thresholds) : undefined;
}
