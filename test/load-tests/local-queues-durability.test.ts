/** With `--data-dir`, the local queues keep messages, deliveries in flight, acknowledgements and push endpoints across a restart. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROJECT, startQueuesRig, type QueuesRig } from './local-queues-fixture';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'local-queues-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function sqsState(rig: QueuesRig): Promise<{ url: string; visible?: string; held?: string }> {
  const url = (await rig.sqs.send(new GetQueueUrlCommand({ QueueName: rig.queue.aws.queueName }))).QueueUrl as string;
  const { Attributes } = await rig.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return { url, visible: Attributes?.ApproximateNumberOfMessages, held: Attributes?.ApproximateNumberOfMessagesNotVisible };
}

describe('local queues under a data directory', () => {
  it('survive a restart: unreceived, in flight and acknowledged messages on both clouds, and a receipt handle from before', async () => {
    const before = await startQueuesRig({ dataDir });
    const subscription = `projects/${PROJECT}/subscriptions/${before.queue.gcp.subscriptionName}`;
    let heldHandle: string;
    let unackedId: string;
    try {
      const { url } = await sqsState(before);
      for (const body of ['acked', 'held', 'waiting']) {
        await before.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
      }
      const received = (await before.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2 }))).Messages ?? [];
      expect(received.map((m) => m.Body)).toEqual(['acked', 'held']);
      await before.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: received[0].ReceiptHandle }));
      heldHandle = received[1].ReceiptHandle as string;

      const topic = before.pubsub.topic(before.queue.gcp.topicName);
      await topic.publishMessage({ data: Buffer.from('acked') });
      unackedId = await topic.publishMessage({ data: Buffer.from('unacked') });
      const [pulled] = await before.subscriber.pull({ subscription, maxMessages: 1, returnImmediately: true });
      await before.subscriber.acknowledge({ subscription, ackIds: [pulled.receivedMessages?.[0].ackId as string] });
    } finally {
      await before.close();
    }

    const after = await startQueuesRig({ dataDir });
    try {
      const { url, visible, held } = await sqsState(after);
      expect([visible, held]).toEqual(['1', '1']);
      const [waiting] = (await after.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }))).Messages ?? [];
      expect(waiting.Body).toBe('waiting');
      // The delivery held before the restart can still be settled with its receipt handle.
      await after.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: heldHandle }));
      expect(await sqsState(after)).toMatchObject({ visible: '1', held: '0' });

      const [pulled] = await after.subscriber.pull({ subscription, maxMessages: 10, returnImmediately: true });
      expect(pulled.receivedMessages?.map((m) => [m.message?.messageId, Buffer.from(m.message?.data as Uint8Array).toString(), m.deliveryAttempt])).toEqual([
        [unackedId, 'unacked', 1],
      ]);
    } finally {
      await after.close();
    }
  });

  it('keeps a subscription push endpoint', async () => {
    const before = await startQueuesRig({ dataDir });
    const subscription = `projects/${PROJECT}/subscriptions/${before.queue.gcp.subscriptionName}`;
    try {
      await before.subscriber.modifyPushConfig({ subscription, pushConfig: { pushEndpoint: 'http://127.0.0.1:9/push' } });
    } finally {
      await before.close();
    }
    const after = await startQueuesRig({ dataDir });
    try {
      const [metadata] = await after.pubsub.subscription(after.queue.gcp.subscriptionName).getMetadata();
      expect(metadata.pushConfig?.pushEndpoint).toBe('http://127.0.0.1:9/push');
    } finally {
      await after.close();
    }
  });
});
