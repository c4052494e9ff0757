/**
 * The GCP policy pack's policies, importable without starting a pack (index.ts starts it).
 * They mirror the AWS bar: CMEK everywhere, Private Service
 * Connect or dedicated endpoints, no public index endpoint, a dead letter on every subscription,
 * production replicas, zones and deletion protection, KMS rotation, no basic roles.
 *
 * Each rule is a plain function over `args.type` and `args.props` (the resource's inputs), so a
 * unit test calls `validateResource` / `validateStack` with hand-built args, and the mocks bridge
 * feeds it every resource of a mocked program run.
 *
 * Values not known at preview: a rule that reads one (a key's name on the first preview, before
 * the key exists) cannot run. The policy engine (@pulumi/policy `unknownCheckingProxy`) stops the
 * rule for that resource and reports an advisory "can't run policy ... during preview"; it neither
 * passes nor fails the preview. `pulumi up` runs it again before creating the resource, when the
 * value is known, and a mandatory violation stops the update there.
 */
import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';

/** Type tokens the policies inspect (@pulumi/gcp 9.37 and our dynamic resource). */
export const TYPES = {
  aiEndpoint: 'gcp:vertex/aiEndpoint:AiEndpoint',
  aiIndex: 'gcp:vertex/aiIndex:AiIndex',
  aiIndexEndpoint: 'gcp:vertex/aiIndexEndpoint:AiIndexEndpoint',
  deployedIndex: 'gcp:vertex/aiIndexEndpointDeployedIndex:AiIndexEndpointDeployedIndex',
  modelDeployment: 'pulumi-nodejs:dynamic/mlserve:VertexModelDeployment',
  topic: 'gcp:pubsub/topic:Topic',
  subscription: 'gcp:pubsub/subscription:Subscription',
  valkey: 'gcp:memorystore/instance:Instance',
  redis: 'gcp:redis/instance:Instance',
  alloydbCluster: 'gcp:alloydb/cluster:Cluster',
  dataset: 'gcp:bigquery/dataset:Dataset',
  cryptoKey: 'gcp:kms/cryptoKey:CryptoKey',
} as const;

/** Cloud KMS rotation at most every 90 days (KMS-01, CKV_GCP_43). */
export const MAX_ROTATION_SECONDS = 7_776_000;

/** Pub/Sub accepts 5–100 delivery attempts (DeadLetterPolicy.max_delivery_attempts, cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions). */
export const DELIVERY_ATTEMPTS = { min: 5, max: 100 } as const;

export const BASIC_ROLES = ['roles/owner', 'roles/editor', 'roles/viewer'] as const;

export const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'] as const;

/** Label that marks a subscription on a dead-letter topic (set by WorkQueue). */
export const DEAD_LETTER_ROLE_LABEL = { key: 'role', value: 'dead-letter' } as const;

/**
 * Policy config. Production is decided per stack: explicitly (`production`), or by the
 * `environment` label our resources carry.
 */
export interface GcpPolicyConfig {
  readonly production?: boolean;
  readonly productionEnvironments?: readonly string[];
}

export const POLICY_CONFIG_SCHEMA = {
  properties: {
    production: { type: 'boolean' as const, description: 'Apply the production rules to this stack.' },
    productionEnvironments: {
      type: 'array' as const,
      items: { type: 'string' as const },
      default: ['prod'],
      description: 'Values of the `environment` label that mark a production stack.',
    },
  },
};

type Props = Record<string, unknown>;

function get(props: Props, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Props)[key] : undefined), props);
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function labelsOf(props: Props): Record<string, string> {
  const labels = props.labels ?? props.userLabels;
  return labels && typeof labels === 'object' ? (labels as Record<string, string>) : {};
}

/** A resource validation that applies to some types only. */
function forTypes(types: readonly string[], check: (props: Props, report: ReportViolation, args: ResourceValidationArgs) => void) {
  return (args: ResourceValidationArgs, report: ReportViolation): void => {
    if (types.includes(args.type)) check(args.props as Props, report, args);
  };
}

