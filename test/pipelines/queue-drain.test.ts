/**
 * `serving-stacks pipeline drain`: a stack deployed before the pipeline had a standard SQS queue and
 * an unordered Pub/Sub subscription; the upgrade adds the FIFO queue and the ordered subscription
 * (same topic) and keeps the old ones. Both run here side by side on the local endpoints, as they
 * are in the account after the upgrade, and the drain goes through the official clients.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { v1 } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../bin/exit-codes';
import { servingStacksProgram } from '../../bin/program';
import { preset, queueResourceNames, resolveTopology, type ResolvedQueue, type ResolvedTopology } from '../../constructs';
import { localServices, startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import { pubsubClientOptions } from '../../load-tests/pipeline/pubsub-client-options';
import { runInProcess } from '../cli/run-in-process';

const LOCAL = { accessKeyId: 'local', secretAccessKey: 'local' };
const message = (documentId: string, version: number) => JSON.stringify({ formatVersion: 1, op: 'upsert', documentId, version, text: `${documentId} v${version}` });

let emulator: EmulatorHandle;
let sqs: SQSClient;
let subscriber: v1.SubscriberClient;
let publisher: v1.PublisherClient;
let ordered: ResolvedQueue;
let released: ResolvedQueue;

/** The preset's embedding-refresh queue as the release before the pipeline named it: standard, unordered. */
function releasedQueue(resolved: ResolvedTopology, queue: ResolvedQueue): ResolvedQueue {
  const names = queueResourceNames(resolved.name, resolved.environment, queue.name);
  return {
    ...queue,
    name: `${queue.name}-released`,
    ordered: false,
    aws: { queueName: names.sqsQueues.queue, deadLetterQueueName: names.sqsQueues.deadLetter },
    gcp: { ...queue.gcp, subscriptionName: names.pubsubSubscriptions.subscription },
  };
}

beforeAll(async () => {
  const resolved = resolveTopology(preset('dev'));
  ordered = resolved.queues.find((q) => q.name === resolved.pipelines.embeddingRefresh?.sourceQueue)!;
  released = releasedQueue(resolved, ordered);
  const upgraded = { ...resolved, queues: [...resolved.queues, released] };
  emulator = await startEmulator(upgraded, { services: await localServices(upgraded, {}) });
  sqs = new SQSClient({ region: resolved.regions.aws, endpoint: emulator.url, credentials: LOCAL });
  subscriber = new v1.SubscriberClient(pubsubClientOptions(emulator.url));
  publisher = new v1.PublisherClient(pubsubClientOptions(emulator.url));
}, 60_000);

afterAll(async () => {
  sqs?.destroy();
  await subscriber?.close();
  await publisher?.close();
  await emulator?.close();
});

