/**
 * Push delivery of a Pub/Sub subscription: each message is POSTed to the push endpoint in Pub/Sub's
 * envelope, `{ message: { data, attributes, messageId, message_id, publishTime, publish_time,
 * orderingKey }, subscription, deliveryAttempt }`
 * (https://cloud.google.com/pubsub/docs/push#receive_push). 102, 200, 201, 202 and 204 acknowledge
 * it; any other answer, a refused connection or no answer within the ack deadline is a nack, and
 * the message comes back after the retry policy's exponential backoff, until the dead-letter policy
 * takes it. Timers run on the emulator's clock, so tests step through retries without waiting.
 */
import { EventEmitter } from 'node:events';
import type { TimerHandle } from '../clock/clock';
import type { Delivery } from './message-queue';
import { deliveryAttemptField, restMessage, retryBackoffMs } from './pubsub-message';
import type { PubsubPayload, PubsubSubscriptionEntry, QueueSet } from './queue-set';

/** Status codes Pub/Sub takes as an acknowledgement. */
export const PUSH_SUCCESS_CODES: ReadonlySet<number> = new Set([102, 200, 201, 202, 204]);

/** Pushes in flight per subscription; Pub/Sub's own push flow control starts small and grows. */
export const MAX_OUTSTANDING_PUSHES = 10;

export interface PushOutcome {
  readonly subscription: string;
  readonly messageId: string;
  readonly deliveryAttempt: number;
  /** The endpoint's HTTP status, or 'no-answer' (refused, reset, or past the ack deadline). */
  readonly status: number | 'no-answer';
  readonly acknowledged: boolean;
}

/** Starts, restarts and stops push loops as subscriptions get or lose a push endpoint. Emits 'outcome' (PushOutcome) per push. */
export class PushDelivery extends EventEmitter<{ outcome: [PushOutcome] }> {
  private readonly loops = new Map<string, PushLoop>();

  constructor(private readonly queues: QueueSet) {
    super();
    for (const subscription of queues.subscriptions.values()) this.sync(subscription);
  }

  sync(subscription: PubsubSubscriptionEntry): void {
    this.loops.get(subscription.name)?.stop();
    this.loops.delete(subscription.name);
    if (!subscription.push) return;
    const loop = new PushLoop(this.queues, subscription, (o) => this.emit('outcome', o));
    this.loops.set(subscription.name, loop);
    loop.pump();
  }

  /** Stops pushing; pushes in flight finish and their outcome is still recorded. */
  close(): void {
    for (const loop of this.loops.values()) loop.stop();
    this.loops.clear();
  }
}

class PushLoop {
  private outstanding = 0;
  private stopped = false;
  private timer?: TimerHandle;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly queues: QueueSet,
    private readonly subscription: PubsubSubscriptionEntry,
    private readonly report: (outcome: PushOutcome) => void,
  ) {
    this.unsubscribe = subscription.queue.onChange(() => this.pump());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.unsubscribe();
  }

  /** Pushes what is visible now, and wakes again when the next hidden message becomes visible. */
  pump(): void {
    if (this.stopped) return;
    const { queue, ackDeadlineSeconds } = this.subscription;
    const now = this.queues.now();
    const room = MAX_OUTSTANDING_PUSHES - this.outstanding;
    if (room > 0) for (const delivery of queue.receive(room, ackDeadlineSeconds * 1000, now)) void this.push(delivery);
    this.timer?.cancel();
    const next = queue.nextVisibleAtMs(now);
    this.timer = next === undefined ? undefined : this.queues.clock.at(this.queues.clockTimeOf(next), () => this.pump());
  }

  private async push(delivery: Delivery<PubsubPayload>): Promise<void> {
    const { subscription } = this;
    const push = subscription.push;
    if (!push) return;
    this.outstanding += 1;
    // This delivery's attempt: the message itself may be delivered again while the push is out.
    const attempt = delivery.message.receiveCount;
    const message = restMessage(delivery.message);
    const envelope = {
      // Pub/Sub sends both spellings of these two fields.
      message: { ...message, message_id: message.messageId, publish_time: message.publishTime },
      subscription: `projects/${push.project}/subscriptions/${subscription.name}`,
      ...deliveryAttemptField(subscription, delivery.message),
    };
    let status: number | 'no-answer' = 'no-answer';
    try {
      const response = await fetch(push.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(subscription.ackDeadlineSeconds * 1000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      // Refused, reset or timed out: a nack, like any other failure.
    }
    this.outstanding -= 1;
    const acknowledged = typeof status === 'number' && PUSH_SUCCESS_CODES.has(status);
    const { queue } = subscription;
    if (acknowledged) queue.settle(delivery.message.id, delivery.delivery);
    else queue.hide(delivery.message.id, delivery.delivery, retryBackoffMs(subscription, attempt), false, this.queues.now());
    this.report({ subscription: subscription.name, messageId: delivery.message.id, deliveryAttempt: attempt, status, acknowledged });
    this.pump();
  }
}
