import { beforeAll, describe, expect, it } from 'vitest';
import { loadTopologyFile, preset, resolveTopology, type ResolvedTopology } from '../../constructs';
import { planGcp } from '../../gcp/plan';
import * as policies from '../../gcp/policy/rules';
import { GCP_POLICIES } from '../../gcp/policy/gcp-policies';
import { TYPES } from '../../gcp/policy/resource-types';
import { fromPlan, runPolicies, type ResourceLike } from './support/run-policy-pack';

const KEY = 'projects/p/locations/us-central1/keyRings/r/cryptoKeys/k';
/** How @pulumi/policy receives a string not known at preview (its proxy.ts `unknownStringValue`, Pulumi's unknown sentinel). */
const UNKNOWN_STRING = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const PROD = { labels: { environment: 'prod' } };

type AnyPolicy = (typeof GCP_POLICIES)[number];

/** The names of the policies a single resource (or stack) violates, under one policy. */
async function violated(policy: AnyPolicy, resources: ResourceLike[]): Promise<string[]> {
  return (await runPolicies([policy], resources)).map((v) => v.message);
}

interface Case {
  readonly policy: AnyPolicy;
  readonly compliant: ResourceLike[];
  readonly violating: ResourceLike[];
  /** A fragment of the expected message. */
  readonly message: RegExp;
}

const sub = (props: Record<string, unknown>): ResourceLike => ({ type: TYPES.subscription, props: { retryPolicy: { minimumBackoff: '10s' }, ...props } });
const valkey = (props: Record<string, unknown>): ResourceLike => ({
  type: TYPES.valkey,
  props: { kmsKey: KEY, transitEncryptionMode: 'SERVER_AUTHENTICATION', authorizationMode: 'IAM_AUTH', ...props },
});

