/**
 * Each construct on its own, inside a stack that is not ours: props, grants, metrics, validation.
 */
import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { loadTopologyFile, resolveTopology, type ResolvedEndpoint, type ResolvedQueue } from '../../constructs';
import {
  FeatureCache,
  ModelEndpoint,
  newServingApp,
  ServingMonitoring,
  ServingNetwork,
  ServingPropsError,
  ServingStack,
  VectorStore,
  WorkQueue,
  type ModelEndpointProps,
} from '../../aws';
import { acknowledgments, ENDPOINT_VARIANT_METRICS, policyFindings, resolvedTopology } from './support';

const prod = resolvedTopology('prod');
const gaps = resolvedTopology('gcp-gaps.yaml');
const endpointNamed = (topology: typeof prod, name: string): ResolvedEndpoint => topology.endpoints.find((e) => e.name === name)!;

/** Someone else's app: an environment-agnostic stack with its own VPC and topic. */
function hostStack(): { stack: Stack; vpc: ec2.Vpc; topic: sns.Topic } {
  const stack = new Stack(newServingApp(), 'Host');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { stack, vpc, topic: new sns.Topic(stack, 'Alarms') };
}

function modelEndpoint(endpoint: ResolvedEndpoint, extra: Partial<ModelEndpointProps> = {}) {
  const host = hostStack();
  const construct = new ModelEndpoint(host.stack, 'Endpoint', { endpoint, vpc: host.vpc, alarmTopic: host.topic, ...extra });
  return { ...host, construct };
}

/** The async batch scorer of gcp-gaps.yaml, with the result queue it requires. */
function asyncEndpoint() {
  const host = hostStack();
  const results = new sqs.Queue(host.stack, 'Results');
  const construct = new ModelEndpoint(host.stack, 'Endpoint', { endpoint: endpointNamed(gaps, 'batch-scorer'), vpc: host.vpc, alarmTopic: host.topic, asyncResultQueue: results });
  return { ...host, construct };
}

/** `arn:<partition>:s3:::<data bucket>/<prefix>/*` as CDK renders it. */
const dataObjects = (prefix: string) => ({
  'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointDataBucket'), 'Arn'] }, `/${prefix}/*`]],
});

/** Findings of the three packs on resources under `path` (the host's own VPC and topic are not ours to judge). */
function findingsUnder(stack: Stack, path: string) {
  return policyFindings(stack.node.root)
    .map((f) => ({ rule: f.rule, paths: f.paths.filter((p) => p.startsWith(`${stack.stackName}/${path}/`)) }))
    .filter((f) => f.paths.length > 0);
}

