/**
 * The serving stack of every environment, synthesized once: snapshots, pinned logical ids of the
 * stateful resources, the resources the acceptance criteria name, and the offline CloudFormation
 * validator.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServingPropsError, servingStackId, synthesizeServingTemplates } from '../../aws';
import type { ResolvedTopology } from '../../constructs';
import { ENVIRONMENTS, parseJoinedJson, resolvedTopology, validateTemplates, type CfnDiagnostic, type EnvironmentName } from './support';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type CfnTemplate = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>; Outputs?: Record<string, unknown> };

const templates = {} as Record<EnvironmentName, CfnTemplate>;
const stackNames = {} as Record<EnvironmentName, string>;
let diagnostics: Record<string, CfnDiagnostic[]>;

beforeAll(() => {
  for (const env of ENVIRONMENTS) {
    const resolved = resolvedTopology(env);
    stackNames[env] = servingStackId(resolved);
    const synthesized = synthesizeServingTemplates(resolved);
    expect(Object.keys(synthesized)).toEqual([stackNames[env]]);
    templates[env] = synthesized[stackNames[env]] as CfnTemplate;
  }
  // One validator engine for all templates (building it compiles every rule), plus a broken control.
  diagnostics = validateTemplates({ ...Object.fromEntries(ENVIRONMENTS.map((env) => [env, templates[env]])), broken: BROKEN_TEMPLATE });
});

/** Positive control for the validator: an endpoint without its required endpoint config. */
const BROKEN_TEMPLATE = { Resources: { Endpoint: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointName: 'x' } } } };

const template = (env: EnvironmentName) => Template.fromJSON(templates[env]);
const resourcesOf = (env: EnvironmentName, type: string) => Object.entries(templates[env].Resources).filter(([, r]) => r.Type === type);

describe('synthesizeServingTemplates', () => {
  it('names each stack <name>-<environment>-serving', () => {
    expect(stackNames).toEqual({
      dev: 'news-dev-serving',
      staging: 'news-staging-serving',
      prod: 'news-prod-serving',
      'news.yaml': 'news-dev-serving',
      'gcp-gaps.yaml': 'gaps-staging-serving',
    });
  });

  it.each(ENVIRONMENTS)('%s template matches its snapshot', (env) => {
    expect(templates[env]).toMatchSnapshot();
  });

  it('the offline CloudFormation validator reports a missing required property (positive control)', () => {
    expect(diagnostics.broken.filter((d) => d.severity === 'FATAL' || d.severity === 'ERROR').map((d) => d.ruleId)).toContain('F3003');
  });

  it.each(ENVIRONMENTS)('%s template passes the offline CloudFormation validator with zero errors and zero warnings', (env) => {
    const problems = diagnostics[env].filter((d) => d.severity !== 'INFO');
    expect(problems).toEqual([]);
    // The validator did run: it always reports informational findings about a template this size.
    expect(diagnostics[env].length).toBeGreaterThan(0);
  });

  it('stops where `cdk synth` stops: a policy-pack finding fails with the packs\' report, naming the rule and the construct', () => {
    // A production rollout that shifts all traffic at once (MLServe-SM3). The schema rejects it, so
    // it is made on the resolved form, as a program embedding the constructs could.
    const resolved = structuredClone(resolvedTopology('prod')) as Mutable<ResolvedTopology>;
    const ranker = resolved.endpoints[0] as Mutable<ResolvedTopology['endpoints'][number]>;
    ranker.aws = { ...ranker.aws, deployment: { ...ranker.aws.deployment!, trafficRouting: 'ALL_AT_ONCE' } };
    let error: unknown;
    try {
      synthesizeServingTemplates(resolved);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServingPropsError);
    const message = (error as Error).message;
    expect(message).toMatch(/^news-prod-serving: the policy packs stop synthesis/);
    expect(message).toContain("Acknowledge with 'MLServe::MLServe-SM3'");
    expect(message).toContain('news-prod-serving/RankerEndpoint/Resource');
    // The assembly directory is gone by then: no pointer to a report copy inside it.
    expect(message).not.toContain('A copy of this report');
  });
});