const CASES: Case[] = [
  {
    policy: policies.vertexCmek,
    compliant: [
      { type: TYPES.aiEndpoint, props: { encryptionSpec: { kmsKeyName: KEY } } },
      { type: TYPES.modelDeployment, props: { encryptionKmsKeyName: KEY } },
    ],
    violating: [{ type: TYPES.aiIndex, props: { displayName: 'vectors' } }],
    message: /no customer-managed key: set encryptionSpec\.kmsKeyName/,
  },
  {
    policy: policies.pubsubCmek,
    compliant: [{ type: TYPES.topic, props: { kmsKeyName: KEY } }],
    violating: [{ type: TYPES.topic, props: { name: 'jobs' } }],
    message: /topic without kmsKeyName/,
  },
  {
    policy: policies.cacheCmekAndTransport,
    compliant: [valkey({}), { type: TYPES.redis, props: { customerManagedKey: KEY, transitEncryptionMode: 'SERVER_AUTHENTICATION', authEnabled: true } }],
    violating: [valkey({ transitEncryptionMode: 'TRANSIT_ENCRYPTION_DISABLED' })],
    message: /transitEncryptionMode is TRANSIT_ENCRYPTION_DISABLED: set SERVER_AUTHENTICATION/,
  },
  {
    policy: policies.datastoreCmek,
    compliant: [
      { type: TYPES.dataset, props: { defaultEncryptionConfiguration: { kmsKeyName: KEY } } },
      { type: TYPES.bucket, props: { encryption: { defaultKmsKeyName: KEY } } },
    ],
    violating: [
      { type: TYPES.alloydbCluster, props: { clusterId: 'vectors' } },
      { type: TYPES.bucket, props: { uniformBucketLevelAccess: true } },
    ],
    message: /set encryptionConfig\.kmsKeyName|gcp:storage\/bucket:Bucket without a customer-managed key: set encryption\.defaultKmsKeyName/,
  },
  {
    policy: policies.privateEndpoints,
    compliant: [
      { type: TYPES.aiEndpoint, props: { privateServiceConnectConfig: { enablePrivateServiceConnect: true, projectAllowlists: ['p'] } } },
      { type: TYPES.aiEndpoint, props: { dedicatedEndpointEnabled: true, privateServiceConnectConfig: { enablePrivateServiceConnect: true, projectAllowlists: ['p'] } } },
    ],
    violating: [
      { type: TYPES.aiEndpoint, props: { network: 'projects/123/global/networks/default' } },
      // A dedicated endpoint alone has a public DNS name.
      { type: TYPES.aiEndpoint, props: { dedicatedEndpointEnabled: true } },
    ],
    message: /peered with projects\/123\/global\/networks\/default: use privateServiceConnectConfig|shared public endpoint|dedicated endpoint without Private Service Connect is reachable from the internet/,
  },
  {
    policy: policies.privateIndexEndpoint,
    compliant: [{ type: TYPES.aiIndexEndpoint, props: { publicEndpointEnabled: false, privateServiceConnectConfig: { enablePrivateServiceConnect: true } } }],
    violating: [{ type: TYPES.aiIndexEndpoint, props: { publicEndpointEnabled: true, privateServiceConnectConfig: { enablePrivateServiceConnect: true } } }],
    message: /publicEndpointEnabled: set it to false/,
  },
  {
    policy: policies.subscriptionDeadLetter,
    compliant: [
      sub({ deadLetterPolicy: { deadLetterTopic: 'projects/p/topics/dlq', maxDeliveryAttempts: 5 } }),
      // The documented exception: the subscription on a dead-letter topic.
      sub({ labels: { role: 'dead-letter' } }),
    ],
    violating: [sub({ deadLetterPolicy: { deadLetterTopic: 'projects/p/topics/dlq', maxDeliveryAttempts: 200 } }), sub({})],
    message: /maxDeliveryAttempts is 200: Pub\/Sub allows 5–100|without deadLetterPolicy/,
  },
  {
    policy: policies.kmsRotation,
    compliant: [{ type: TYPES.cryptoKey, props: { rotationPeriod: '7776000s' } }],
    violating: [{ type: TYPES.cryptoKey, props: { rotationPeriod: '31536000s' } }],
    message: /rotates every 31536000 s: at most 7776000 s/,
  },
  {
    policy: policies.noBasicRoles,
    compliant: [{ type: 'gcp:projects/iAMMember:IAMMember', props: { role: 'roles/logging.logWriter', member: 'serviceAccount:a@p.iam.gserviceaccount.com' } }],
    violating: [{ type: 'gcp:pubsub/topicIAMMember:TopicIAMMember', props: { role: 'roles/editor', member: 'serviceAccount:a@p.iam.gserviceaccount.com' } }],
    message: /Basic role roles\/editor granted/,
  },
  {
    policy: policies.noPublicMembers,
    compliant: [{ type: 'gcp:pubsub/topicIAMMember:TopicIAMMember', props: { role: 'roles/pubsub.publisher', member: 'serviceAccount:a@p.iam.gserviceaccount.com' } }],
    violating: [{ type: 'gcp:pubsub/topicIAMMember:TopicIAMMember', props: { role: 'roles/pubsub.publisher', member: 'allUsers' } }],
    message: /allUsers granted roles\/pubsub\.publisher/,
  },
  {
    policy: policies.productionReplicas,
    compliant: [
      { type: TYPES.modelDeployment, props: { ...PROD, variants: [{ name: 'primary', minReplicaCount: 2 }] } },
      { type: TYPES.deployedIndex, props: { automaticResources: { minReplicaCount: 2 } } },
    ],
    violating: [
      { type: TYPES.modelDeployment, props: { ...PROD, variants: [{ name: 'primary', minReplicaCount: 1 }] } },
      { type: TYPES.deployedIndex, props: { automaticResources: { minReplicaCount: 1 } } },
    ],
    message: /minReplicaCount 1: production needs at least 2/,
  },
  {
    policy: policies.productionMultiZoneCache,
    compliant: [valkey({ ...PROD, zoneDistributionConfig: { mode: 'MULTI_ZONE' }, replicaCount: 1 })],
    violating: [valkey({ ...PROD, zoneDistributionConfig: { mode: 'SINGLE_ZONE' }, replicaCount: 0 })],
    message: /zoneDistributionConfig\.mode MULTI_ZONE|replicaCount must be at least 1/,
  },
  {
    policy: policies.productionProtect,
    compliant: [{ ...valkey(PROD), opts: { protect: true } }, { type: TYPES.dataset, props: PROD, opts: { protect: true } }],
    violating: [valkey(PROD), { type: TYPES.cryptoKey, props: PROD, opts: { protect: false } }],
    message: /holds data but is not protected: set the protect resource option in production/,
  },
  {
    policy: policies.productionDeletionProtection,
    compliant: [valkey({ ...PROD, deletionProtectionEnabled: true })],
    violating: [valkey({ ...PROD, deletionProtectionEnabled: false })],
    message: /set deletionProtectionEnabled to true in production/,
  },
];

