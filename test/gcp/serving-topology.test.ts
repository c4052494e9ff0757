/**
 * ServingTopology and its components under Pulumi mocks: inputs by type token, one mocked run
 * per topology (planGcp), and the stateful resources' URNs pinned.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTopologyFile, parseTopology, preset, presetInput, resolveTopology, vertexEndpointId, type ResolvedTopology } from '../../constructs';
import { PLAN_PROJECT, PLAN_PROJECT_NUMBER, planGcp, VERTEX_MODEL_DEPLOYMENT_TYPE, type PlannedResource } from '../../gcp/plan';
import { STATEFUL_TYPES as POLICY_STATEFUL_TYPES } from '../../gcp/policy/resource-types';
import { requiredApis } from '../../gcp/private/serving-apis';
import { KEY_ROTATION_PERIOD } from '../../gcp/private/serving-keys';

// Mock inputs are untyped JSON; the tests read into them freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Inputs = Record<string, any>;

const byType = (plan: PlannedResource[], type: string) => plan.filter((r) => r.type === type);
const named = (plan: PlannedResource[], name: string): Inputs => {
  const r = plan.find((p) => p.name === name);
  if (!r) throw new Error(`no resource ${name}; have ${plan.map((p) => p.name).join(', ')}`);
  return r.inputs as Inputs;
};
const agent = (domain: string) => `serviceAccount:service-${PLAN_PROJECT_NUMBER}@${domain}.iam.gserviceaccount.com`;

const topologies: Record<string, ResolvedTopology> = {
  prod: resolveTopology(preset('prod')),
  dev: resolveTopology(preset('dev')),
  gaps: resolveTopology(loadTopologyFile('test/fixtures/gcp-gaps.yaml')),
  existingNetwork: resolveTopology(
    parseTopology({
      ...presetInput('dev'),
      network: {
        existing: {
          gcp: { network: 'projects/shared-vpc-host/global/networks/serving', subnetwork: 'projects/shared-vpc-host/regions/us-central1/subnetworks/serving' },
        },
      },
    }),
  ),
};
const plans: Record<string, PlannedResource[]> = {};

beforeAll(async () => {
  for (const [name, resolved] of Object.entries(topologies)) plans[name] = await planGcp(resolved);
});

describe('ModelEndpoint (prod)', () => {
  it('creates one private, CMEK-encrypted AiEndpoint per endpoint with a numeric id', () => {
    const endpoints = byType(plans.prod, 'gcp:vertex/aiEndpoint:AiEndpoint');
    expect(endpoints.map((e) => e.name)).toEqual(expect.arrayContaining(['news-ranker-endpoint', 'news-embedder-endpoint', 'news-reranker-endpoint']));
    expect(endpoints).toHaveLength(3);
    for (const e of topologies.prod.endpoints) {
      const inputs = named(plans.prod, `news-${e.name}-endpoint`);
      expect(inputs).toMatchObject({
        name: vertexEndpointId(PLAN_PROJECT, 'us-central1', e.gcp.displayName),
        displayName: e.gcp.displayName,
        location: 'us-central1',
        encryptionSpec: { kmsKeyName: expect.stringMatching(new RegExp(`/cryptoKeys/endpoint-${e.name}$`)) },
        privateServiceConnectConfig: {
          enablePrivateServiceConnect: true,
          projectAllowlists: [PLAN_PROJECT],
          pscAutomationConfigs: [{ projectId: PLAN_PROJECT, network: `projects/${PLAN_PROJECT}/global/networks/news-network-vpc` }],
        },
        labels: expect.objectContaining({ app: 'news', environment: 'prod', team: 'ml-platform', endpoint: e.name }),
      });
      expect(inputs.name).toMatch(/^[1-9]\d{8}$/);
      expect(inputs.network).toBeUndefined();
    }
  });

  it('logs sampled requests to a CMEK BigQuery dataset when data capture is on', () => {
    const ranker = named(plans.prod, 'news-ranker-endpoint');
    expect(ranker.predictRequestResponseLoggingConfig).toEqual({
      enabled: true,
      samplingRate: 0.05,
      bigqueryDestination: { outputUri: `bq://${PLAN_PROJECT}.news_prod_ranker_predictions` },
    });
    expect(named(plans.prod, 'news-ranker-logs')).toMatchObject({
      datasetId: 'news_prod_ranker_predictions',
      location: 'us-central1',
      defaultEncryptionConfiguration: { kmsKeyName: expect.stringMatching(/cryptoKeys\/endpoint-ranker$/) },
      deleteContentsOnDestroy: false,
    });
    // Outside production a destroy removes the dataset with the table Vertex wrote into it.
    expect(named(plans.gaps, 'gaps-summarizer-logs').deleteContentsOnDestroy).toBe(true);
    // The embedder has no data capture in the preset.
    expect(named(plans.prod, 'news-embedder-endpoint').predictRequestResponseLoggingConfig).toBeUndefined();
    expect(plans.prod.some((r) => r.name === 'news-embedder-logs')).toBe(false);
  });

  it('deploys every variant with the resolved machine, accelerator, replica bounds, weights, autoscaling and rollout', () => {
    const deployments = byType(plans.prod, VERTEX_MODEL_DEPLOYMENT_TYPE);
    expect(deployments).toHaveLength(3);
    for (const e of topologies.prod.endpoints) {
      const d = named(plans.prod, `news-${e.name}-deployment`);
      expect(d.endpointId).toBe(vertexEndpointId(PLAN_PROJECT, 'us-central1', e.gcp.displayName));
      expect(d.autoscalingMetricSpecs).toEqual(e.gcp.autoscalingMetricSpecs);
      expect(d.rollout).toEqual({ steps: [10, 100], bakeSeconds: 600 });
      expect(d.serviceAccount).toBe(`news-prod-ep-${e.name}@${PLAN_PROJECT}.iam.gserviceaccount.com`);
      expect(d.variants).toEqual(
        e.variants.map((v) =>
          expect.objectContaining({
            name: v.name,
            weight: v.weight,
            machineType: v.gcp.machineType,
            acceleratorCount: v.gcp.acceleratorCount,
            ...(v.gcp.acceleratorType ? { acceleratorType: v.gcp.acceleratorType } : {}),
            minReplicaCount: e.scaling.min,
            maxReplicaCount: e.scaling.max,
            model: expect.objectContaining({ imageUri: v.model.image.gcp, artifactUri: v.model.artifact?.gcp, port: 8080 }),
          }),
        ),
      );
    }
    const embedder = named(plans.prod, 'news-embedder-deployment');
    expect(embedder.variants.map((v: Inputs) => [v.name, v.weight, v.acceleratorType, v.minReplicaCount, v.maxReplicaCount])).toEqual([
      ['current', 90, 'NVIDIA_L4', 2, 16],
      ['candidate', 10, 'NVIDIA_L4', 2, 16],
    ]);
  });

  it('runs serving containers as their own service account with log and metric writing only', () => {
    const grants = byType(plans.prod, 'gcp:projects/iAMMember:IAMMember').filter((g) => g.name.startsWith('news-ranker-sa-'));
    expect(grants.map((g) => g.inputs.role).sort()).toEqual(['roles/logging.logWriter', 'roles/monitoring.metricWriter']);
    expect(grants.every((g) => g.inputs.member === `serviceAccount:news-prod-ep-ranker@${PLAN_PROJECT}.iam.gserviceaccount.com`)).toBe(true);
  });
});

describe('FeatureCache', () => {
  it('prod: Memorystore for Valkey behind PSC, multi-zone, TLS, IAM auth, CMEK, backups, deletion protection', () => {
    const c = topologies.prod.featureCache!;
    expect(named(plans.prod, 'news-cache-psc-policy')).toMatchObject({
      project: PLAN_PROJECT,
      serviceClass: 'gcp-memorystore',
      location: 'us-central1',
      network: `projects/${PLAN_PROJECT}/global/networks/news-network-vpc`,
      pscConfig: { subnetworks: [`projects/${PLAN_PROJECT}/regions/us-central1/subnetworks/news-network-subnet`] },
    });
    expect(named(plans.prod, 'news-cache-instance')).toMatchObject({
      instanceId: c.gcp.instanceId,
      nodeType: 'STANDARD_SMALL',
      // 16 GiB of data on 4.84 GiB of writable keyspace per node.
      shardCount: 4,
      replicaCount: 1,
      zoneDistributionConfig: { mode: 'MULTI_ZONE' },
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      authorizationMode: 'IAM_AUTH',
      kmsKey: expect.stringMatching(/cryptoKeys\/cache$/),
      automatedBackupConfig: { retention: '1296000s', fixedFrequencySchedule: { startTime: { hours: 3 } } },
      deletionProtectionEnabled: true,
      desiredAutoCreatedEndpoints: [{ network: `projects/${PLAN_PROJECT}/global/networks/news-network-vpc`, projectId: PLAN_PROJECT }],
    });
    expect(named(plans.prod, 'news-cache-client-connect')).toMatchObject({ role: 'roles/memorystore.dbConnectionUser' });
  });

  it('dev: single zone, no replica, no deletion protection', () => {
    expect(named(plans.dev, 'news-cache-instance')).toMatchObject({
      nodeType: 'SHARED_CORE_NANO',
      replicaCount: 0,
      zoneDistributionConfig: { mode: 'SINGLE_ZONE' },
      deletionProtectionEnabled: false,
    });
  });

  it('redis engine: Memorystore for Redis, STANDARD_HA, AUTH, TLS, CMEK', () => {
    expect(byType(plans.gaps, 'gcp:memorystore/instance:Instance')).toEqual([]);
    expect(named(plans.gaps, 'gaps-cache-instance')).toMatchObject({
      region: 'europe-west4',
      tier: 'STANDARD_HA',
      memorySizeGb: 10,
      replicaCount: 2,
      readReplicasMode: 'READ_REPLICAS_ENABLED',
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      customerManagedKey: expect.stringMatching(/cryptoKeys\/cache$/),
    });
    expect(named(plans.gaps, 'gaps-keys-cache-redis').member).toBe(`serviceAccount:service-${PLAN_PROJECT_NUMBER}@cloud-redis.iam.gserviceaccount.com`);
  });
});

describe('VectorStore', () => {
  it('managed: tree-AH index with the resolved dimensions and metric, streaming, CMEK; private PSC endpoint; deployed with replica bounds', () => {
    const v = topologies.prod.vectorStore!;
    expect(named(plans.prod, 'news-vectors-index')).toMatchObject({
      displayName: v.gcp.displayName,
      indexUpdateMethod: 'STREAM_UPDATE',
      encryptionSpec: { kmsKeyName: expect.stringMatching(/cryptoKeys\/vectors$/) },
      metadata: {
        config: {
          dimensions: 768,
          // 20 M × 768 float32 ≈ 57 GiB: three MEDIUM shards rather than 29 SMALL ones.
          shardSize: 'SHARD_SIZE_MEDIUM',
          approximateNeighborsCount: 150,
          distanceMeasureType: 'DOT_PRODUCT_DISTANCE',
          featureNormType: 'UNIT_L2_NORM',
          algorithmConfig: { treeAhConfig: { leafNodeEmbeddingCount: 1000, leafNodesToSearchPercent: 10 } },
        },
      },
    });
    expect(named(plans.prod, 'news-vectors-endpoint')).toMatchObject({
      publicEndpointEnabled: false,
      privateServiceConnectConfig: { enablePrivateServiceConnect: true, projectAllowlists: [PLAN_PROJECT] },
      encryptionSpec: { kmsKeyName: expect.stringMatching(/cryptoKeys\/vectors$/) },
    });
    expect(named(plans.prod, 'news-vectors-deployed')).toMatchObject({
      deployedIndexId: 'news_prod_vectors',
      dedicatedResources: { machineSpec: { machineType: 'e2-standard-16' }, minReplicaCount: 2, maxReplicaCount: 4 },
      indexEndpoint: `projects/${PLAN_PROJECT}/locations/us-central1/indexEndpoints/1000000002`,
      index: `projects/${PLAN_PROJECT}/locations/us-central1/indexes/1000000001`,
    });
  });

  it('managed: a consumer endpoint in our network, an address and a forwarding rule to the deployed index\'s service attachment', () => {
    expect(named(plans.prod, 'news-vectors-psc-address')).toMatchObject({
      project: PLAN_PROJECT,
      region: 'us-central1',
      addressType: 'INTERNAL',
      subnetwork: `projects/${PLAN_PROJECT}/regions/us-central1/subnetworks/news-network-subnet`,
    });
    expect(named(plans.prod, 'news-vectors-psc-endpoint')).toMatchObject({
      region: 'us-central1',
      network: `projects/${PLAN_PROJECT}/global/networks/news-network-vpc`,
      ipAddress: `projects/${PLAN_PROJECT}/regions/us-central1/addresses/news-vectors-psc-address`,
      target: expect.stringMatching(/^projects\/tenant-.*\/serviceAttachments\/news_prod_vectors$/),
      loadBalancingScheme: '',
    });
  });

  it('pgvector: AlloyDB reached through PSC, CMEK on data and backups', () => {
    expect(byType(plans.gaps, 'gcp:vertex/aiIndex:AiIndex')).toEqual([]);
    expect(named(plans.gaps, 'gaps-vectors-cluster')).toMatchObject({
      location: 'europe-west4',
      pscConfig: { pscEnabled: true },
      encryptionConfig: { kmsKeyName: expect.stringMatching(/cryptoKeys\/vectors$/) },
      automatedBackupPolicy: { enabled: true, encryptionConfig: { kmsKeyName: expect.stringMatching(/cryptoKeys\/vectors$/) } },
      continuousBackupConfig: { enabled: true },
      deletionProtection: false,
    });
    expect(named(plans.gaps, 'gaps-vectors-primary')).toMatchObject({
      instanceType: 'PRIMARY',
      // PSC automation makes the endpoint in our network, through the policy for AlloyDB's service class.
      pscInstanceConfig: {
        allowedConsumerProjects: [PLAN_PROJECT_NUMBER],
        pscAutoConnections: [{ consumerProject: PLAN_PROJECT, consumerNetwork: `projects/${PLAN_PROJECT}/global/networks/gaps-network-vpc` }],
      },
      databaseFlags: { 'alloydb.iam_authentication': 'on' },
    });
  });
});

describe('WorkQueue', () => {
  it('topic and dead-letter topic on CMEK; subscription with dead letter, retry and the resolved timings; a subscription on the dead-letter topic', () => {
    for (const q of topologies.prod.queues) {
      const p = `news-${q.name}`;
      expect(named(plans.prod, `${p}-topic`)).toMatchObject({ name: q.gcp.topicName, kmsKeyName: expect.stringMatching(new RegExp(`cryptoKeys/queue-${q.name}$`)) });
      expect(named(plans.prod, `${p}-dead-letter`)).toMatchObject({ name: q.gcp.deadLetterTopicName, kmsKeyName: expect.any(String) });
      expect(named(plans.prod, `${p}-sub`)).toMatchObject({
        name: q.gcp.subscriptionName,
        topic: `projects/${PLAN_PROJECT}/topics/${q.gcp.topicName}`,
        ackDeadlineSeconds: q.ackTimeoutSeconds,
        messageRetentionDuration: `${q.retentionHours * 3600}s`,
        deadLetterPolicy: { deadLetterTopic: `projects/${PLAN_PROJECT}/topics/${q.gcp.deadLetterTopicName}`, maxDeliveryAttempts: q.maxDeliveryAttempts },
        retryPolicy: { minimumBackoff: '10s', maximumBackoff: '600s' },
        expirationPolicy: { ttl: '' },
      });
      expect(named(plans.prod, `${p}-dead-letter-sub`)).toMatchObject({
        name: q.gcp.deadLetterSubscriptionName,
        topic: `projects/${PLAN_PROJECT}/topics/${q.gcp.deadLetterTopicName}`,
        labels: expect.objectContaining({ role: 'dead-letter' }),
      });
      expect(named(plans.prod, `${p}-dead-letter-sub`).deadLetterPolicy).toBeUndefined();
    }
  });

  it('lets the Pub/Sub service agent dead-letter: publisher on the dead-letter topic, subscriber on the source subscription', () => {
    const q = topologies.prod.queues[0];
    expect(named(plans.prod, `news-${q.name}-dead-letter-publisher`)).toEqual({
      project: PLAN_PROJECT,
      topic: q.gcp.deadLetterTopicName,
      role: 'roles/pubsub.publisher',
      member: agent('gcp-sa-pubsub'),
    });
    expect(named(plans.prod, `news-${q.name}-source-subscriber`)).toEqual({
      project: PLAN_PROJECT,
      subscription: q.gcp.subscriptionName,
      role: 'roles/pubsub.subscriber',
      member: agent('gcp-sa-pubsub'),
    });
  });
});

describe('keys, network and monitoring', () => {
  it('one key per component, 90-day rotation, encrypt/decrypt for exactly the service agents that use it', () => {
    const keys = byType(plans.prod, 'gcp:kms/cryptoKey:CryptoKey');
    expect(keys.map((k) => k.inputs.name).sort()).toEqual(
      ['cache', 'endpoint-embedder', 'endpoint-ranker', 'endpoint-reranker', 'monitoring', 'pipeline-embedding-refresh', 'queue-async-inference', 'queue-embedding-refresh', 'vectors'].sort(),
    );
    expect(keys.every((k) => k.inputs.rotationPeriod === KEY_ROTATION_PERIOD && k.inputs.purpose === 'ENCRYPT_DECRYPT')).toBe(true);
    const grants = byType(plans.prod, 'gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember');
    expect(Object.fromEntries(grants.map((g) => [g.name, g.inputs.member]))).toEqual({
      'news-keys-endpoint-ranker-vertex': agent('gcp-sa-aiplatform'),
      'news-keys-endpoint-ranker-bigquery': `serviceAccount:bq-${PLAN_PROJECT_NUMBER}@bigquery-encryption.iam.gserviceaccount.com`,
      'news-keys-endpoint-embedder-vertex': agent('gcp-sa-aiplatform'),
      'news-keys-endpoint-reranker-vertex': agent('gcp-sa-aiplatform'),
      'news-keys-endpoint-reranker-bigquery': `serviceAccount:bq-${PLAN_PROJECT_NUMBER}@bigquery-encryption.iam.gserviceaccount.com`,
      'news-keys-cache-memorystore': agent('gcp-sa-memorystore'),
      'news-keys-vectors-vertex': agent('gcp-sa-aiplatform'),
      'news-keys-queue-embedding-refresh-pubsub': agent('gcp-sa-pubsub'),
      'news-keys-pipeline-embedding-refresh-storage': `serviceAccount:service-${PLAN_PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com`,
      'news-keys-queue-async-inference-pubsub': agent('gcp-sa-pubsub'),
      'news-keys-monitoring-pubsub': agent('gcp-sa-pubsub'),
    });
    expect(grants.every((g) => g.inputs.role === 'roles/cloudkms.cryptoKeyEncrypterDecrypter')).toBe(true);
  });

  it('a private subnetwork with Private Google Access and flow logs', () => {
    expect(named(plans.prod, 'news-network-vpc')).toMatchObject({ autoCreateSubnetworks: false });
    expect(named(plans.prod, 'news-network-subnet')).toMatchObject({
      region: 'us-central1',
      privateIpGoogleAccess: true,
      logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
    });
  });

  it('an existing network is used as given, nothing created; its service connection policies are its owner\'s', () => {
    const plan = plans.existingNetwork;
    expect(byType(plan, 'gcp:compute/network:Network')).toEqual([]);
    expect(byType(plan, 'gcp:compute/subnetwork:Subnetwork')).toEqual([]);
    expect(named(plan, 'news-ranker-endpoint').privateServiceConnectConfig.pscAutomationConfigs[0].network).toBe('projects/shared-vpc-host/global/networks/serving');
    // One policy per network, region and service class may exist, and the owner has made it.
    expect(byType(plan, 'gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy')).toEqual([]);
    expect(named(plan, 'news-cache-instance').desiredAutoCreatedEndpoints).toEqual([{ network: 'projects/shared-vpc-host/global/networks/serving', projectId: PLAN_PROJECT }]);
  });

  it('Shared VPC with createConnectionPolicies: the policy goes to the network\'s host project, not the deploy project', async () => {
    const plan = await planGcp(topologies.existingNetwork, { createConnectionPolicies: true });
    expect(named(plan, 'news-cache-psc-policy')).toMatchObject({
      project: 'shared-vpc-host',
      location: 'us-central1',
      serviceClass: 'gcp-memorystore',
      network: 'projects/shared-vpc-host/global/networks/serving',
      pscConfig: { subnetworks: ['projects/shared-vpc-host/regions/us-central1/subnetworks/serving'] },
    });
    expect(plan.find((r) => r.name === 'news-cache-instance')!.dependsOn).toContain('news-cache-psc-policy');
  });

  it('alert policies live with what they watch: latency and error rate per endpoint, dead letters per queue, each with every notification channel', () => {
    const policies = byType(plans.prod, 'gcp:monitoring/alertPolicy:AlertPolicy');
    const owner = (p: PlannedResource) => p.parent!.slice(p.parent!.lastIndexOf('::') + 2);
    expect(policies.map((p) => [owner(p), p.name]).sort()).toEqual(
      [
        ['news-ranker', 'news-ranker-latency'],
        ['news-ranker', 'news-ranker-errors'],
        ['news-embedder', 'news-embedder-latency'],
        ['news-embedder', 'news-embedder-errors'],
        ['news-reranker', 'news-reranker-latency'],
        ['news-reranker', 'news-reranker-errors'],
        ['news-embedding-refresh', 'news-embedding-refresh-dead-letters'],
        ['news-async-inference', 'news-async-inference-dead-letters'],
        // The embedding-refresh pipeline's oldest unacknowledged message against its SLO.
        ['news-embedding-refresh', 'news-embedding-refresh-freshness'],
      ].sort(),
    );
    const channels = byType(plans.prod, 'gcp:monitoring/notificationChannel:NotificationChannel').map((c) => `projects/${PLAN_PROJECT}/notificationChannels/${c.name}`);
    expect(channels).toHaveLength(2);
    for (const p of policies) expect([...(p.inputs as Inputs).notificationChannels].sort()).toEqual([...channels].sort());
    const latency = named(plans.prod, 'news-ranker-latency').conditions[0].conditionThreshold;
    expect(latency).toMatchObject({ thresholdValue: 100, comparison: 'COMPARISON_GT' });
    expect(latency.filter).toContain(`resource.labels.endpoint_id = "${vertexEndpointId(PLAN_PROJECT, 'us-central1', 'news-prod-ranker')}"`);
    expect(named(plans.prod, 'news-ranker-errors').conditions[0].conditionThreshold).toMatchObject({ thresholdValue: 0.001 });
    // dev has no alarm emails: the alerts topic is still a channel, so no policy goes nowhere.
    const devPolicies = byType(plans.dev, 'gcp:monitoring/alertPolicy:AlertPolicy');
    expect(devPolicies.every((p) => (p.inputs as Inputs).notificationChannels.length === 1)).toBe(true);
  });

  it('evaluates alerts as the resolved topology decided: 2 breaching minutes in a row for endpoints (AWS: 2 of 3), the first minute for dead letters', () => {
    for (const name of ['news-ranker-latency', 'news-ranker-errors']) {
      const condition = named(plans.prod, name).conditions[0].conditionThreshold;
      expect(condition).toMatchObject({ duration: '120s', aggregations: [{ alignmentPeriod: '60s' }] });
    }
    expect(named(plans.prod, 'news-ranker-errors').conditions[0].conditionThreshold.denominatorAggregations).toEqual([
      { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' },
    ]);
    expect(named(plans.prod, 'news-embedding-refresh-dead-letters').conditions[0].conditionThreshold).toMatchObject({
      duration: '60s',
      aggregations: [{ alignmentPeriod: '60s' }],
      thresholdValue: 0,
    });
  });

  it('shows every alert policy on the monitoring dashboard', () => {
    const dashboard = byType(plans.prod, 'gcp:monitoring/dashboard:Dashboard');
    expect(dashboard.map((d) => d.name)).toEqual(['news-monitoring-dashboard']);
    const json = JSON.parse(dashboard[0].inputs.dashboardJson as string) as { displayName: string; gridLayout: { widgets: { title: string; alertChart: { name: string } }[] } };
    expect(json.displayName).toBe('news/prod serving');
    const policies = byType(plans.prod, 'gcp:monitoring/alertPolicy:AlertPolicy');
    expect(json.gridLayout.widgets.map((w) => w.alertChart.name).sort()).toEqual(policies.map((p) => `projects/${PLAN_PROJECT}/alertPolicies/${p.name}`).sort());
    expect(json.gridLayout.widgets.map((w) => w.title)).toContain('news-prod-ranker: p99 latency above 100 ms');
  });

  it('grants no basic role anywhere', () => {
    for (const plan of Object.values(plans)) {
      const roles = plan.filter((r) => /IAMMember/.test(r.type)).map((r) => r.inputs.role);
      expect(roles.filter((role) => ['roles/owner', 'roles/editor', 'roles/viewer'].includes(role as string))).toEqual([]);
    }
  });
});

describe('APIs and service agents (a fresh project has neither)', () => {
  const SERVICE = 'gcp:projects/service:Service';

  it('enables every API the program calls, and leaves them enabled on destroy', () => {
    const services = byType(plans.prod, SERVICE);
    expect(services.map((r) => r.inputs.service).sort()).toEqual(requiredApis(topologies.prod));
    expect(requiredApis(topologies.prod)).toEqual([
      'aiplatform.googleapis.com',
      // The embedding-refresh function: built from source (Cloud Build, Artifact Registry), run on Cloud Run, its archive in Cloud Storage.
      'artifactregistry.googleapis.com',
      'bigquery.googleapis.com',
      'cloudbuild.googleapis.com',
      'cloudfunctions.googleapis.com',
      'cloudkms.googleapis.com',
      'cloudresourcemanager.googleapis.com',
      'compute.googleapis.com',
      'iam.googleapis.com',
      'memorystore.googleapis.com',
      'monitoring.googleapis.com',
      'networkconnectivity.googleapis.com',
      'pubsub.googleapis.com',
      'run.googleapis.com',
      'serviceusage.googleapis.com',
      'storage.googleapis.com',
    ]);
    expect(services.every((r) => r.inputs.disableOnDestroy === false && r.inputs.project === PLAN_PROJECT)).toBe(true);
    // Redis and AlloyDB in the gaps fixture; no Memorystore for Valkey, no BigQuery without logging.
    expect(requiredApis(topologies.gaps)).toEqual(expect.arrayContaining(['redis.googleapis.com', 'alloydb.googleapis.com', 'networkconnectivity.googleapis.com']));
    expect(requiredApis(topologies.dev)).not.toContain('bigquery.googleapis.com');
    expect(requiredApis(topologies.gaps)).not.toContain('memorystore.googleapis.com');
  });

  it('every other cloud resource waits for every API', () => {
    for (const plan of Object.values(plans)) {
      const apis = byType(plan, SERVICE).map((r) => r.name);
      const others = plan.filter((r) => r.custom && r.type !== SERVICE);
      expect(others.length).toBeGreaterThan(40);
      for (const r of others) expect({ resource: r.name, missing: apis.filter((a) => !r.dependsOn.includes(a)) }).toEqual({ resource: r.name, missing: [] });
    }
  });

  it('makes each service agent exist before granting to it: service identities, and the BigQuery encryption account looked up', () => {
    const identities = byType(plans.prod, 'gcp:projects/serviceIdentity:ServiceIdentity');
    expect(Object.fromEntries(identities.map((r) => [r.name, r.inputs.service]))).toEqual({
      'news-agents-vertex': 'aiplatform.googleapis.com',
      'news-agents-memorystore': 'memorystore.googleapis.com',
      'news-agents-pubsub': 'pubsub.googleapis.com',
      'news-agents-monitoring': 'monitoring.googleapis.com',
    });
    const grant = (name: string) => plans.prod.find((r) => r.name === name)!;
    expect(grant('news-keys-cache-memorystore').dependsOn).toContain('news-agents-memorystore');
    expect(grant('news-monitoring-alerts-publisher').dependsOn).toContain('news-agents-monitoring');
    expect(grant('news-embedding-refresh-dead-letter-publisher').dependsOn).toContain('news-agents-pubsub');
    // getDefaultServiceAccount creates the BigQuery encryption account when it is missing.
    expect(grant('news-keys-endpoint-ranker-bigquery').inputs.member).toBe(`serviceAccount:bq-${PLAN_PROJECT_NUMBER}@bigquery-encryption.iam.gserviceaccount.com`);
    expect(named(plans.gaps, 'gaps-keys-vectors-alloydb').member).toBe(`serviceAccount:service-${PLAN_PROJECT_NUMBER}@gcp-sa-alloydb.iam.gserviceaccount.com`);
    expect(byType(plans.gaps, 'gcp:projects/serviceIdentity:ServiceIdentity').map((r) => r.inputs.service)).toEqual(
      expect.arrayContaining(['redis.googleapis.com', 'alloydb.googleapis.com']),
    );
  });

  it('protects and retains stateful resources in production, and only there', () => {
    const stateful = (plan: PlannedResource[]) => plan.filter((r) => STATEFUL_TYPES.has(r.type));
    expect(stateful(plans.prod).every((r) => r.protect && r.retainOnDelete)).toBe(true);
    expect(stateful(plans.dev).some((r) => r.protect || r.retainOnDelete)).toBe(false);
  });
});

/** Types that hold data: the policy pack's list, which the URNs and protection below cover. */
const STATEFUL_TYPES = new Set(POLICY_STATEFUL_TYPES);