describe('ModelEndpoint', () => {
  it('runs the embedder with its candidate variant inside another stack, with no unacknowledged findings of its own', () => {
    const { stack } = modelEndpoint(endpointNamed(prod, 'embedder'));
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SageMaker::Model', 2);
    t.resourceCountIs('AWS::SageMaker::EndpointConfig', 1);
    t.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    expect(findingsUnder(stack, 'Endpoint')).toEqual([]);
  });

  it('scopes the execution role to the image repository, the artifact objects, its log group and key; never AmazonSageMakerFullAccess', () => {
    const { stack } = modelEndpoint(endpointNamed(prod, 'ranker'));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] }) });
    for (const role of Object.values(t.findResources('AWS::IAM::Role'))) {
      expect(JSON.stringify(role)).not.toContain('AmazonSageMakerFullAccess');
    }
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'PullModelImages', Resource: 'arn:aws:ecr:us-east-1:123456789012:repository/news/ranker' }),
          Match.objectLike({ Sid: 'ReadModelArtifacts', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::news-models-123456789012/ranker/1.4.0/model.tar.gz']] } }),
          Match.objectLike({ Sid: 'WriteEndpointLogs', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointLogs'), 'Arn'] } }),
          Match.objectLike({ Sid: 'UseEndpointKey', Action: ['kms:Decrypt', 'kms:GenerateDataKey'] }),
          Match.objectLike({ Sid: 'WriteCapturesAndResults', Action: 's3:PutObject' }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/sagemaker/Endpoints/news-prod-ranker', KmsKeyId: Match.anyValue(), RetentionInDays: 90 });
  });

  it('captures data into a KMS-encrypted, TLS-only, non-public bucket with the endpoint key', () => {
    const { stack } = modelEndpoint(endpointNamed(prod, 'ranker'));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 5, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointKey'), 'Arn'] } },
    });
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.anyValue(),
    });
  });

  it('reads an uncompressed model directory as an S3 prefix, listing only that prefix', () => {
    const ranker = endpointNamed(prod, 'ranker');
    const model = { ...ranker.variants[0].model, artifact: { aws: 's3://models/ranker/1.5/', gcp: 'gs://models/ranker/1.5/' } };
    const { stack } = modelEndpoint({ ...ranker, variants: [{ ...ranker.variants[0], model }] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { ModelDataSource: { S3DataSource: { S3Uri: 's3://models/ranker/1.5/', S3DataType: 'S3Prefix', CompressionType: 'None' } } },
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['ranker/1.5/*'] } } })]) },
    });
    expect(findingsUnder(stack, 'Endpoint')).toEqual([]);
  });

  it('grantInvoke allows InvokeEndpoint on this endpoint only, and nothing async', () => {
    const { stack, construct } = modelEndpoint(endpointNamed(prod, 'reranker'));
    const client = new iam.Role(stack, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
    construct.grantInvoke(client);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Client') }],
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoint'), 'EndpointArn'] } }],
      },
    });
  });

  it('grantInvokeAsync allows InvokeEndpointAsync, uploads under async-input/, reads results and failures, and uses the endpoint key', () => {
    const { stack, construct } = asyncEndpoint();
    const client = new iam.Role(stack, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
    construct.grantInvokeAsync(client);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Client') }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'sagemaker:InvokeEndpointAsync', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Endpoint'), 'EndpointArn'] } },
          { Effect: 'Allow', Action: 's3:PutObject', Resource: dataObjects('async-input') },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: [dataObjects('async-failures'), dataObjects('async-output')] },
          { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointKey'), 'Arn'] } },
        ],
      },
    });
  });

  it('lets an async endpoint\'s execution role read the requests clients upload, and tells clients where', () => {
    const { stack, construct } = asyncEndpoint();
    expect(stack.resolve(construct.asyncInputLocation)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: stack.getLogicalId(construct.dataBucket!.node.defaultChild as CfnElement) }, '/async-input/']] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          // The data bucket is encrypted with this key, so reading a request needs nothing more.
          Match.objectLike({ Sid: 'UseEndpointKey', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointKey'), 'Arn'] } }),
          Match.objectLike({ Sid: 'WriteCapturesAndResults', Action: 's3:PutObject', Resource: [dataObjects('async-failures'), dataObjects('async-output')] }),
          Match.objectLike({ Sid: 'ReadAsyncRequests', Action: 's3:GetObject', Resource: dataObjects('async-input') }),
        ]),
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointKey'), 'Arn'] } } })],
      },
    });
    expect(findingsUnder(stack, 'Endpoint')).toEqual([]);
  });

  it('a realtime endpoint has no async input and its execution role reads nothing there', () => {
    const { stack, construct } = modelEndpoint(endpointNamed(prod, 'ranker'));
    expect(construct.asyncInputLocation).toBeUndefined();
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('async-input');
  });

  it('fails when grantInvoke is asked of an async endpoint, or grantInvokeAsync of a realtime one', () => {
    const role = (stack: Stack) => new iam.Role(stack, 'Client', { assumedBy: new iam.AccountRootPrincipal() });
    const asyncOne = asyncEndpoint();
    expect(() => asyncOne.construct.grantInvoke(role(asyncOne.stack))).toThrow(
      'Host/Endpoint: grantInvoke is for realtime and serverless endpoints, and gaps-staging-batch-scorer-82f7 is async; use grantInvokeAsync',
    );
    const realtime = modelEndpoint(endpointNamed(prod, 'reranker'));
    expect(() => realtime.construct.grantInvokeAsync(role(realtime.stack))).toThrow(
      'Host/Endpoint: grantInvokeAsync is for async endpoints, and news-prod-reranker is realtime; use grantInvoke',
    );
  });

  it.each(ENDPOINT_VARIANT_METRICS)('%s measures %s %s (%s) per variant, caller options last', (method, namespace, metricName, statistic) => {
    const { construct } = modelEndpoint(endpointNamed(prod, 'embedder'));
    const byDefault = construct[method]();
    expect(byDefault).toMatchObject({ namespace, metricName, statistic, dimensions: { EndpointName: construct.endpointName, VariantName: 'current' } });
    expect(byDefault.period.toSeconds()).toBe(60);
    const custom = construct[method]({ variantName: 'candidate', statistic: 'p50', period: Duration.minutes(5) });
    expect(custom).toMatchObject({ statistic: 'p50', dimensions: { VariantName: 'candidate' } });
    expect(custom.period.toSeconds()).toBe(300);
  });

  it('metricApproximateBacklogSizePerInstance measures the async queue per instance, endpoint-wide (no variant dimension)', () => {
    const { construct } = asyncEndpoint();
    expect(construct.metricApproximateBacklogSizePerInstance()).toMatchObject({
      namespace: 'AWS/SageMaker',
      metricName: 'ApproximateBacklogSizePerInstance',
      statistic: 'Average',
      dimensions: { EndpointName: 'gaps-staging-batch-scorer-82f7' },
    });
  });

  it('deregisters scaled variants before the endpoint updates, and registers them under ids that follow the instance type', () => {
    const { stack, construct } = modelEndpoint(endpointNamed(prod, 'embedder'));
    const template = Template.fromStack(stack);
    const release = construct.scalingRelease!.resource.node.defaultChild as CfnElement;
    const releaseId = stack.resolve(release.logicalId) as string;
    template.hasResource('AWS::SageMaker::Endpoint', { DependsOn: Match.arrayWith([releaseId]) });
    template.hasResourceProperties('Custom::SageMakerScalingRelease', {
      EndpointName: construct.endpointName,
      Variants: [
        { VariantName: 'current', InstanceType: 'ml.g6.xlarge' },
        { VariantName: 'candidate', InstanceType: 'ml.g6.xlarge' },
      ],
    });
    // A superseded target would deregister its successor if deleted: targets and policies are retained.
    const scaling = { ...template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'), ...template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy') };
    expect(Object.keys(scaling).filter((id) => id.startsWith('EndpointScaling')).map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'EndpointScalingCandidateG6Xlarge',
      'EndpointScalingCandidateG6XlargeTargetTracking',
      'EndpointScalingCurrentG6Xlarge',
      'EndpointScalingCurrentG6XlargeTargetTracking',
    ]);
    expect(Object.values(scaling).every((r) => r.DeletionPolicy === 'Retain' && r.UpdateReplacePolicy === 'Retain')).toBe(true);
    // The release may deregister SageMaker variant instance counts and delete this endpoint's scaling alarms, nothing else.
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'application-autoscaling:DeregisterScalableTarget',
            Resource: '*',
            Condition: { StringEquals: { 'application-autoscaling:service-namespace': 'sagemaker', 'application-autoscaling:scalable-dimension': 'sagemaker:variant:DesiredInstanceCount' } },
          }),
        ]),
      },
    });
  });

  it('has no scaling release for a serverless endpoint, which has no scalable targets', () => {
    const { stack, construct } = modelEndpoint(endpointNamed(gaps, 'tagger'));
    expect(construct.scalingRelease).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('Custom::SageMakerScalingRelease', 0);
  });

  it('fails when an async endpoint would pass SageMaker more than 1000 concurrent invocations per instance', () => {
    const host = hostStack();
    const scorer = endpointNamed(gaps, 'batch-scorer');
    const endpoint = { ...scorer, performance: { ...scorer.performance, concurrencyPerReplica: 1001 } };
    expect(() => new ModelEndpoint(host.stack, 'Endpoint', { endpoint, vpc: host.vpc, alarmTopic: host.topic, asyncResultQueue: new sqs.Queue(host.stack, 'Results') })).toThrow(
      /endpoint\.performance\.concurrencyPerReplica: becomes MaxConcurrentInvocationsPerInstance, which SageMaker takes from 1 to 1000, got 1001/,
    );
  });

  it('fails when an async endpoint has no result queue', () => {
    expect(() => modelEndpoint(endpointNamed(gaps, 'batch-scorer'))).toThrow(/asyncResultQueue: required when endpoint.mode is async/);
  });

  it('fails when a serverless endpoint asks for data capture and two variants, listing both problems', () => {
    const tagger = endpointNamed(gaps, 'tagger');
    const bad = { ...tagger, dataCapture: { samplingPercent: 10 }, variants: [tagger.variants[0], { ...tagger.variants[0], name: 'b' }] };
    let error: unknown;
    try {
      modelEndpoint(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServingPropsError);
    expect((error as Error).message).toMatch(/2 problems/);
    expect((error as Error).message).toMatch(/endpoint\.dataCapture: serverless endpoints do not support data capture/);
    expect((error as Error).message).toMatch(/endpoint\.variants: serverless endpoints take one variant, got 2/);
  });

  it('fails when a serverless endpoint asks for a GPU, as the topology schema does (one rule, constructs/serverless-rules.ts)', () => {
    const tagger = endpointNamed(gaps, 'tagger');
    const variant = tagger.variants[0];
    const gpu = { ...tagger, variants: [{ ...variant, requested: { ...variant.requested, accelerator: { type: 'l4' as const, count: 1 } } }] };
    expect(() => modelEndpoint(gpu)).toThrow(/endpoint\.variants\[0\]\.requested\.accelerator\.type: serverless endpoints run on CPU only/);
  });

  it('fails when an image is not an ECR URI', () => {
    const ranker = endpointNamed(prod, 'ranker');
    const model = { ...ranker.variants[0].model, image: { aws: 'docker.io/library/ranker:1', gcp: ranker.variants[0].model.image.gcp } };
    expect(() => modelEndpoint({ ...ranker, variants: [{ ...ranker.variants[0], model }] })).toThrow(
      /endpoint\.variants\[0\]\.model\.image\.aws: "docker\.io\/library\/ranker:1" is not an ECR image URI/,
    );
  });

  it('feeds async notifications to the given queue through encrypted SNS topics, with the queue\'s dead-letter queue for undeliverable ones', () => {
    const host = hostStack();
    const dlq = new sqs.Queue(host.stack, 'ResultsDlq');
    const results = new sqs.Queue(host.stack, 'Results', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
    new ModelEndpoint(host.stack, 'Endpoint', { endpoint: endpointNamed(gaps, 'batch-scorer'), vpc: host.vpc, alarmTopic: host.topic, asyncResultQueue: results });
    const t = Template.fromStack(host.stack);
    t.resourceCountIs('AWS::SNS::Subscription', 2);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ResultsDlq'), 'Arn'] } } });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});

describe('WorkQueue', () => {
  const spec: ResolvedQueue = resolvedTopology('dev').queues[0];

  function workQueue() {
    const { stack, topic } = hostStack();
    return { stack, queue: new WorkQueue(stack, 'Queue', { queue: spec, alarmTopic: topic }) };
  }

  it('redrives after maxDeliveryAttempts, with retention and visibility from the spec', () => {
    const { stack } = workQueue();
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      QueueName: spec.aws.queueName,
      MessageRetentionPeriod: spec.retentionHours * 3600,
      VisibilityTimeout: spec.ackTimeoutSeconds,
      RedrivePolicy: { maxReceiveCount: spec.maxDeliveryAttempts },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alarms') }],
    });
  });

  it.each([
    ['grantSend', ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], ['kms:Decrypt', 'kms:GenerateDataKey']],
    ['grantConsume', ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], 'kms:Decrypt'],
  ] as const)('%s grants exactly its SQS and KMS actions', (grant, sqsActions, kmsActions) => {
    const { stack, queue } = workQueue();
    const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.AccountRootPrincipal() });
    queue[grant](worker);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Worker') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: [...sqsActions], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'Arn'] } }),
          Match.objectLike({ Action: kmsActions, Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^QueueKey'), 'Arn'] } }),
        ],
      },
    });
  });
});

