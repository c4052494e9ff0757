/**
 * FIFO semantics of the local SQS queues, for a topology whose queues are FIFO (names ending in
 * .fifo): the dev preset's embedding-refresh queue, the source of its pipeline.
 */
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { DEDUPLICATION_WINDOW_MS } from '../../load-tests/queues/message-queue';
import { startQueuesRig, type QueuesRig } from './local-queues-fixture';

let rig: QueuesRig;
let queueUrl: string;

beforeEach(async () => {
  // The dev preset's pipeline makes its embedding-refresh queue FIFO.
  rig = await startQueuesRig({ resolved: resolveTopology(preset('dev')) });
  expect(rig.queue.aws.queueName).toMatch(/\.fifo$/);
  queueUrl = (await rig.sqs.send(new GetQueueUrlCommand({ QueueName: rig.queue.aws.queueName }))).QueueUrl as string;
});
afterEach(async () => rig.close());

async function receive(max: number, visibilityTimeout?: number): Promise<Message[]> {
  const out = await rig.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, VisibilityTimeout: visibilityTimeout, MessageSystemAttributeNames: ['All'] }));
  return out.Messages ?? [];
}

const send = (body: string, group: string, deduplicationId?: string) =>
  rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: deduplicationId }));

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  return promise.then(
    () => ({ name: 'resolved', message: '' }),
    (e: { name: string; message: string }) => ({ name: e.name, message: e.message }),
  );
}

describe('local SQS FIFO queues', () => {
  it('hold back a message group while an earlier message of it is in flight, and deliver it in order', async () => {
    await rig.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a1', MessageBody: 'a1', MessageGroupId: 'doc-a' },
          { Id: 'a2', MessageBody: 'a2', MessageGroupId: 'doc-a' },
          { Id: 'b1', MessageBody: 'b1', MessageGroupId: 'doc-b' },
        ],
      }),
    );
    const [a1] = await receive(1);
    expect([a1.Body, a1.Attributes?.MessageGroupId]).toEqual(['a1', 'doc-a']);
    // doc-a waits for a1; doc-b is free.
    expect((await receive(10)).map((m) => m.Body)).toEqual(['b1']);
    // a1 comes back when its visibility timeout runs out, before a2.
    rig.clock.advanceBy(rig.queue.ackTimeoutSeconds * 1000);
    const [again] = await receive(1);
    expect([again.Body, again.Attributes?.ApproximateReceiveCount]).toEqual(['a1', '2']);
    await rig.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again.ReceiptHandle }));
    const [a2] = await receive(10);
    expect(a2.Body).toBe('a2');
    expect(BigInt(a2.Attributes?.SequenceNumber ?? '0')).toBeGreaterThan(BigInt(a1.Attributes?.SequenceNumber ?? '0'));
  });

  it('deduplicate by MessageDeduplicationId, or by body, within 5 minutes', async () => {
    const first = await send('v1', 'doc-a', 'doc-a-v1');
    const repeat = await send('v1 again', 'doc-a', 'doc-a-v1');
    expect(repeat.MessageId).toBe(first.MessageId);
    const byBody = await send('same body', 'doc-b');
    expect((await send('same body', 'doc-b')).MessageId).toBe(byBody.MessageId);
    expect((await receive(10, 0)).map((m) => m.Body)).toEqual(['v1', 'same body']);

    rig.clock.advanceBy(DEDUPLICATION_WINDOW_MS);
    const later = await send('v1 again', 'doc-a', 'doc-a-v1');
    expect(later.MessageId).not.toBe(first.MessageId);
  });

  it('require a MessageGroupId and refuse a per-message delay', async () => {
    expect(await rejection(rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' })))).toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    expect(await rejection(rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 5 })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('DelaySeconds'),
    });
  });

  it('moves a poison message to the FIFO dead-letter queue and then delivers the rest of its group', async () => {
    await send('poison', 'doc-a');
    await send('next', 'doc-a');
    for (let i = 0; i < rig.queue.maxDeliveryAttempts; i++) expect((await receive(1, 0))[0].Body).toBe('poison');
    expect((await receive(1, 0))[0].Body).toBe('next');
    const dlq = (await rig.sqs.send(new GetQueueUrlCommand({ QueueName: rig.queue.aws.deadLetterQueueName }))).QueueUrl;
    const dead = (await rig.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, MessageSystemAttributeNames: ['MessageGroupId'] }))).Messages ?? [];
    expect(dead.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([['poison', 'doc-a']]);
  });
});