const queueUrl = async (name: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
const subscription = (name: string) => `projects/local/subscriptions/${name}`;

describe('pipeline drain --cloud aws', () => {
  it('moves every format v1 message to the FIFO queue in its document group, and leaves the unreadable one, named', async () => {
    const from = await queueUrl(released.aws.queueName);
    const to = await queueUrl(ordered.aws.queueName);
    expect(from.endsWith('.fifo')).toBe(false);
    for (const body of [message('a', 1), message('a', 2), message('b', 7), 'not json']) await sqs.send(new SendMessageCommand({ QueueUrl: from, MessageBody: body }));

    const run = await runInProcess(servingStacksProgram(), ['pipeline', 'drain', '--cloud', 'aws', '--from', from, '--to', to, '--endpoint-url', emulator.url, '--region', 'us-east-1', '--json']);
    expect(run.exitCode ?? 0).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ moved: 3, alreadyThere: 0, notAccepted: 0 });
    expect(report.unreadable).toHaveLength(1);
    expect(report.unreadable[0].reason).toMatch(/not JSON/);

    const received = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: to, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['MessageGroupId'] }))).Messages ?? [];
    // FIFO: one message group at a time per receive is not promised, but every body arrives with its document as the group.
    const moved = received.map((m) => [m.Attributes?.MessageGroupId, JSON.parse(m.Body!).version]);
    expect(moved.sort()).toEqual([['a', 1], ['a', 2], ['b', 7]]);
    // The unreadable message is still in the old queue (hidden for the run, not deleted).
    const old = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: from, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(Number(old.Attributes!.ApproximateNumberOfMessages) + Number(old.Attributes!.ApproximateNumberOfMessagesNotVisible)).toBe(1);
  }, 60_000);

  it('refuses a --to that is not a FIFO queue, naming it, and moves nothing', async () => {
    const from = await queueUrl(released.aws.queueName);
    const run = await runInProcess(servingStacksProgram(), ['pipeline', 'drain', '--from', from, '--to', from, '--endpoint-url', emulator.url, '--region', 'us-east-1']);
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toContain(`--to: the pipeline's queue is FIFO and its URL ends in .fifo, got ${from}`);
  });

  it('needs a region when the queue URL does not name one', async () => {
    const run = await runInProcess(servingStacksProgram(), ['pipeline', 'drain', '--from', 'http://127.0.0.1:1/q', '--to', 'http://127.0.0.1:1/q.fifo']);
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toContain('--region: required when --from is not an https://sqs.REGION.amazonaws.com/ URL');
  });
});

describe('pipeline drain --cloud gcp', () => {
  it('republishes what only the old subscription holds with ordering keys, and only acknowledges what the ordered one has already', async () => {
    const topic = `projects/local/topics/${ordered.gcp.topicName}`;
    expect(released.gcp.topicName).toBe(ordered.gcp.topicName);
    // Before the upgrade: published while only the old subscription existed (emptied from the new one here to stand for that).
    await publisher.publish({ topic, messages: [message('c', 1), message('c', 3), 'garbage'].map((m) => ({ data: Buffer.from(m) })) });
    const [before] = await subscriber.pull({ subscription: subscription(ordered.gcp.subscriptionName), maxMessages: 10, returnImmediately: true });
    await subscriber.acknowledge({ subscription: subscription(ordered.gcp.subscriptionName), ackIds: before.receivedMessages!.map((r) => r.ackId!) });
    const cutover = new Date(Date.now() + 5).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // After the upgrade: on both subscriptions.
    await publisher.publish({ topic, messages: [{ data: Buffer.from(message('d', 1)), orderingKey: 'd' }] });

    const run = await runInProcess(servingStacksProgram(), [
      'pipeline', 'drain', '--cloud', 'gcp', '--from', subscription(released.gcp.subscriptionName), '--to', topic, '--endpoint-url', emulator.url, '--cutover', cutover, '--json',
    ]);
    expect(run.exitCode ?? 0).toBe(0);
    const report = JSON.parse(run.stdout);
    // The two copies it published reach the old subscription too, after the cutover: acknowledged there, not copied again.
    expect(report).toMatchObject({ moved: 2, alreadyThere: 3, notAccepted: 0 });
    expect(report.unreadable).toHaveLength(1);

    const [after] = await subscriber.pull({ subscription: subscription(ordered.gcp.subscriptionName), maxMessages: 10, returnImmediately: true });
    const onOrdered = after.receivedMessages!.map((r) => [r.message!.orderingKey, JSON.parse(Buffer.from(r.message!.data as Uint8Array).toString()).version]);
    expect(onOrdered.sort()).toEqual([['c', 1], ['c', 3], ['d', 1]]);
  }, 60_000);

  it('names a --from that is not a subscription', async () => {
    const run = await runInProcess(servingStacksProgram(), ['pipeline', 'drain', '--cloud', 'gcp', '--from', 'projects/p/topics/t', '--to', 'projects/p/topics/t']);
    expect(run.exitCode).toBe(EXIT.usage);
    expect(run.stderr).toContain('--from: a subscription, projects/PROJECT/subscriptions/NAME, got projects/p/topics/t');
  });
});