describe('FeatureCache', () => {
  it('grantConnect allows elasticache:Connect on the cache and the application user', () => {
    const { stack, vpc } = hostStack();
    const cache = new FeatureCache(stack, 'Cache', { cache: prod.featureCache!, vpc });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    cache.grantConnect(reader);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'elasticache:Connect',
            Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Cache'), 'ARN'] }, { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheApplicationUser'), 'Arn'] }],
          },
        ],
      },
    });
    expect(cache.connections.defaultPort?.toString()).toBe('6379-6380');
  });

  it('builds a node-based replication group on a non-default port when the topology asks for nodes', () => {
    const { stack, vpc } = hostStack();
    const cache = new FeatureCache(stack, 'Cache', { cache: gaps.featureCache!, vpc });
    expect(cache.connections.defaultPort?.toString()).toBe('6380');
    Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Port: 6380,
      ClusterMode: 'enabled',
      CacheParameterGroupName: 'default.redis7.cluster.on',
      SnapshotRetentionLimit: 1,
    });
    expect(findingsUnder(stack, 'Cache')).toEqual([]);
  });

  it('keeps a single-zone node cache outside production, with AwsSolutions-AEC4 acknowledged on it for the topology\'s choice', () => {
    const singleZone = resolveTopology(loadTopologyFile('test/fixtures/conformance/pgvector-redis.yaml')).featureCache!;
    expect(singleZone.multiZone).toBe(false);
    const { stack, vpc } = hostStack();
    new FeatureCache(stack, 'Cache', { cache: singleZone, vpc });
    Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { MultiAZEnabled: false, ReplicasPerNodeGroup: 1 });
    expect(findingsUnder(stack, 'Cache')).toEqual([]);
    expect(acknowledgments(stack.node.root as App).filter((a) => a.rule === 'AwsSolutions-AEC4').map((a) => a.path)).toEqual(['Host/Cache/Resource']);
  });
});