export const vertexCmek: ResourceValidationPolicy = {
  name: 'vertex-cmek',
  description: 'Vertex AI endpoints, indexes, index endpoints and model deployments encrypt with a customer-managed key (SRV-02, VEC-02, CKV2_GCP_24).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.aiEndpoint, TYPES.aiIndex, TYPES.aiIndexEndpoint, TYPES.modelDeployment], (props, report, args) => {
    const key = args.type === TYPES.modelDeployment ? props.encryptionKmsKeyName : get(props, 'encryptionSpec.kmsKeyName');
    if (!nonEmpty(key)) report(`${args.type} has no customer-managed key: set ${args.type === TYPES.modelDeployment ? 'encryptionKmsKeyName' : 'encryptionSpec.kmsKeyName'}.`);
  }),
};

export const pubsubCmek: ResourceValidationPolicy = {
  name: 'pubsub-topic-cmek',
  description: 'Pub/Sub topics, dead-letter topics included, encrypt with a customer-managed key (Q-04, CKV_GCP_83).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.topic], (props, report) => {
    if (!nonEmpty(props.kmsKeyName)) report('Pub/Sub topic without kmsKeyName: set a Cloud KMS key.');
  }),
};

export const cacheCmekAndTransport: ResourceValidationPolicy = {
  name: 'cache-cmek-tls-auth',
  description: 'Memorystore encrypts at rest with a customer-managed key, in transit with TLS, and requires authentication (CACHE-01, CACHE-02).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.valkey, TYPES.redis], (props, report, args) => {
    const valkey = args.type === TYPES.valkey;
    if (!nonEmpty(valkey ? props.kmsKey : props.customerManagedKey)) report(`Memorystore without a customer-managed key: set ${valkey ? 'kmsKey' : 'customerManagedKey'}.`);
    if (props.transitEncryptionMode !== 'SERVER_AUTHENTICATION') report(`Memorystore transitEncryptionMode is ${String(props.transitEncryptionMode)}: set SERVER_AUTHENTICATION.`);
    if (valkey ? props.authorizationMode !== 'IAM_AUTH' : props.authEnabled !== true) {
      report(valkey ? 'Memorystore for Valkey without IAM_AUTH authorizationMode.' : 'Memorystore for Redis without authEnabled.');
    }
  }),
};

export const datastoreCmek: ResourceValidationPolicy = {
  name: 'datastore-cmek',
  description: 'BigQuery datasets (request/response logs) and AlloyDB clusters encrypt with a customer-managed key (OBS-01, VEC-02).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.dataset, TYPES.alloydbCluster], (props, report, args) => {
    const path = args.type === TYPES.dataset ? 'defaultEncryptionConfiguration.kmsKeyName' : 'encryptionConfig.kmsKeyName';
    if (!nonEmpty(get(props, path))) report(`${args.type} without a customer-managed key: set ${path}.`);
  }),
};

/** Config of the endpoint rule: a dedicated endpoint is private only inside a VPC Service Controls perimeter. */
export interface EndpointPolicyConfig {
  readonly vpcServiceControls?: boolean;
}

export const privateEndpoints: ResourceValidationPolicy = {
  name: 'vertex-endpoint-private',
  description:
    'Vertex endpoints are private: Private Service Connect with named projects, never VPC peering (no TLS, traffic split or logging there). A dedicated endpoint alone has a public DNS name; it counts only with vpcServiceControls: true, for a project inside a VPC Service Controls perimeter (SRV-03).',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      vpcServiceControls: { type: 'boolean', default: false, description: 'The project is inside a VPC Service Controls perimeter that covers aiplatform.googleapis.com.' },
    },
  },
  validateResource: forTypes([TYPES.aiEndpoint], (props, report, args) => {
    if (nonEmpty(props.network)) report(`Vertex endpoint peered with ${String(props.network)}: use privateServiceConnectConfig instead of network.`);
    const psc = get(props, 'privateServiceConnectConfig.enablePrivateServiceConnect') === true;
    const perimeter = args.getConfig<EndpointPolicyConfig>().vpcServiceControls === true;
    if (!psc && props.dedicatedEndpointEnabled === true && !perimeter) {
      report('Vertex dedicated endpoint without Private Service Connect is reachable from the internet: enable privateServiceConnectConfig, or declare the VPC Service Controls perimeter (policy config vpcServiceControls: true).');
    } else if (!psc && props.dedicatedEndpointEnabled !== true) {
      report('Vertex endpoint without Private Service Connect is a shared public endpoint: set privateServiceConnectConfig.enablePrivateServiceConnect.');
    }
    const allowlist = get(props, 'privateServiceConnectConfig.projectAllowlists');
    if (psc && !(Array.isArray(allowlist) && allowlist.length > 0)) report('Private Service Connect endpoint without projectAllowlists: name the projects that may connect.');
  }),
};