describe('key policies', () => {
  it.each(ENVIRONMENTS)('%s: every statement that lets an AWS service use a key is conditioned to this stack\'s own resources', (env) => {
    const unconditioned = resourcesOf(env, 'AWS::KMS::Key').flatMap(([id, key]) =>
      (key.Properties!.KeyPolicy as { Statement: { Principal?: { Service?: unknown }; Condition?: unknown }[] }).Statement.filter(
        (s) => s.Principal?.Service !== undefined && s.Condition === undefined,
      ).map((s) => `${id} ${JSON.stringify(s.Principal!.Service)}`),
    );
    expect(unconditioned).toEqual([]);
  });
});

/**
 * Logical ids of everything that holds data or the key to it. A renamed construct id changes a
 * logical id, and CloudFormation then deletes the old resource and creates a new one: for a cache,
 * an index or a key that is data loss (DATA-02). Change this list only for an intended migration.
 */
const STATEFUL_TYPES = /^AWS::(KMS::Key|S3::Bucket|SQS::Queue|ElastiCache::(ServerlessCache|ReplicationGroup|User|UserGroup)|OpenSearchServerless::Collection|RDS::DBCluster|Logs::LogGroup)$|^Custom::VectorIndex$/;

const NEWS_PRESET_STATEFUL = [
  'AWS::ElastiCache::ServerlessCache FeatureCache850CD0A9',
  'AWS::ElastiCache::User FeatureCacheApplicationUser651E9A52',
  'AWS::ElastiCache::User FeatureCacheDefaultUserB0FA1607',
  'AWS::ElastiCache::UserGroup FeatureCacheUserGroupB4162A8F',
  'AWS::KMS::Key AsyncInferenceQueueKeyCE00BCDB',
  'AWS::KMS::Key EmbedderEndpointKey8924CBDA',
  'AWS::KMS::Key EmbeddingRefreshQueueKey81952C5F',
  'AWS::KMS::Key FeatureCacheKey9A122042',
  'AWS::KMS::Key MonitoringKey61F0DC42',
  'AWS::KMS::Key NetworkKey1D162FA0',
  'AWS::KMS::Key RankerEndpointKey29D942CD',
  'AWS::KMS::Key RerankerEndpointKeyB69874B2',
  'AWS::KMS::Key VectorStoreKeyDC997F3E',
  'AWS::Logs::LogGroup EmbedderEndpointLogs81ADA44E',
  'AWS::Logs::LogGroup NetworkFlowLogs2BEC3212',
  'AWS::Logs::LogGroup RankerEndpointLogs352186A6',
  'AWS::Logs::LogGroup RerankerEndpointLogs22C779FC',
  'AWS::Logs::LogGroup RankerEndpointScalingReleaseLogs46E59005',
  'AWS::Logs::LogGroup EmbeddingRefreshLogs8FFEB823',
  'AWS::Logs::LogGroup EmbedderEndpointScalingReleaseLogs83D667C2',
  'AWS::Logs::LogGroup RerankerEndpointScalingReleaseLogsC2083785',
  'AWS::Logs::LogGroup VectorStoreIndexLogs89CF500F',
  'AWS::OpenSearchServerless::Collection VectorStoreFBE2A13B',
  'Custom::VectorIndex VectorStoreIndex975F2B7A',
  'AWS::SQS::Queue AsyncInferenceQueueADCC6268',
  'AWS::SQS::Queue AsyncInferenceQueueDeadLetterQueueB8877036',
  'AWS::SQS::Queue EmbeddingRefreshQueue4515C814',
  'AWS::SQS::Queue EmbeddingRefreshQueueDeadLetterQueue3A57AC82',
];