describe('VectorStore', () => {
  it('grantReadWrite names the role in the data access policy and grants aoss:APIAccessAll on the collection', () => {
    const { stack, vpc } = hostStack();
    const store = new VectorStore(stack, 'Vectors', { store: prod.vectorStore!, vpc });
    const indexer = new iam.Role(stack, 'Indexer', { assumedBy: new iam.AccountRootPrincipal() });
    store.grantReadWrite(indexer);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'aoss:APIAccessAll', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vectors'), 'Arn'] } }] },
    });
    const policy = JSON.stringify(Object.values(t.findResources('AWS::OpenSearchServerless::AccessPolicy'))[0]);
    expect(policy).toContain('Indexers read and write documents');
    expect(policy).toMatch(/Indexer[0-9A-F]{8}/);
    expect(findingsUnder(stack, 'Vectors')).toEqual([]);
  });

  it('gives pgvector the spec\'s HNSW parameters as migration SQL', () => {
    const { stack, vpc } = hostStack();
    const store = new VectorStore(stack, 'Vectors', { store: gaps.vectorStore!, vpc, deletionProtection: false });
    expect(store.schemaStatements).toEqual([
      'CREATE EXTENSION IF NOT EXISTS vector;',
      'CREATE TABLE IF NOT EXISTS embeddings (id text PRIMARY KEY, embedding vector(1024), metadata jsonb);',
      'ALTER TABLE embeddings ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS deleted boolean NOT NULL DEFAULT false;',
      'ALTER TABLE embeddings ALTER COLUMN embedding DROP NOT NULL;',
      'CREATE INDEX IF NOT EXISTS embeddings_hnsw ON embeddings USING hnsw (embedding vector_ip_ops) WITH (m = 16, ef_construction = 512);',
      'ALTER DATABASE vectors SET hnsw.ef_search = 512;',
    ]);
    expect(store.connections.defaultPort?.toString()).toBe('5433');
  });

  it('fails when a pgvector store has more dimensions than an HNSW index takes', () => {
    const { stack, vpc } = hostStack();
    expect(() => new VectorStore(stack, 'Vectors', { store: { ...gaps.vectorStore!, dimensions: 3072 }, vpc })).toThrow(
      /store\.dimensions: pgvector HNSW indexes take at most 2000 dimensions, got 3072/,
    );
  });
});

