/**
 * The dead-letter count a `--target pipeline` result carries: what reached the source queue's
 * dead-letter queue between the start and the end of the run, read through the official clients
 * from the local SQS dead-letter queue and the Pub/Sub dead-letter subscription.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PubSub } from '@google-cloud/pubsub';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTopology, presetInput, resolveTopology } from '../../constructs';
import { localServices, startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { fetchEmulatorListing } from '../../load-tests/pipeline/local-pipeline';
import { watchDeadLetters } from '../../load-tests/targets/pipeline/dead-letter-count';
import { pipelineEndpointsFromEmulator } from '../../load-tests/targets/pipeline/find-pipeline-endpoints';
import { planPipelineTarget } from '../../load-tests/targets/pipeline/plan-pipeline-target';
import type { PipelineTargetSpec } from '../../load-tests/targets/pipeline/pipeline-target-spec';

const input = presetInput('dev');
input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder' } };
const resolved = resolveTopology(parseTopology(input));
const queue = resolved.queues.find((q) => q.name === 'embedding-refresh')!;
let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator(resolved, { services: await localServices(resolved, {}) });
}, 60_000);
afterAll(() => emulator?.close());

async function spec(cloud: 'aws' | 'gcp'): Promise<PipelineTargetSpec> {
  const endpoints = pipelineEndpointsFromEmulator(emulator.url, await fetchEmulatorListing(emulator.url), resolved);
  const errors: string[] = [];
  const planned = planPipelineTarget({ cloud, seed: 1, endpoints }, resolved, 8, 10_000, errors);
  expect(errors).toEqual([]);
  return planned!;
}

describe('dead letters of a pipeline run', () => {
  it('aws: the SQS dead-letter queue, before and after', async () => {
    const s = await spec('aws');
    const finish = await watchDeadLetters(s);
    const sqs = new SQSClient({ region: resolved.regions.aws, endpoint: emulator.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const deadLetterUrl = s.queue.kind === 'sqs' ? s.queue.deadLetterUrl : '';
    for (const id of ['p1', 'p2']) await sqs.send(new SendMessageCommand({ QueueUrl: deadLetterUrl, MessageBody: '{"formatVersion": 2}', MessageGroupId: id, MessageDeduplicationId: id }));
    sqs.destroy();
    expect(await finish()).toEqual({ queue: 'embedding-refresh', deadLetterQueue: deadLetterUrl, deadLetters: 2, deadLettersAtStart: 0, documents: 100 });
  });

  it('gcp: the dead-letter subscription, pulled and handed back', async () => {
    const s = await spec('gcp');
    const finish = await watchDeadLetters(s);
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 3600_000 });
    const pubsub = new PubSub({ projectId: 'local', apiEndpoint: `127.0.0.1:${emulator.port}`, authClient: authClient as never, ...{ fallback: true, protocol: 'http' } });
    await pubsub.topic(queue.gcp.deadLetterTopicName).publishMessage({ data: Buffer.from('{"formatVersion": 2}') });
    await pubsub.close();
    expect(await finish()).toMatchObject({ deadLetters: 1, deadLettersAtStart: 0 });
  });
});