export const privateIndexEndpoint: ResourceValidationPolicy = {
  name: 'index-endpoint-not-public',
  description: 'Vector Search index endpoints are private: no public endpoint, reached through Private Service Connect (VEC-01, CKV2_GCP_34).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.aiIndexEndpoint], (props, report) => {
    if (props.publicEndpointEnabled === true) report('Index endpoint with publicEndpointEnabled: set it to false.');
    if (get(props, 'privateServiceConnectConfig.enablePrivateServiceConnect') !== true) {
      report('Index endpoint without Private Service Connect: set privateServiceConnectConfig.enablePrivateServiceConnect.');
    }
  }),
};

/**
 * Every subscription dead-letters after 5–100 attempts and retries with backoff. Exception: a
 * subscription on a dead-letter topic (labelled role=dead-letter), whose messages already failed
 * every attempt; dead-lettering them again would only move them in a circle. They wait there for
 * inspection and replay, and an alert fires on any backlog. The retry policy applies to them too.
 */
export const subscriptionDeadLetter: ResourceValidationPolicy = {
  name: 'subscription-dead-letter',
  description: 'Every Pub/Sub subscription has a dead-letter topic (5–100 attempts) and a retry policy, except subscriptions on a dead-letter topic (Q-01, Q-03).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.subscription], (props, report) => {
    if (!nonEmpty(get(props, 'retryPolicy.minimumBackoff'))) report('Subscription without retryPolicy.minimumBackoff: redeliveries would not back off.');
    if (labelsOf(props)[DEAD_LETTER_ROLE_LABEL.key] === DEAD_LETTER_ROLE_LABEL.value) return;
    if (!nonEmpty(get(props, 'deadLetterPolicy.deadLetterTopic'))) {
      report('Subscription without deadLetterPolicy.deadLetterTopic: poison messages would be redelivered forever.');
      return;
    }
    const attempts = get(props, 'deadLetterPolicy.maxDeliveryAttempts');
    if (typeof attempts !== 'number' || attempts < DELIVERY_ATTEMPTS.min || attempts > DELIVERY_ATTEMPTS.max) {
      report(`deadLetterPolicy.maxDeliveryAttempts is ${String(attempts)}: Pub/Sub allows ${DELIVERY_ATTEMPTS.min}–${DELIVERY_ATTEMPTS.max}.`);
    }
  }),
};

/** Seconds of a protobuf Duration string such as "7776000s". */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

export const kmsRotation: ResourceValidationPolicy = {
  name: 'kms-key-rotation',
  description: 'Cloud KMS keys rotate at least every 90 days (KMS-01, CKV_GCP_43).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.cryptoKey], (props, report) => {
    const seconds = durationSeconds(props.rotationPeriod);
    if (seconds === undefined) report(`KMS key without a rotationPeriod (got ${JSON.stringify(props.rotationPeriod)}): set at most "${MAX_ROTATION_SECONDS}s".`);
    else if (seconds > MAX_ROTATION_SECONDS) report(`KMS key rotates every ${seconds} s: at most ${MAX_ROTATION_SECONDS} s (90 days).`);
  }),
};

/** Any IAM member, binding or policy resource: their type tokens name the IAM kind. */
function isIamGrant(type: string): boolean {
  return /IAM(Member|Binding)$|Iam(Member|Binding)$/.test(type);
}

export const noBasicRoles: ResourceValidationPolicy = {
  name: 'no-basic-roles',
  description: 'No basic roles (owner, editor, viewer) anywhere: grant predefined roles scoped to the resource (IAM-01, CKV_GCP_117).',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (!isIamGrant(args.type)) return;
    const role = (args.props as Props).role;
    if ((BASIC_ROLES as readonly string[]).includes(String(role))) report(`Basic role ${String(role)} granted: use a predefined role with only the permissions needed.`);
  },
};

export const noPublicMembers: ResourceValidationPolicy = {
  name: 'no-public-iam-members',
  description: 'Nothing is granted to allUsers or allAuthenticatedUsers (Q-05, CKV_GCP_99).',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (!isIamGrant(args.type)) return;
    const props = args.props as Props;
    const members = [props.member, ...(Array.isArray(props.members) ? props.members : [])].map(String);
    for (const m of members) if ((PUBLIC_MEMBERS as readonly string[]).includes(m)) report(`${m} granted ${String(props.role)}: grant named identities only.`);
  },
};

