/** The local Pub/Sub topics and subscriptions through `@google-cloud/pubsub` in REST fallback mode, on a manual clock. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import type { PushOutcome } from '../../load-tests/queues/pubsub-push';
import { PROJECT, startQueuesRig, untilTimerSet, type QueuesRig } from './local-queues-fixture';

let rig: QueuesRig;
let subscription: string;
let deadLetterSubscription: string;

beforeEach(async () => {
  rig = await startQueuesRig();
  subscription = `projects/${PROJECT}/subscriptions/${rig.queue.gcp.subscriptionName}`;
  deadLetterSubscription = `projects/${PROJECT}/subscriptions/${rig.queue.gcp.deadLetterSubscriptionName}`;
});
afterEach(async () => rig.close());

const publish = (data: string, attributes: Record<string, string> = {}) =>
  rig.pubsub.topic(rig.queue.gcp.topicName).publishMessage({ data: Buffer.from(data), attributes });

async function pull(name = subscription) {
  const [response] = await rig.subscriber.pull({ subscription: name, maxMessages: 10, returnImmediately: true });
  return response.receivedMessages ?? [];
}

async function rejection(promise: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  const error = (await promise.then(
    () => {
      throw new Error('expected the request to be rejected');
    },
    (e: unknown) => e,
  )) as { code: unknown; message: string };
  return { code: error.code, message: error.message };
}

describe('local Pub/Sub through @google-cloud/pubsub (REST fallback)', () => {
  it('describes the topology topic and subscription with its dead-letter and retry policies', async () => {
    const [exists] = await rig.pubsub.topic(rig.queue.gcp.topicName).exists();
    expect(exists).toBe(true);
    const [metadata] = await rig.pubsub.subscription(rig.queue.gcp.subscriptionName).getMetadata();
    expect(metadata).toMatchObject({
      name: subscription,
      topic: `projects/${PROJECT}/topics/${rig.queue.gcp.topicName}`,
      ackDeadlineSeconds: rig.queue.ackTimeoutSeconds,
      deadLetterPolicy: { deadLetterTopic: `projects/${PROJECT}/topics/${rig.queue.gcp.deadLetterTopicName}`, maxDeliveryAttempts: rig.queue.maxDeliveryAttempts },
    });
    // In REST fallback the auth client's gaxios throws on a 404 before gax can map it to code 5, so
    // `exists()` rejects instead of answering false: the status is in `code`, the Status JSON in `message`.
    expect(await rejection(rig.pubsub.topic('no-such-topic').exists())).toMatchObject({ code: 404, message: expect.stringContaining('"status":"NOT_FOUND"') });
  });

  it('publishes, pulls with data, attributes, messageId, publishTime and deliveryAttempt, and acknowledges', async () => {
    const id = await publish('{"documentId":"a"}', { kind: 'upsert' });
    const [received] = await pull();
    expect(received.message?.messageId).toBe(id);
    expect(Buffer.from(received.message?.data as Uint8Array).toString()).toBe('{"documentId":"a"}');
    expect(received.message?.attributes).toEqual({ kind: 'upsert' });
    expect(Number(received.message?.publishTime?.seconds)).toBeGreaterThan(Date.parse('2020-01-01') / 1000);
    expect(received.deliveryAttempt).toBe(1);
    expect(await pull()).toEqual([]);
    await rig.subscriber.acknowledge({ subscription, ackIds: [received.ackId as string] });
    rig.clock.advanceBy(rig.queue.ackTimeoutSeconds * 1000);
    expect(await pull()).toEqual([]);
  });

  it('delivers an ordering key one message at a time, in order, on the ordered subscription; other keys meanwhile', async () => {
    // The dev preset's pipeline orders its embedding-refresh subscription.
    await rig.close();
    rig = await startQueuesRig({ resolved: resolveTopology(preset('dev')) });
    subscription = `projects/${PROJECT}/subscriptions/${rig.queue.gcp.subscriptionName}`;
    expect(rig.queue.ordered).toBe(true);
    const topic = rig.pubsub.topic(rig.queue.gcp.topicName, { messageOrdering: true });
    for (const [data, orderingKey] of [['a1', 'a'], ['a2', 'a'], ['b1', 'b']]) await topic.publishMessage({ data: Buffer.from(data), orderingKey });
    const pullOne = async () => {
      const [response] = await rig.subscriber.pull({ subscription, maxMessages: 1, returnImmediately: true });
      return response.receivedMessages ?? [];
    };
    const [first] = await pullOne();
    expect([Buffer.from(first.message?.data as Uint8Array).toString(), first.message?.orderingKey]).toEqual(['a1', 'a']);
    // a2 waits for a1: the next pull skips key a.
    const [second] = await pullOne();
    expect(Buffer.from(second.message?.data as Uint8Array).toString()).toBe('b1');
    expect(await pullOne()).toEqual([]);
    await rig.subscriber.acknowledge({ subscription, ackIds: [first.ackId as string] });
    const [third] = await pullOne();
    expect(Buffer.from(third.message?.data as Uint8Array).toString()).toBe('a2');
  });

  it('redelivers after the ack deadline; modifyAckDeadline extends it, and 0 nacks with the retry backoff', async () => {
    await publish('m');
    const [first] = await pull();
    rig.clock.advanceBy(rig.queue.ackTimeoutSeconds * 1000);
    const [second] = await pull();
    expect([second.message?.messageId, second.deliveryAttempt]).toEqual([first.message?.messageId, 2]);

    await rig.subscriber.modifyAckDeadline({ subscription, ackIds: [second.ackId as string], ackDeadlineSeconds: 600 });
    rig.clock.advanceBy(rig.queue.ackTimeoutSeconds * 1000);
    expect(await pull()).toEqual([]);
    rig.clock.advanceBy((600 - rig.queue.ackTimeoutSeconds) * 1000);
    const [third] = await pull();
    expect(third.deliveryAttempt).toBe(3);

    await rig.subscriber.modifyAckDeadline({ subscription, ackIds: [third.ackId as string], ackDeadlineSeconds: 0 });
    // The retry policy's backoff after the third failed delivery: 4 × the minimum, within the maximum.
    const backoffMs = Math.min(rig.queue.gcp.maximumBackoffSeconds, rig.queue.gcp.minimumBackoffSeconds * 4) * 1000;
    rig.clock.advanceBy(backoffMs - 1);
    expect(await pull()).toEqual([]);
    rig.clock.advanceBy(1);
    expect((await pull())[0].deliveryAttempt).toBe(4);
  });

  it('dead-letters after maxDeliveryAttempts to the dead-letter topic, saying where it came from', async () => {
    const id = await publish('poison', { documentId: 'd1' });
    for (let attempt = 1; attempt <= rig.queue.maxDeliveryAttempts; attempt++) {
      const [m] = await pull();
      expect(m.deliveryAttempt).toBe(attempt);
      await rig.subscriber.modifyAckDeadline({ subscription, ackIds: [m.ackId as string], ackDeadlineSeconds: 0 });
      rig.clock.advanceBy(rig.queue.gcp.maximumBackoffSeconds * 1000);
    }
    expect(await pull()).toEqual([]);
    const [dead] = await pull(deadLetterSubscription);
    expect(dead.message?.messageId).not.toBe(id);
    expect(Buffer.from(dead.message?.data as Uint8Array).toString()).toBe('poison');
    expect(dead.message?.attributes).toMatchObject({
      documentId: 'd1',
      CloudPubSubDeadLetterSourceDeliveryCount: String(rig.queue.maxDeliveryAttempts),
      CloudPubSubDeadLetterSourceSubscription: rig.queue.gcp.subscriptionName,
    });
    // The dead-letter subscription has no dead-letter policy of its own, so no delivery attempt.
    expect(dead.deliveryAttempt ?? 0).toBe(0);
  });

  it('a pull that may wait answers when a message becomes visible again, or empty when its wait is over', async () => {
    await publish('m');
    const [held] = await pull();
    await rig.subscriber.modifyAckDeadline({ subscription, ackIds: [held.ackId as string], ackDeadlineSeconds: 5 });
    let timers = rig.clock.pendingTimers;
    const waiting = rig.subscriber.pull({ subscription, maxMessages: 1 });
    await untilTimerSet(rig.clock, timers);
    rig.clock.advanceBy(5_000);
    expect((await waiting)[0].receivedMessages?.map((m) => m.deliveryAttempt)).toEqual([2]);

    // Held again for the subscription's deadline, far beyond the pull's wait.
    timers = rig.clock.pendingTimers;
    const empty = rig.subscriber.pull({ subscription, maxMessages: 1 });
    await untilTimerSet(rig.clock, timers);
    rig.clock.advanceBy(rig.queue.ackTimeoutSeconds * 1000);
    expect((await empty)[0].receivedMessages ?? []).toEqual([]);
  });

  it('refuses what Pub/Sub refuses', async () => {
    expect(await rejection(rig.pubsub.topic('no-such-topic').publishMessage({ data: Buffer.from('x') }))).toMatchObject({ message: expect.stringContaining('NOT_FOUND') });
    expect(await rejection(rig.pubsub.topic(rig.queue.gcp.topicName).publishMessage({ data: Buffer.alloc(0) }))).toMatchObject({
      message: expect.stringContaining('Some messages are empty'),
    });
    expect(await rejection(rig.subscriber.pull({ subscription, maxMessages: 0 }))).toMatchObject({ message: expect.stringContaining('max_messages') });
    await publish('m');
    const [m] = await pull();
    expect(await rejection(rig.subscriber.modifyAckDeadline({ subscription, ackIds: [m.ackId as string], ackDeadlineSeconds: 601 }))).toMatchObject({
      message: expect.stringContaining('between 0 and 600'),
    });
    expect(await rejection(rig.subscriber.acknowledge({ subscription, ackIds: ['not-an-ack-id'] }))).toMatchObject({ message: expect.stringContaining('invalid ack ID') });
    // The refused deadline change left the delivery as it was: still held for the subscription's deadline.
    expect(await pull()).toEqual([]);
  });
});

describe('push subscriptions', () => {
  let server: Server;
  const bodies: Array<Record<string, unknown>> = [];
  let answers: number[] = [];

  beforeEach(async () => {
    bodies.length = 0;
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text) as Record<string, unknown>);
        res.writeHead(answers.shift() ?? 204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const nextOutcome = () => new Promise<PushOutcome>((resolve) => rig.service.push.once('outcome', resolve));

  it('delivers the push envelope, retries a 500 after the backoff, and stops once acknowledged', async () => {
    answers = [500, 204];
    const pushEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/push`;
    await rig.subscriber.modifyPushConfig({ subscription, pushConfig: { pushEndpoint } });
    const [metadata] = await rig.pubsub.subscription(rig.queue.gcp.subscriptionName).getMetadata();
    expect(metadata.pushConfig?.pushEndpoint).toBe(pushEndpoint);

    const failed = nextOutcome();
    const id = await publish('{"documentId":"p"}', { kind: 'upsert' });
    expect(await failed).toMatchObject({ messageId: id, deliveryAttempt: 1, status: 500, acknowledged: false });

    const succeeded = nextOutcome();
    rig.clock.advanceBy(rig.queue.gcp.minimumBackoffSeconds * 1000);
    expect(await succeeded).toMatchObject({ messageId: id, deliveryAttempt: 2, status: 204, acknowledged: true });

    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual({
      message: {
        data: Buffer.from('{"documentId":"p"}').toString('base64'),
        attributes: { kind: 'upsert' },
        messageId: id,
        message_id: id,
        publishTime: expect.any(String),
        publish_time: expect.any(String),
      },
      subscription,
      deliveryAttempt: 2,
    });
    expect(bodies[0].deliveryAttempt).toBe(1);
    // Acknowledged: nothing comes back, even long after the deadline.
    rig.clock.advanceBy(3600_000);
    expect(await pull()).toEqual([]);
    expect(bodies).toHaveLength(2);
  });

  it('dead-letters a message its endpoint keeps refusing', async () => {
    answers = Array.from({ length: rig.queue.maxDeliveryAttempts }, () => 500);
    await rig.subscriber.modifyPushConfig({ subscription, pushConfig: { pushEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/push` } });
    let outcome = nextOutcome();
    await publish('never');
    for (let attempt = 1; attempt <= rig.queue.maxDeliveryAttempts; attempt++) {
      expect(await outcome).toMatchObject({ deliveryAttempt: attempt, acknowledged: false });
      outcome = nextOutcome();
      // Exactly the backoff: a longer step would also pass the ack deadline of the next push in flight.
      const { minimumBackoffSeconds, maximumBackoffSeconds } = rig.queue.gcp;
      rig.clock.advanceBy(Math.min(maximumBackoffSeconds, minimumBackoffSeconds * 2 ** (attempt - 1)) * 1000);
    }
    const [dead] = await pull(deadLetterSubscription);
    expect(Buffer.from(dead.message?.data as Uint8Array).toString()).toBe('never');
    expect(bodies).toHaveLength(rig.queue.maxDeliveryAttempts);
  });
});