const EXPECTED_STATEFUL_IDS: Record<EnvironmentName, string[]> = {
  dev: NEWS_PRESET_STATEFUL,
  staging: NEWS_PRESET_STATEFUL,
  prod: [
    ...NEWS_PRESET_STATEFUL,
    'AWS::S3::Bucket AccessLogs8B620ECA',
    'AWS::S3::Bucket RankerEndpointDataBucketF9A79724',
    'AWS::S3::Bucket RerankerEndpointDataBucket6C8BDFAD',
  ],
  'news.yaml': [
    'AWS::ElastiCache::ServerlessCache FeatureCache850CD0A9',
    'AWS::ElastiCache::User FeatureCacheApplicationUser651E9A52',
    'AWS::ElastiCache::User FeatureCacheDefaultUserB0FA1607',
    'AWS::ElastiCache::UserGroup FeatureCacheUserGroupB4162A8F',
    'AWS::KMS::Key EmbedderEndpointKey8924CBDA',
    'AWS::KMS::Key EmbeddingRefreshQueueKey81952C5F',
    'AWS::KMS::Key FeatureCacheKey9A122042',
    'AWS::KMS::Key MonitoringKey61F0DC42',
    'AWS::KMS::Key NetworkKey1D162FA0',
    'AWS::KMS::Key RankerEndpointKey29D942CD',
    'AWS::KMS::Key VectorStoreKeyDC997F3E',
    'AWS::Logs::LogGroup EmbedderEndpointLogs81ADA44E',
    'AWS::Logs::LogGroup NetworkFlowLogs2BEC3212',
    'AWS::Logs::LogGroup RankerEndpointLogs352186A6',
    'AWS::Logs::LogGroup RankerEndpointScalingReleaseLogs46E59005',
    'AWS::Logs::LogGroup EmbedderEndpointScalingReleaseLogs83D667C2',
    'AWS::Logs::LogGroup VectorStoreIndexLogs89CF500F',
    'AWS::OpenSearchServerless::Collection VectorStoreFBE2A13B',
    'Custom::VectorIndex VectorStoreIndex975F2B7A',
    'AWS::SQS::Queue EmbeddingRefreshQueue4515C814',
    'AWS::SQS::Queue EmbeddingRefreshQueueDeadLetterQueue3A57AC82',
  ],
  'gcp-gaps.yaml': [
    'AWS::ElastiCache::ReplicationGroup FeatureCache850CD0A9',
    'AWS::ElastiCache::User FeatureCacheApplicationUser651E9A52',
    'AWS::ElastiCache::User FeatureCacheDefaultUserB0FA1607',
    'AWS::ElastiCache::UserGroup FeatureCacheUserGroupB4162A8F',
    'AWS::KMS::Key BatchScorerEndpointKey5C889BC9',
    'AWS::KMS::Key EventsQueueKeyA9B9B55B',
    'AWS::KMS::Key FeatureCacheKey9A122042',
    'AWS::KMS::Key MonitoringKey61F0DC42',
    'AWS::KMS::Key NetworkKey1D162FA0',
    'AWS::KMS::Key ScoringJobsQueueKey46B4536B',
    'AWS::KMS::Key SummarizerEndpointKeyFCD38B8F',
    'AWS::KMS::Key TaggerEndpointKeyA282A548',
    'AWS::KMS::Key VectorStoreKeyDC997F3E',
    'AWS::Logs::LogGroup BatchScorerEndpointLogsA24D93E6',
    'AWS::Logs::LogGroup NetworkFlowLogs2BEC3212',
    'AWS::Logs::LogGroup SummarizerEndpointLogs94F62EB9',
    'AWS::Logs::LogGroup TaggerEndpointLogsABAFF1B3',
    'AWS::Logs::LogGroup BatchScorerEndpointScalingReleaseLogs65C56712',
    'AWS::Logs::LogGroup SummarizerEndpointScalingReleaseLogs9932B9C6',
    'AWS::Logs::LogGroup VectorStoreDatabaseLogs2D6AB5A5',
    'AWS::RDS::DBCluster VectorStoreDatabase7D949D09',
    'AWS::S3::Bucket AccessLogs8B620ECA',
    'AWS::S3::Bucket BatchScorerEndpointDataBucket9D310FFA',
    'AWS::S3::Bucket SummarizerEndpointDataBucket75D6296D',
    'AWS::SQS::Queue EventsQueue083DBA16',
    'AWS::SQS::Queue EventsQueueDeadLetterQueue3E12EAC3',
    'AWS::SQS::Queue ScoringJobsQueue39880CF3',
    'AWS::SQS::Queue ScoringJobsQueueDeadLetterQueueBB408E88',
  ],
};

