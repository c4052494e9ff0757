/**
 * The embedding-refresh worker on AWS: what synthesis creates (function, FIFO queue, event source
 * mapping, grants, alarms), that the policy packs pass, and the exact bundle `cdk synth` stages,
 * run with SQS events shaped as Lambda delivers them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newServingApp, ServingStack, servingStackId } from '../../aws';
import { parseTopology, presetInput, resolveTopology, type ResolvedTopology } from '../../constructs';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import type { RefreshWorkerOptions } from '../../pipelines/embedding-refresh/refresh-worker';
import type { SqsBatchResponse, SqsEvent, SqsRecord } from '../../pipelines/embedding-refresh/lambda/sqs-event';
import { MemoryVectorStore } from '../pipelines/support/memory-ports';
import { policyFindings } from './support';

function pipelineTopology(engine: 'managed' | 'pgvector' = 'managed'): ResolvedTopology {
  const input = presetInput('dev');
  input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder' } };
  if (engine === 'pgvector' && input.vectorStore) input.vectorStore = { ...input.vectorStore, engine: 'pgvector' };
  return resolveTopology(parseTopology(input, 'test'));
}

interface Synthesized {
  stack: ServingStack;
  template: Template;
  outdir: string;
}

function synth(topology: ResolvedTopology): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'embedding-refresh-synth-'));
  const app = newServingApp({ outdir });
  const stack = new ServingStack(app, servingStackId(topology), { topology });
  app.synth();
  return { stack, template: Template.fromStack(stack), outdir };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);

describe('EmbeddingRefreshPipeline (synth)', () => {
  let managed: Synthesized;
  beforeAll(() => {
    managed = synth(pipelineTopology());
  });
  afterAll(() => rmSync(managed.outdir, { recursive: true, force: true }));

  it('makes the source queue and its dead-letter queue FIFO, grouped per message group', () => {
    managed.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'news-dev-embedding-refresh.fifo',
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    managed.template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'news-dev-embedding-refresh-dlq.fifo', FifoQueue: true });
    managed.template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'news-dev-async-inference', FifoQueue: Match.absent() });
  });

  it('feeds the function from the queue with partial batch failures, the topology\'s batch size and concurrency', () => {
    const p = managed.stack.topology.pipelines.embeddingRefresh;
    const pipeline = managed.stack.embeddingRefresh;
    expect(p && pipeline).toBeTruthy();
    if (!p || !pipeline) return;
    managed.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(managed.stack, managed.stack.queues['embedding-refresh'].queue), 'Arn'] },
      FunctionName: { Ref: logicalId(managed.stack, pipeline.function) },
      BatchSize: p.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: p.concurrency },
    });
    managed.template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Timeout: p.timeoutSeconds,
      MemorySize: p.memoryMiB,
      ReservedConcurrentExecutions: p.concurrency,
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: [{ 'Fn::GetAtt': [logicalId(managed.stack, pipeline.securityGroup), 'GroupId'] }] },
      Environment: {
        Variables: Match.objectLike({
          EMBEDDER_ENDPOINT_NAME: managed.stack.topology.endpoints.find((e) => e.name === 'embedder')?.aws.endpointName,
          EMBEDDER_MAX_BATCH: String(p.batchSize),
          VECTOR_DIMENSIONS: '768',
          VECTOR_STORE_ENGINE: 'managed',
          OPENSEARCH_INDEX: managed.stack.vectorStore?.indexName,
        }),
      },
    });
  });

  it('grants exactly the queue, its key, the embedder and the collection, in a managed policy', () => {
    const pipeline = managed.stack.embeddingRefresh;
    if (!pipeline) throw new Error('no pipeline');
    const statements = managed.template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: logicalId(managed.stack, pipeline.role) }] } });
    const document = JSON.stringify(Object.values(statements).map((r) => r.Properties.PolicyDocument));
    const actions = new Set(Object.values(statements).flatMap((r) => (r.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) => [s.Action].flat())));
    expect([...actions].sort()).toEqual(
      [
        'aoss:APIAccessAll',
        'ec2:AssignPrivateIpAddresses',
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:UnassignPrivateIpAddresses',
        'kms:Decrypt',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sagemaker:InvokeEndpoint',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    expect(document).toContain(logicalId(managed.stack, managed.stack.queues['embedding-refresh'].queue));
    expect(managed.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(managed.stack, pipeline.role) }] } })).toEqual({});
    const access = Object.values(managed.template.findResources('AWS::OpenSearchServerless::AccessPolicy'))[0];
    expect(JSON.stringify(access.Properties.Policy)).toContain(logicalId(managed.stack, pipeline.role));
  });

  it('alarms on the oldest message against the SLO and on failed invocations, notifying the alarm topic', () => {
    const topic = { Ref: logicalId(managed.stack, managed.stack.monitoring.alarmTopic as never) };
    managed.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Threshold: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      AlarmActions: [topic],
      OKActions: [topic],
    });
    managed.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 0, AlarmActions: [topic] });
    managed.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: Match.anyValue() }], AlarmActions: [topic] });
  });

  it('passes cdk-nag (AwsSolutions, NIST 800-53 R5) and the MLServe rules', () => {
    expect(policyFindings(managed.stack)).toEqual([]);
  });

  it('connects to pgvector with IAM authentication as its own user', () => {
    const pg = synth(pipelineTopology('pgvector'));
    try {
      const policies = JSON.stringify(pg.template.findResources('AWS::IAM::ManagedPolicy'));
      expect(policies).toContain('rds-db:connect');
      expect(policies).toContain(':dbuser:');
      pg.template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ VECTOR_STORE_ENGINE: 'pgvector', DATABASE_USER: 'embedding_refresh' }) } });
      expect(policyFindings(pg.stack)).toEqual([]);
    } finally {
      rmSync(pg.outdir, { recursive: true, force: true });
    }
  });
});

describe('the synthesized bundle, with SQS events as Lambda delivers them', () => {
  let synthesized: Synthesized;
  let emulator: EmulatorHandle;
  let bundle: {
    handler: (event: SqsEvent) => Promise<SqsBatchResponse>;
    sqsBatchHandler: (ports: () => RefreshWorkerOptions) => (event: SqsEvent) => Promise<SqsBatchResponse>;
    embedderFromEnvironment: (env: NodeJS.ProcessEnv) => RefreshWorkerOptions['embedder'];
  };
  const saved = { ...process.env };
  let queueArn: string;

  beforeAll(async () => {
    const topology = pipelineTopology();
    synthesized = synth(topology);
    const fn = synthesized.stack.embeddingRefresh?.function;
    if (!fn) throw new Error('no pipeline function');
    const code = synthesized.template.toJSON().Resources[logicalId(synthesized.stack, fn)].Properties.Code as { S3Key: string };
    const assetDir = join(synthesized.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    bundle = require(join(assetDir, 'index.js'));
    expect(readFileSync(join(assetDir, 'index.js'), 'utf8')).not.toContain('aws-cdk-lib');
    emulator = await startEmulator(topology, { seed: 3 });
    queueArn = `arn:aws:sqs:us-east-1:123456789012:${topology.queues[0].aws.queueName}`;
    const embedder = topology.endpoints.find((e) => e.name === 'embedder');
    // What the stack sets, plus the Lambda runtime's region and credentials, and the SDK's endpoint override.
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: emulator.url,
      EMBEDDER_ENDPOINT_NAME: embedder?.aws.endpointName,
      EMBEDDER_MAX_BATCH: '10',
      VECTOR_DIMENSIONS: '768',
      VECTOR_STORE_ENGINE: 'managed',
    });
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    process.env = saved;
    await emulator?.close();
    rmSync(synthesized.outdir, { recursive: true, force: true });
  });

  let n = 0;
  const record = (body: string, receiveCount = 1, group = 'doc'): SqsRecord => ({
    messageId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    receiptHandle: `AQEB${n}==`,
    body,
    attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '1733491200000', MessageGroupId: group },
    messageAttributes: {},
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
  });
  const upsert = (documentId: string, version: number) => JSON.stringify({ formatVersion: 1, documentId, version, op: 'upsert', text: `article ${documentId} version ${version}` });

  it('embeds through the SageMaker endpoint named in the environment and reports only the failed messages', async () => {
    const store = new MemoryVectorStore();
    const handler = bundle.sqsBatchHandler(() => ({ embedder: bundle.embedderFromEnvironment(process.env), writer: store, dimensions: 768 }));
    const records = [record(upsert('a', 2), 1, 'a'), record('{"formatVersion":1}', 3, 'x'), record(upsert('b', 1), 1, 'b'), record(upsert('a', 1), 2, 'a')];
    const response = await handler({ Records: records });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1].messageId }] });
    expect(store.documents.get('a')).toMatchObject({ version: 2, deleted: false });
    expect(store.documents.get('a')?.vector).toHaveLength(768);
    expect(store.documents.get('b')?.version).toBe(1);

    const redelivered = await handler({ Records: [record(upsert('a', 2), 2, 'a'), record(JSON.stringify({ formatVersion: 1, documentId: 'b', version: 2, op: 'delete' }), 1, 'b')] });
    expect(redelivered).toEqual({ batchItemFailures: [] });
    expect(store.documents.get('b')).toEqual({ version: 2, deleted: true });
    expect(store.writes.map((w) => `${w.documentId}@${w.version}`)).toEqual(['a@2', 'b@1', 'b@2']);
  });

  it('fails every message of the batch, naming the variable, when the environment is incomplete', async () => {
    const endpointName = process.env.EMBEDDER_ENDPOINT_NAME;
    delete process.env.EMBEDDER_ENDPOINT_NAME;
    try {
      await expect(bundle.handler({ Records: [record(upsert('c', 1))] })).rejects.toThrow(/embedding-refresh function environment: EMBEDDER_ENDPOINT_NAME: /);
    } finally {
      process.env.EMBEDDER_ENDPOINT_NAME = endpointName;
    }
  });
});
