/**
 * `serving-stacks pipeline run` against the local endpoints: documents sent to the local SQS FIFO
 * queue (or published to Pub/Sub with ordering keys) through the official clients, out of order and
 * with a delete, end in the local vector store at their newest version; a poison message ends in the
 * dead-letter queue after the queue's maxReceiveCount receives; the report counts both.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PubSub } from '@google-cloud/pubsub';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetInput, parseTopology, resolveTopology } from '../../constructs';
import { localServices, startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import type { PipelineRunReport } from '../../load-tests/pipeline/pipeline-run';
import { servingStacksProgram as createProgram } from '../../bin/program';
import { runInProcess } from './run-in-process';

const input = presetInput('dev');
input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder', batchSize: 5, concurrency: 2 } };
const topology = parseTopology(input);
const resolved = resolveTopology(topology);
const queue = resolved.queues.find((q) => q.name === 'embedding-refresh')!;
let emulator: EmulatorHandle;
let topologyFile: string;

beforeAll(async () => {
  const services = await localServices(resolved, { visibilityDelayMs: 30 });
  emulator = await startEmulator(resolved, { services, seed: 5 });
  topologyFile = join(mkdtempSync(join(tmpdir(), 'pipeline-run-')), 'topology.json');
  writeFileSync(topologyFile, JSON.stringify(input));
}, 120_000);
afterAll(() => emulator?.close());

const message = (documentId: string, version: number, op: 'upsert' | 'delete' = 'upsert') =>
  JSON.stringify(op === 'upsert' ? { formatVersion: 1, op, documentId, version, text: `${documentId} v${version}` } : { formatVersion: 1, op, documentId, version });

async function pipelineRun(cloud: 'aws' | 'gcp'): Promise<PipelineRunReport> {
  const run = await runInProcess(createProgram(), [
    'pipeline', 'run', '--topology', topologyFile, '--cloud', cloud, '--endpoint-url', emulator.url, '--stop-when-idle', '2s', '--retry-after', '0s', '--json',
  ]);
  expect(run.exitCode ?? 0).toBe(0);
  return JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as PipelineRunReport;
}

describe('pipeline run', () => {
  it('--cloud aws: consumes the SQS FIFO queue into OpenSearch, newest versions win, poison ends in the dead-letter queue', async () => {
    const sqs = new SQSClient({ region: resolved.regions.aws, endpoint: emulator.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue.aws.queueName }));
    const send = (group: string, body: string) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: `${group}-${body.length}-${Math.random()}` }));
    for (const [doc, version] of [['a', 2], ['b', 1], ['a', 1], ['c', 1], ['a', 3], ['b', 2]] as const) await send(doc, message(doc, version));
    await send('c', message('c', 2, 'delete'));
    await send('poison', '{"formatVersion": 1, "op": "upsert"}');
    sqs.destroy();

    const report = await pipelineRun('aws');
    expect(report.messages.poison).toBe(queue.maxDeliveryAttempts);
    expect(report.deadLetters).toBe(1);
    // a@3 and b@2 written, c@2 deleted; the older ones stale or superseded, never written.
    expect(report.messages.written + report.messages.deleted).toBeGreaterThanOrEqual(3);
    expect(report.messages.failed).toBe(0);
    expect(report.freshness.count).toBe(report.messages.written + report.messages.deleted);
    // Priced at the batch time and fill measured here, for both clouds: one Lambda invocation per batch as filled.
    expect(report.meanBatchSeconds).toBeGreaterThan(0);
    expect(report.meanBatchDocuments).toBeGreaterThan(0);
    expect(report.meanBatchDocuments).toBeLessThanOrEqual(5);
    expect(report.costPerMillionDocuments.aws?.basis).toContain(`${Math.round(1_000_000 / report.meanBatchDocuments)} Lambda invocations`);
    expect(report.costPerMillionDocuments.aws?.usdPerMillionDocuments).toBeGreaterThan(0);
    expect(report.costPerMillionDocuments.gcp?.usdPerMillionDocuments).toBeGreaterThan(0);

    const listing = (await (await fetch(`${emulator.url}/emulator`)).json()) as { vectorStore: { opensearch: { url: string; index: string } } };
    const search = await fetch(`${listing.vectorStore.opensearch.url}/${listing.vectorStore.opensearch.index}/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ size: 100, query: { terms: { id: ['a', 'b', 'c'] } }, _source: ['id', 'version', 'deleted'] }),
    });
    const hits = ((await search.json()) as { hits: { hits: { _source: { id: string; version: number; deleted: boolean } }[] } }).hits.hits.map((h) => h._source);
    expect(hits.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'a', version: 3, deleted: false },
      { id: 'b', version: 2, deleted: false },
      { id: 'c', version: 2, deleted: true },
    ]);
  }, 120_000);

  it('--cloud gcp: consumes the Pub/Sub subscription into Vector Search', async () => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 3600_000 });
    const pubsub = new PubSub({ projectId: 'local', apiEndpoint: `127.0.0.1:${emulator.port}`, authClient: authClient as never, ...{ fallback: true, protocol: 'http' } });
    const topic = pubsub.topic(queue.gcp.topicName, { messageOrdering: true });
    for (const [doc, version] of [['g', 2], ['g', 1], ['h', 1]] as const) await topic.publishMessage({ data: Buffer.from(message(doc, version)), orderingKey: doc });
    await pubsub.close();

    const report = await pipelineRun('gcp');
    expect(report.queue).toContain('SubscriberClient');
    expect(report.messages.written).toBe(2);
    expect(report.messages.stale + report.messages.superseded).toBe(1);
    expect(report.deadLetters).toBe(0);
  }, 120_000);
});