describe('stateful logical ids', () => {
  it.each(ENVIRONMENTS)('%s keeps the pinned logical ids of its stateful resources', (env) => {
    const actual = Object.entries(templates[env].Resources)
      .filter(([, r]) => STATEFUL_TYPES.test(r.Type))
      .map(([id, r]) => `${r.Type} ${id}`)
      .sort();
    expect(actual).toEqual([...EXPECTED_STATEFUL_IDS[env]].sort());
  });
});

describe('prod template', () => {
  const ENDPOINTS = [
    { name: 'ranker', id: 'RankerEndpoint', endpointName: 'news-prod-ranker', variants: [{ name: 'primary', weight: 100, instanceType: 'ml.m5.xlarge' }], volumeKms: true },
    {
      name: 'embedder',
      id: 'EmbedderEndpoint',
      // A/B variants: the name carries a hash of the variant names (see resolveTopology's awsEndpointName).
      endpointName: 'news-prod-embedder-0ff3',
      variants: [
        { name: 'current', weight: 90, instanceType: 'ml.g6.xlarge' },
        { name: 'candidate', weight: 10, instanceType: 'ml.g6.xlarge' },
      ],
      volumeKms: false,
    },
    { name: 'reranker', id: 'RerankerEndpoint', endpointName: 'news-prod-reranker', variants: [{ name: 'primary', weight: 100, instanceType: 'ml.g6.xlarge' }], volumeKms: false },
  ];

  it.each(ENDPOINTS)('$name has a model per variant, in private subnets with network isolation', ({ id, variants }) => {
    const models = resourcesOf('prod', 'AWS::SageMaker::Model').filter(([logicalId]) => logicalId.startsWith(`${id}Model`));
    expect(models).toHaveLength(variants.length);
    for (const [, model] of models) {
      expect(model.Properties).toMatchObject({ EnableNetworkIsolation: true, VpcConfig: { Subnets: expect.any(Array), SecurityGroupIds: expect.any(Array) } });
      expect((model.Properties!.VpcConfig as { Subnets: unknown[] }).Subnets).toHaveLength(3);
      // Generated names: a changed model replaces the resource instead of colliding with itself.
      expect(model.Properties).not.toHaveProperty('ModelName');
    }
  });

  it.each(ENDPOINTS)('$name endpoint config has weighted variants on >= 2 instances, and a KMS key where the instance type allows', ({ id, variants, volumeKms }) => {
    const configs = resourcesOf('prod', 'AWS::SageMaker::EndpointConfig').filter(([logicalId]) => logicalId.startsWith(`${id}Config`));
    expect(configs).toHaveLength(1);
    const props = configs[0][1].Properties!;
    expect(props).not.toHaveProperty('EndpointConfigName');
    expect(props.ProductionVariants).toEqual(
      variants.map((v) => expect.objectContaining({ VariantName: v.name, InitialVariantWeight: v.weight, InstanceType: v.instanceType, InitialInstanceCount: 2 })),
    );
    if (volumeKms) expect(props.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${id}Key`)), 'Arn'] });
    else expect(props).not.toHaveProperty('KmsKeyId');
  });

  it.each(ENDPOINTS)('$name endpoint rolls out canary with auto-rollback on its latency and error alarms', ({ id, endpointName }) => {
    template('prod').hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: endpointName,
      RetainAllVariantProperties: true,
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 600 },
          MaximumExecutionTimeoutInSeconds: Match.anyValue(),
          TerminationWaitInSeconds: 600,
        },
        AutoRollbackConfiguration: {
          Alarms: [{ AlarmName: { Ref: Match.stringLikeRegexp(`^${id}LatencyAlarm`) } }, { AlarmName: { Ref: Match.stringLikeRegexp(`^${id}ErrorRateAlarm`) } }],
        },
      },
    });
  });

  it.each(ENDPOINTS)('$name has a scalable target and a target-tracking policy per variant', ({ name, id, variants }) => {
    const targets = resourcesOf('prod', 'AWS::ApplicationAutoScaling::ScalableTarget').filter(([logicalId]) => logicalId.startsWith(`${id}Scaling`));
    expect(targets).toHaveLength(variants.length);
    for (const [, target] of targets) {
      expect(target.Properties).toMatchObject({ ServiceNamespace: 'sagemaker', ScalableDimension: 'sagemaker:variant:DesiredInstanceCount', MinCapacity: 2 });
    }
    const policies = resourcesOf('prod', 'AWS::ApplicationAutoScaling::ScalingPolicy').filter(([logicalId]) => logicalId.startsWith(`${id}Scaling`));
    expect(policies).toHaveLength(variants.length);
    const expectedMetric = name === 'ranker' ? 'SageMakerVariantInvocationsPerInstance' : 'SageMakerVariantConcurrentRequestsPerModelHighResolution';
    for (const [, policy] of policies) {
      expect(policy.Properties).toMatchObject({
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: expectedMetric }, ScaleInCooldown: 300, ScaleOutCooldown: 300 },
      });
    }
  });

  it('alarms on p99 latency in microseconds against each SLO', () => {
    template('prod').hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ModelLatency', ExtendedStatistic: 'p99', Threshold: 100_000 });
    template('prod').hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ModelLatency', ExtendedStatistic: 'p99', Threshold: 400_000 });
    // The embedder has two variants: the slowest one decides.
    template('prod').hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 250_000,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'MAX([l0, l1])' })]),
    });
  });

  it('has a private, CMK-encrypted, IAM-authenticated serverless Valkey cache, retained', () => {
    const caches = resourcesOf('prod', 'AWS::ElastiCache::ServerlessCache');
    expect(caches).toHaveLength(1);
    const [, cache] = caches[0];
    expect(cache).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(cache.Properties).toMatchObject({
      Engine: 'valkey',
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^FeatureCacheKey/), 'Arn'] },
      SecurityGroupIds: [expect.anything()],
      SubnetIds: expect.arrayContaining([expect.anything()]),
      UserGroupId: { Ref: expect.stringMatching(/^FeatureCacheUserGroup/) },
      SnapshotRetentionLimit: 15,
      DailySnapshotTime: '04:00',
    });
    template('prod').hasResourceProperties('AWS::ElastiCache::User', { UserName: 'default', AccessString: 'off -@all' });
    template('prod').hasResourceProperties('AWS::ElastiCache::User', { AuthenticationMode: { Type: 'iam' } });
  });

  it('has a private VECTORSEARCH collection with a CMK, standby replicas and the HNSW index, retained', () => {
    template('prod').hasResource('AWS::OpenSearchServerless::Collection', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { Type: 'VECTORSEARCH', StandbyReplicas: 'ENABLED', Name: Match.stringLikeRegexp('^news-prod-vectors-[0-9a-f]{6}$') },
    });
    const policies = Object.fromEntries(
      resourcesOf('prod', 'AWS::OpenSearchServerless::SecurityPolicy').map(([, r]) => [r.Properties!.Type, parseJoinedJson(r.Properties!.Policy)]),
    );
    expect(policies.encryption).toEqual({
      Rules: [{ ResourceType: 'collection', Resource: ['collection/news-prod-vectors-*'] }],
      AWSOwnedKey: false,
      KmsARN: '<ref>',
    });
    expect(policies.network).toEqual([
      { Rules: [{ ResourceType: 'collection', Resource: ['collection/news-prod-vectors-*'] }], AllowFromPublic: false, SourceVPCEs: ['<ref>'] },
    ]);
    const [[, access]] = resourcesOf('prod', 'AWS::OpenSearchServerless::AccessPolicy');
    const accessStatements = parseJoinedJson(access.Properties!.Policy) as { Principal: string[] }[];
    // Only the index handler's and the embedding-refresh worker's roles are named: no wildcard principal.
    expect(accessStatements.flatMap((s) => s.Principal)).toEqual(['<ref>', '<ref>']);
    template('prod').resourceCountIs('AWS::OpenSearchServerless::VpcEndpoint', 1);
    // The index is created from inside the VPC (Custom::VectorIndex), with the spec's HNSW parameters.
    const [[, index]] = resourcesOf('prod', 'Custom::VectorIndex');
    expect(index.Properties!.IndexName).toMatch(/^embeddings-[0-9a-f]{8}$/);
    expect(JSON.parse(index.Properties!.IndexBody as string)).toEqual({
      settings: { index: { knn: true } },
      mappings: {
        properties: {
          embedding: {
            type: 'knn_vector',
            dimension: 768,
            method: { name: 'hnsw', engine: 'faiss', space_type: 'cosinesimil', parameters: { m: 16, ef_construction: 512, ef_search: 512 } },
          },
          id: { type: 'keyword' },
        },
      },
    });
  });

  it('has each queue with a dead-letter queue (redrive after maxDeliveryAttempts), a CMK and TLS-only policy', () => {
    // The pipeline's source is FIFO (and so its dead-letter queue must be).
    for (const [queue, deadLetters] of [
      ['news-prod-embedding-refresh.fifo', 'news-prod-embedding-refresh-dlq.fifo'],
      ['news-prod-async-inference', 'news-prod-async-inference-dlq'],
    ]) {
      template('prod').hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queue,
        KmsMasterKeyId: Match.anyValue(),
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
      });
      template('prod').hasResource('AWS::SQS::Queue', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ QueueName: deadLetters, KmsMasterKeyId: Match.anyValue(), MessageRetentionPeriod: 1_209_600 }),
      });
    }
    template('prod').hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('rotates and retains every KMS key', () => {
    const keys = resourcesOf('prod', 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThanOrEqual(9);
    for (const [, key] of keys) {
      expect(key).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 } });
    }
  });

  it('gives every alarm an action on the alarm topic', () => {
    const alarms = resourcesOf('prod', 'AWS::CloudWatch::Alarm');
    // Latency and errors per endpoint, dead letters per queue, the pipeline's oldest message and errors.
    expect(alarms.length).toBe(3 * 2 + 2 + 2);
    for (const [, alarm] of alarms) {
      expect(alarm.Properties!.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
    }
    template('prod').hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ml-oncall@example.com' });
  });

  it('is a private network: no internet gateway, no NAT, flow logs, the SageMaker runtime endpoint', () => {
    template('prod').resourceCountIs('AWS::EC2::InternetGateway', 0);
    template('prod').resourceCountIs('AWS::EC2::NatGateway', 0);
    template('prod').resourceCountIs('AWS::EC2::FlowLog', 1);
    template('prod').hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.us-east-1.sagemaker.runtime', PrivateDnsEnabled: true });
    template('prod').resourceCountIs('AWS::EC2::Subnet', 3);
  });

  it('outputs endpoint names, queue URLs, the cache endpoint and the collection endpoint', () => {
    expect(Object.keys(templates.prod.Outputs ?? {}).sort()).toEqual(
      [
        'AlarmTopicArn',
        'AsyncInferenceDeadLetterQueueUrl',
        'AsyncInferenceQueueUrl',
        'EmbedderEndpointName',
        'EmbeddingRefreshDeadLetterQueueUrl',
        'EmbeddingRefreshQueueUrl',
        'FeatureCacheEndpoint',
        'FeatureCacheUser',
        'RankerEndpointName',
        'RerankerEndpointName',
        'VectorCollectionEndpoint',
        'VectorIndexName',
      ].sort(),
    );
  });

  it('tags every taggable resource from the topology', () => {
    template('prod').hasResourceProperties('AWS::SageMaker::Endpoint', {
      Tags: Match.arrayWith([
        { Key: 'app', Value: 'news' },
        { Key: 'environment', Value: 'prod' },
        { Key: 'managed-by', Value: 'ml-serving-stacks' },
        { Key: 'team', Value: 'ml-platform' },
      ]),
    });
  });
});

describe('non-production templates', () => {
  it('destroy stateful resources on delete so the environment can be torn down', () => {
    for (const type of ['AWS::ElastiCache::ServerlessCache', 'AWS::OpenSearchServerless::Collection', 'AWS::KMS::Key']) {
      for (const [, resource] of resourcesOf('dev', type)) expect(resource).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    }
  });

  it('dev rolls out all at once on single instances in two zones', () => {
    template('dev').hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: 'news-dev-ranker',
      DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 } } },
    });
    template('dev').resourceCountIs('AWS::EC2::Subnet', 2);
    template('dev').hasResourceProperties('AWS::SageMaker::EndpointConfig', { ProductionVariants: [Match.objectLike({ InitialInstanceCount: 1 })] });
  });

  it('gcp-gaps realises async, serverless and GPU-utilisation scaling the SageMaker way', () => {
    const t = template('gcp-gaps.yaml');
    // Async: output to the KMS-encrypted bucket, notifications through SNS to the async-inference queue.
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      AsyncInferenceConfig: {
        OutputConfig: {
          KmsKeyId: Match.anyValue(),
          S3OutputPath: Match.anyValue(),
          NotificationConfig: { SuccessTopic: { Ref: Match.stringLikeRegexp('^BatchScorerEndpointAsyncSuccessTopic') }, ErrorTopic: Match.anyValue() },
        },
      },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true, RedrivePolicy: Match.anyValue() });
    // Clients find where to upload async requests in the stack outputs.
    t.hasOutput('BatchScorerAsyncInputLocation', {
      Value: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^BatchScorerEndpointDataBucket') }, '/async-input/']] },
    });
    expect(Object.keys(templates['gcp-gaps.yaml'].Outputs ?? {}).filter((o) => o.endsWith('AsyncInputLocation'))).toEqual(['BatchScorerAsyncInputLocation']);
    // Serverless: no instances, no VPC, no guardrails, no scaling target.
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ ServerlessConfig: { MaxConcurrency: 20, MemorySizeInMB: 4096 } })],
    });
    // Serverless: blue/green all at once, baked, rolled back on the endpoint's alarms.
    t.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: 'gaps-staging-tagger-37a2',
      DeploymentConfig: {
        BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 600 } },
        AutoRollbackConfiguration: { Alarms: Match.arrayWith([Match.objectLike({ AlarmName: Match.anyValue() })]) },
      },
    });
    // Async: scales on its queue per instance and alarms on failed requests, the metrics async endpoints publish.
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 2,
        CustomizedMetricSpecification: {
          Namespace: 'AWS/SageMaker',
          MetricName: 'ApproximateBacklogSizePerInstance',
          Dimensions: [{ Name: 'EndpointName', Value: 'gaps-staging-batch-scorer-82f7' }],
          Statistic: 'Average',
        },
      },
    });
    const scorerErrors = resourcesOf('gcp-gaps.yaml', 'AWS::CloudWatch::Alarm').find(([id]) => id.startsWith('BatchScorerEndpointErrorRateAlarm'))![1];
    expect(scorerErrors.Properties!.Metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Expression: 'IF((n0 + e0) > 0, e0 / (n0 + e0), 0)' }),
        expect.objectContaining({ Id: 'e0', MetricStat: expect.objectContaining({ Metric: expect.objectContaining({ MetricName: 'InvocationFailures' }) }) }),
        expect.objectContaining({ Id: 'n0', MetricStat: expect.objectContaining({ Metric: expect.objectContaining({ MetricName: 'InvocationsProcessed' }) }) }),
      ]),
    );
    // GPU utilisation target: 70 % × 1 GPU, on the instance metric in /aws/sagemaker/Endpoints.
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 70,
        CustomizedMetricSpecification: { Namespace: '/aws/sagemaker/Endpoints', MetricName: 'GPUUtilization', Statistic: 'Average' },
      },
    });
    // Linear rollout of the summarizer, 25 % steps.
    t.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: 'gaps-staging-summarizer',
      DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 } } } },
    });
    // Node-based Redis OSS: TLS, CMK at rest, multi-AZ with failover, RBAC.
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      UserGroupIds: [Match.anyValue()],
      // 10 GiB of data: 2 × cache.r7g.large (9.8 GiB each after the 25 % reserve); cache.t4g.medium would need 5 shards.
      NumNodeGroups: 2,
      ReplicasPerNodeGroup: 2,
    });
    // pgvector: Aurora PostgreSQL Serverless v2, encrypted with the CMK, IAM auth, backups.
    t.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      KmsKeyId: Match.anyValue(),
      EnableIAMDatabaseAuthentication: true,
      DeletionProtection: false,
      ServerlessV2ScalingConfiguration: Match.anyValue(),
      BackupRetentionPeriod: 7,
      ManageMasterUserPassword: true,
    });
  });
});