describe('each policy', () => {
  it('has a case here', () => {
    expect(CASES.map((c) => c.policy.name).sort()).toEqual(GCP_POLICIES.map((p) => p.name).sort());
  });

  for (const c of CASES) {
    it(`${c.policy.name}: passes compliant resources`, async () => {
      expect(await violated(c.policy, c.compliant)).toEqual([]);
    });
    it(`${c.policy.name}: reports violating resources`, async () => {
      const messages = await violated(c.policy, c.violating);
      expect(messages.length).toBeGreaterThanOrEqual(c.violating.length);
      for (const m of messages) expect(m).toMatch(c.message);
    });
  }

  it('a dedicated endpoint without Private Service Connect passes inside a declared VPC Service Controls perimeter', async () => {
    const dedicated = { type: TYPES.aiEndpoint, props: { dedicatedEndpointEnabled: true } };
    expect(await runPolicies([policies.privateEndpoints], [dedicated], { vpcServiceControls: true })).toEqual([]);
    expect(await runPolicies([policies.privateEndpoints], [dedicated])).toHaveLength(1);
  });

  it('a value unknown at preview stops the rule with an advisory "can\'t run", neither a pass nor a violation', async () => {
    const firstPreview: ResourceLike[] = [
      { type: TYPES.topic, props: { name: 'jobs', kmsKeyName: UNKNOWN_STRING } },
      { type: TYPES.aiEndpoint, props: { encryptionSpec: { kmsKeyName: UNKNOWN_STRING }, privateServiceConnectConfig: { enablePrivateServiceConnect: true, projectAllowlists: ['p'] } } },
    ];
    const found = await runPolicies(GCP_POLICIES, firstPreview);
    expect(found).toEqual([
      expect.objectContaining({ policy: 'vertex-cmek', advisory: true, message: expect.stringMatching(/can't run policy 'vertex-cmek' during preview: string value at \.encryptionSpec\.kmsKeyName can't be known during preview/) }),
      expect.objectContaining({ policy: 'pubsub-topic-cmek', advisory: true }),
    ]);
  });

  it('applies production rules only to production stacks (label or config)', async () => {
    const single = valkey({ labels: { environment: 'dev' }, zoneDistributionConfig: { mode: 'SINGLE_ZONE' }, replicaCount: 0 });
    expect(await runPolicies([policies.productionMultiZoneCache], [single])).toEqual([]);
    expect(await runPolicies([policies.productionMultiZoneCache], [single], { production: true })).toHaveLength(2);
    expect(await runPolicies([policies.productionMultiZoneCache], [single], { productionEnvironments: ['dev'] })).toHaveLength(2);
  });
});

describe('the whole pack over every environment (mocks bridge)', () => {
  const topologies: Record<string, ResolvedTopology> = {
    dev: resolveTopology(preset('dev')),
    staging: resolveTopology(preset('staging')),
    prod: resolveTopology(preset('prod')),
    'news.yaml': resolveTopology(loadTopologyFile('test/fixtures/news.yaml')),
    'gcp-gaps.yaml': resolveTopology(loadTopologyFile('test/fixtures/gcp-gaps.yaml')),
  };
  const resources: Record<string, ResourceLike[]> = {};

  beforeAll(async () => {
    for (const [name, resolved] of Object.entries(topologies)) resources[name] = fromPlan(await planGcp(resolved));
  });

  for (const name of Object.keys(topologies)) {
    it(`finds nothing in ${name}`, async () => {
      expect(resources[name].length).toBeGreaterThan(20);
      expect(await runPolicies(GCP_POLICIES, resources[name])).toEqual([]);
    });
  }

  it('positive control: breaking the prod stack trips every policy', async () => {
    const broken = resources.prod.map((r) => {
      const props = { ...r.props };
      switch (r.type) {
        case TYPES.aiEndpoint:
          return { ...r, props: { ...props, encryptionSpec: undefined, privateServiceConnectConfig: undefined, network: 'projects/1/global/networks/default' } };
        case TYPES.modelDeployment:
          return { ...r, props: { ...props, variants: (props.variants as object[]).map((v) => ({ ...v, minReplicaCount: 1 })) } };
        case TYPES.topic:
          return { ...r, props: { ...props, kmsKeyName: undefined } };
        case TYPES.subscription:
          return { ...r, props: { ...props, deadLetterPolicy: undefined, labels: {} } };
        case TYPES.valkey:
          return { ...r, props: { ...props, kmsKey: undefined, zoneDistributionConfig: { mode: 'SINGLE_ZONE' }, deletionProtectionEnabled: false } };
        case TYPES.dataset:
          return { ...r, props: { ...props, defaultEncryptionConfiguration: undefined } };
        case TYPES.aiIndexEndpoint:
          return { ...r, props: { ...props, publicEndpointEnabled: true } };
        case TYPES.cryptoKey:
          return { ...r, props: { ...props, rotationPeriod: undefined }, opts: { protect: false } };
        case 'gcp:projects/iAMMember:IAMMember':
          return { ...r, props: { ...props, role: 'roles/owner', member: 'allAuthenticatedUsers' } };
        default:
          return r;
      }
    });
    const found = await runPolicies(GCP_POLICIES, broken);
    expect(new Set(found.map((v) => v.policy))).toEqual(new Set(GCP_POLICIES.map((p) => p.name)));
    // Each finding points at the broken resource.
    expect(found.every((v) => v.urn?.startsWith('urn:pulumi:prod::ml-serving-stacks::'))).toBe(true);
  });
});