/** Whether the stack is production: config first, else any resource's `environment` label. */
export function isProductionStack(resources: readonly Pick<PolicyResource, 'props'>[], config: GcpPolicyConfig): boolean {
  if (config.production !== undefined) return config.production;
  const environments = config.productionEnvironments ?? ['prod'];
  return resources.some((r) => environments.includes(labelsOf(r.props as Props).environment));
}

/** A mandatory stack policy that checks production stacks only. */
function productionPolicy(name: string, description: string, check: (resources: PolicyResource[], report: ReportViolation) => void): StackValidationPolicy {
  return {
    name,
    description,
    configSchema: POLICY_CONFIG_SCHEMA,
    enforcementLevel: 'mandatory',
    validateStack: (args: StackValidationArgs, report: ReportViolation): void => {
      if (isProductionStack(args.resources, args.getConfig<GcpPolicyConfig>())) check(args.resources, report);
    },
  };
}

export const productionReplicas = productionPolicy(
  'production-min-replicas',
  'In production, every deployed model and deployed index keeps at least 2 replicas (SRV-01, VEC-03).',
  (resources, report) => {
    for (const r of resources) {
      if (r.type === TYPES.modelDeployment) {
        const variants = Array.isArray(r.props.variants) ? (r.props.variants as Props[]) : [];
        for (const v of variants) {
          if (typeof v.minReplicaCount !== 'number' || v.minReplicaCount < 2) {
            report(`Variant ${String(v.name)} of ${r.name} has minReplicaCount ${String(v.minReplicaCount)}: production needs at least 2.`, r.urn);
          }
        }
      }
      if (r.type === TYPES.deployedIndex) {
        const min = get(r.props, 'automaticResources.minReplicaCount') ?? get(r.props, 'dedicatedResources.minReplicaCount');
        if (typeof min !== 'number' || min < 2) report(`Deployed index ${r.name} has minReplicaCount ${String(min)}: production needs at least 2.`, r.urn);
      }
    }
  },
);

export const productionMultiZoneCache = productionPolicy(
  'production-multi-zone-cache',
  'In production, the feature cache spans zones with a replica to fail over to (CACHE-03).',
  (resources, report) => {
    for (const r of resources) {
      if (r.type === TYPES.valkey) {
        if (get(r.props, 'zoneDistributionConfig.mode') !== 'MULTI_ZONE') report(`${r.name}: set zoneDistributionConfig.mode MULTI_ZONE.`, r.urn);
        if (typeof r.props.replicaCount !== 'number' || r.props.replicaCount < 1) report(`${r.name}: replicaCount must be at least 1 to fail over.`, r.urn);
      }
      if (r.type === TYPES.redis && r.props.tier !== 'STANDARD_HA') report(`${r.name}: tier ${String(r.props.tier)}, production needs STANDARD_HA.`, r.urn);
    }
  },
);

export const productionDeletionProtection = productionPolicy(
  'production-deletion-protection',
  'In production, stateful data services refuse deletion (DATA-04): Memorystore, AlloyDB.',
  (resources, report) => {
    const field: Record<string, string> = { [TYPES.valkey]: 'deletionProtectionEnabled', [TYPES.redis]: 'deletionProtection', [TYPES.alloydbCluster]: 'deletionProtection' };
    for (const r of resources) {
      const name = field[r.type];
      if (name && r.props[name] !== true) report(`${r.name}: set ${name} to true in production.`, r.urn);
    }
  },
);

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

export const productionProtect = productionPolicy(
  'production-protect-stateful',
  'In production, resources that hold data (keys, topics, subscriptions, caches, indexes, datasets, databases) are protected: a delete or a replacement fails (DATA-01).',
  (resources, report) => {
    for (const r of resources) {
      if (STATEFUL_TYPES.includes(r.type) && !r.opts.protect) report(`${r.name} (${r.type}) holds data but is not protected: set the protect resource option in production.`, r.urn);
    }
  },
);

export const GCP_POLICIES = [
  vertexCmek,
  pubsubCmek,
  cacheCmekAndTransport,
  datastoreCmek,
  privateEndpoints,
  privateIndexEndpoint,
  subscriptionDeadLetter,
  kmsRotation,
  noBasicRoles,
  noPublicMembers,
  productionReplicas,
  productionMultiZoneCache,
  productionDeletionProtection,
  productionProtect,
];