describe('stateful URNs (renaming one replaces a cache, an index or a key: data loss)', () => {
  it('prod keeps these exact URNs, as its own or as an alias (the index moved under VectorSearchStore)', () => {
    const short = (urn: string) => urn.replace('urn:pulumi:prod::ml-serving-stacks::', '');
    const pinned = (r: PlannedResource) => [r.urn, ...r.aliases].map(short);
    const urns = plans.prod.filter((r) => STATEFUL_TYPES.has(r.type)).map((r) => pinned(r).find((u) => u.includes('$mlserve:gcp:VectorStore$gcp:')) ?? short(r.urn));
    expect(urns.sort()).toEqual([
      'mlserve:gcp:ServingTopology$mlserve:gcp:FeatureCache$gcp:memorystore/instance:Instance::news-cache-instance',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ModelEndpoint$gcp:bigquery/dataset:Dataset::news-ranker-logs',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ModelEndpoint$gcp:bigquery/dataset:Dataset::news-reranker-logs',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/cryptoKey:CryptoKey::news-keys-cache',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/cryptoKey:CryptoKey::news-keys-endpoint-embedder',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/cryptoKey:CryptoKey::news-keys-endpoint-ranker',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/cryptoKey:CryptoKey::news-keys-endpoint-reranker',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/cryptoKey:CryptoKey::news-keys-monitoring',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/cryptoKey:CryptoKey::news-keys-pipeline-embedding-refresh',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/cryptoKey:CryptoKey::news-keys-queue-async-inference',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/cryptoKey:CryptoKey::news-keys-queue-embedding-refresh',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/cryptoKey:CryptoKey::news-keys-vectors',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingKeys$gcp:kms/keyRing:KeyRing::news-keys-ring',
      'mlserve:gcp:ServingTopology$mlserve:gcp:ServingMonitoring$gcp:pubsub/topic:Topic::news-monitoring-alerts',
      'mlserve:gcp:ServingTopology$mlserve:gcp:VectorStore$gcp:vertex/aiIndex:AiIndex::news-vectors-index',
      'mlserve:gcp:ServingTopology$mlserve:gcp:WorkQueue$gcp:pubsub/subscription:Subscription::news-async-inference-dead-letter-sub',
      'mlserve:gcp:ServingTopology$mlserve:gcp:WorkQueue$gcp:pubsub/subscription:Subscription::news-async-inference-sub',
      'mlserve:gcp:ServingTopology$mlserve:gcp:WorkQueue$gcp:pubsub/subscription:Subscription::news-embedding-refresh-dead-letter-sub',
      'mlserve:gcp:ServingTopology$mlserve:gcp:WorkQueue$gcp:pubsub/subscription:Subscription::news-embedding-refresh-sub',
      'mlserve:gcp:ServingTopology$mlserve:gcp:WorkQueue$gcp:pubsub/topic:Topic::news-async-inference-dead-letter',
      'mlserve:gcp:ServingTopology$mlserve:gcp:WorkQueue$gcp:pubsub/topic:Topic::news-async-inference-topic',
      'mlserve:gcp:ServingTopology$mlserve:gcp:WorkQueue$gcp:pubsub/topic:Topic::news-embedding-refresh-dead-letter',
      'mlserve:gcp:ServingTopology$mlserve:gcp:WorkQueue$gcp:pubsub/topic:Topic::news-embedding-refresh-topic',
    ]);
  });

  it('the same URNs whatever the order of the topology lists (children are keyed by name)', async () => {
    const input = presetInput('prod');
    const reordered = resolveTopology(parseTopology({ ...input, endpoints: [...input.endpoints].reverse(), queues: [...(input.queues ?? [])].reverse() }));
    const plan = await planGcp(reordered);
    const urns = (p: PlannedResource[]) => p.filter((r) => STATEFUL_TYPES.has(r.type)).map((r) => r.urn).sort();
    expect(urns(plan)).toEqual(urns(plans.prod));
  });
});
