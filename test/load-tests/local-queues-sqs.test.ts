/** The local SQS queues through `@aws-sdk/client-sqs`, unchanged, on a manual clock. */
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SQS_LIMITS } from '../../load-tests/queues/sqs-protocol';
import { startQueuesRig, untilTimerSet, type QueuesRig } from './local-queues-fixture';

let rig: QueuesRig;
let queueUrl: string;
let deadLetterUrl: string;

beforeEach(async () => {
  rig = await startQueuesRig();
  queueUrl = (await rig.sqs.send(new GetQueueUrlCommand({ QueueName: rig.queue.aws.queueName }))).QueueUrl as string;
  deadLetterUrl = (await rig.sqs.send(new GetQueueUrlCommand({ QueueName: rig.queue.aws.deadLetterQueueName }))).QueueUrl as string;
});
afterEach(async () => rig.close());

async function receive(url = queueUrl, input: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}): Promise<Message[]> {
  const out = await rig.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'], ...input }));
  return out.Messages ?? [];
}

async function counts(url = queueUrl): Promise<[string | undefined, string | undefined]> {
  const { Attributes } = await rig.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return [Attributes?.ApproximateNumberOfMessages, Attributes?.ApproximateNumberOfMessagesNotVisible];
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  const error = (await promise.then(
    () => {
      throw new Error('expected the request to be rejected');
    },
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

describe('local SQS through @aws-sdk/client-sqs', () => {
  it('gives queue URLs on the emulator, as GET /emulator lists them, and refuses an unknown queue', async () => {
    expect(queueUrl).toBe(`${rig.emulator.url}/000000000000/${rig.queue.aws.queueName}`);
    const listing = (await (await fetch(`${rig.emulator.url}/emulator`)).json()) as { queues: unknown[] };
    expect(listing.queues).toContainEqual({
      name: rig.queue.name,
      sqs: { url: queueUrl, deadLetterUrl, maxReceiveCount: rig.queue.maxDeliveryAttempts },
      pubsub: {
        topic: rig.queue.gcp.topicName,
        subscription: rig.queue.gcp.subscriptionName,
        deadLetterTopic: rig.queue.gcp.deadLetterTopicName,
        deadLetterSubscription: rig.queue.gcp.deadLetterSubscriptionName,
      },
    });
    expect(await rejection(rig.sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })))).toMatchObject({ name: 'QueueDoesNotExist', status: 400 });
    expect(await rejection(rig.sqs.send(new SendMessageCommand({ QueueUrl: `${rig.emulator.url}/000000000000/no-such-queue`, MessageBody: 'x' })))).toMatchObject({
      name: 'QueueDoesNotExist',
    });
  });

  it('sends, receives with attributes and system attributes, and deletes', async () => {
    const sent = await rig.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"documentId":"a","version":1}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'upsert' }, blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([1, 2, 3]) } },
      }),
    );
    const [message] = await receive();
    expect(message.MessageId).toBe(sent.MessageId);
    expect(message.Body).toBe('{"documentId":"a","version":1}');
    expect(message.MessageAttributes?.kind).toEqual({ DataType: 'String', StringValue: 'upsert' });
    expect(Array.from(message.MessageAttributes?.blob.BinaryValue ?? [])).toEqual([1, 2, 3]);
    expect(message.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(message.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(Number(message.Attributes?.SentTimestamp)).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(await counts()).toEqual(['0', '1']);
    await rig.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    expect(await counts()).toEqual(['0', '0']);
  });

  it('redelivers after the visibility timeout with a higher ApproximateReceiveCount, and a changed timeout holds it longer', async () => {
    await rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm' }));
    const [first] = await receive();
    expect(await receive()).toEqual([]);
    rig.clock.advanceBy(rig.queue.ackTimeoutSeconds * 1000);
    const [second] = await receive();
    expect([second.MessageId, second.Attributes?.ApproximateReceiveCount]).toEqual([first.MessageId, '2']);
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);

    const longer = rig.queue.ackTimeoutSeconds + 600;
    await rig.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: longer }));
    rig.clock.advanceBy(rig.queue.ackTimeoutSeconds * 1000);
    expect(await receive()).toEqual([]);
    rig.clock.advanceBy(600_000);
    expect((await receive())[0].Attributes?.ApproximateReceiveCount).toBe('3');
  });

  it('moves a message to the dead-letter queue once it was received maxReceiveCount times', async () => {
    const { MessageId } = await rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'poison' }));
    for (let i = 1; i <= rig.queue.maxDeliveryAttempts; i++) {
      const [m] = await receive(queueUrl, { VisibilityTimeout: 0 });
      expect(m.Attributes?.ApproximateReceiveCount).toBe(String(i));
    }
    expect(await receive(queueUrl, { VisibilityTimeout: 0 })).toEqual([]);
    const [dead] = await receive(deadLetterUrl);
    expect([dead.MessageId, dead.Body]).toEqual([MessageId, 'poison']);
    const { Attributes } = await rig.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({
      deadLetterTargetArn: `arn:aws:sqs:${await rig.sqs.config.region()}:000000000000:${rig.queue.aws.deadLetterQueueName}`,
      maxReceiveCount: rig.queue.maxDeliveryAttempts,
    });
  });

  it('a stale receipt handle deletes nothing (and succeeds) and cannot change visibility; a malformed one is invalid', async () => {
    await rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm' }));
    const [old] = await receive(queueUrl, { VisibilityTimeout: 0 });
    const [current] = await receive(queueUrl, { VisibilityTimeout: 30 });
    await rig.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: old.ReceiptHandle }));
    expect(await counts()).toEqual(['0', '1']);
    expect(await rejection(rig.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: old.ReceiptHandle, VisibilityTimeout: 10 })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('parameter ReceiptHandle is invalid'),
    });
    expect(await rejection(rig.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'not-a-handle' })))).toMatchObject({
      name: 'ReceiptHandleIsInvalid',
      status: 404,
    });
    await rig.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: current.ReceiptHandle }));
    expect(await counts()).toEqual(['0', '0']);
  });

  it('batches: sends up to 10, deletes and changes visibility per entry, failing only the bad entries', async () => {
    const entries = Array.from({ length: SQS_LIMITS.maxBatchEntries }, (_, i) => ({ Id: `e${i}`, MessageBody: `body ${i}` }));
    const sent = await rig.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    expect([sent.Successful?.length, sent.Failed ?? []]).toEqual([10, []]);
    const received = await receive();
    expect(received.map((m) => m.Body).sort()).toEqual(entries.map((e) => e.MessageBody).sort());

    const visibility = await rig.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'ok', ReceiptHandle: received[0].ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'bad', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(visibility.Successful?.map((e) => e.Id)).toEqual(['ok']);
    expect(visibility.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid' })]);

    const deleted = await rig.sqs.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: [...received.slice(1).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })), { Id: 'bad', ReceiptHandle: 'garbage' }] }),
    );
    expect([deleted.Successful?.length, deleted.Failed?.map((f) => f.Code)]).toEqual([9, ['ReceiptHandleIsInvalid']]);
    expect(await counts()).toEqual(['1', '0']);
  });

  it('refuses batches and receives SQS refuses, naming the parameter', async () => {
    const batch = (Entries: { Id: string; MessageBody: string }[]) => rejection(rig.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries })));
    expect(await batch(Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })))).toMatchObject({ name: 'TooManyEntriesInBatchRequest' });
    expect(await batch([])).toMatchObject({ name: 'EmptyBatchRequest' });
    expect(await batch([{ Id: 'same', MessageBody: 'x' }, { Id: 'same', MessageBody: 'y' }])).toMatchObject({ name: 'BatchEntryIdsNotDistinct' });
    expect(await batch([{ Id: 'not valid!', MessageBody: 'x' }])).toMatchObject({ name: 'InvalidBatchEntryId' });
    const half = 'x'.repeat(SQS_LIMITS.maxBatchBytes / 2 + 1);
    expect(await batch([{ Id: 'a', MessageBody: half }, { Id: 'b', MessageBody: half }])).toMatchObject({ name: 'BatchRequestTooLong' });
    expect(await rejection(rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x'.repeat(SQS_LIMITS.maxMessageBytes + 1) })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining(`shorter than ${SQS_LIMITS.maxMessageBytes} bytes`),
    });
    expect(await rejection(rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'bad \u0000 char' })))).toMatchObject({ name: 'InvalidMessageContents' });
    // The SDK does not check required members; SQS does.
    expect(await rejection(rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl } as ConstructorParameters<typeof SendMessageCommand>[0])))).toMatchObject({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageBody.',
    });
    expect(
      await rejection(rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } }))),
    ).toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining("as a number") });
    expect(await rejection(rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', DelaySeconds: 901 })))).toMatchObject({ message: expect.stringContaining('DelaySeconds') });
    expect(await rejection(rig.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 11 })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
    expect(await rejection(rig.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 21 })))).toMatchObject({ message: expect.stringContaining('WaitTimeSeconds') });
    expect(await rejection(rig.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 43_201 })))).toMatchObject({ message: expect.stringContaining('VisibilityTimeout') });
    expect(await rejection(rig.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['Nope' as 'All'] })))).toMatchObject({ name: 'InvalidAttributeName' });
    // Nothing of the refused requests was enqueued.
    expect(await counts()).toEqual(['0', '0']);
  });

  it('a long poll with nothing to receive answers empty when its wait is over', async () => {
    const timers = rig.clock.pendingTimers;
    const polling = receive(queueUrl, { WaitTimeSeconds: 20 });
    await untilTimerSet(rig.clock, timers);
    rig.clock.advanceBy(20_000);
    expect(await polling).toEqual([]);
  });

  it('a long poll answers as soon as a message arrives', async () => {
    const polling = receive(queueUrl, { WaitTimeSeconds: 20 });
    await rig.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'late' }));
    expect((await polling).map((m) => m.Body)).toEqual(['late']);
  });
});