describe('ServingMonitoring', () => {
  it('lets CloudWatch use the alarm topic key only for alarms of its own account and region', () => {
    const stack = new Stack(newServingApp(), 'Host');
    new ServingMonitoring(stack, 'Monitoring', { monitoring: prod.monitoring });
    const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    const statements = (key.Properties.KeyPolicy as { Statement: { Principal?: { Service?: string } }[] }).Statement;
    expect(statements.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com')).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
        },
      },
    ]);
  });
});

describe('ServingNetwork and ServingStack with an existing VPC', () => {
  const existing = {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  };

  it('imports the VPC instead of creating one, and places models in its subnets', () => {
    const topology = { ...resolvedTopology('dev'), network: { ...resolvedTopology('dev').network, existing: { aws: existing } } };
    const app = newServingApp();
    const stack = new ServingStack(app, 'Imported', { topology });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::VPC', 0);
    t.resourceCountIs('AWS::EC2::FlowLog', 0);
    t.hasResourceProperties('AWS::SageMaker::Model', { VpcConfig: { Subnets: existing.privateSubnetIds } });
    t.hasResourceProperties('AWS::OpenSearchServerless::VpcEndpoint', { VpcId: existing.vpcId });
    expect(policyFindings(app)).toEqual([]);
  });

  it('spreads a new VPC over the resolved number of zones, picked at deploy time in an environment-agnostic stack', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new ServingNetwork(stack, 'Network', { network: { private: true, zoneCount: 3, aws: { interfaceEndpoints: ['sagemaker.runtime'] } } });
    const subnets = Template.fromStack(stack).findResources('AWS::EC2::Subnet');
    expect(Object.values(subnets).map((s) => (s.Properties as { AvailabilityZone: unknown }).AvailabilityZone)).toEqual(
      [0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] })),
    );
  });
});
