/**
 * One queue as both clouds model it: messages become invisible to others while a consumer holds
 * them (SQS visibility timeout, Pub/Sub ack deadline), come back when the hold expires, and after
 * `maxDeliveries` deliveries the next delivery moves them to the dead-letter queue instead (SQS
 * `maxReceiveCount`, Pub/Sub `maxDeliveryAttempts`). The protocols (SQS, Pub/Sub) sit on top and
 * keep their own message payload, which this queue stores without looking at it.
 *
 * An ordered queue (SQS FIFO) delivers each message group in order: while a message of a group is
 * held, no later message of that group is delivered; it also drops a message whose deduplication
 * id it saw within the last 5 minutes
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html).
 *
 * Every change goes through `apply`, which the queue set also replays from the `--data-dir` log,
 * so the state after a restart is the state that was acknowledged before it.
 */

/** Epoch milliseconds: times survive a restart, so they are wall-clock times, not a monotonic clock's. */
export type EpochMs = number;

export interface QueuedMessage<P> {
  readonly id: string;
  readonly payload: P;
  readonly sentAtMs: EpochMs;
  /** Deliveries so far (SQS ApproximateReceiveCount, Pub/Sub deliveryAttempt of the last delivery). */
  receiveCount: number;
  firstReceiveAtMs?: EpochMs;
  /** Hidden from consumers until then: held by a consumer, or waiting out a retry backoff. */
  visibleAtMs: EpochMs;
  /** Serial of the current delivery; a receipt carrying an older serial is stale. */
  delivery: number;
  /** Whether a consumer holds it now (until `visibleAtMs`), as opposed to a backoff after a nack. */
  held: boolean;
  /** Order of arrival, kept across restarts. */
  readonly seq: number;
  /** Message group of an ordered queue. */
  readonly group?: string;
}

/** One change to a queue: what the mutation log records and replays. */
export type QueueMutation =
  | {
      readonly op: 'enqueue';
      readonly queue: string;
      readonly id: string;
      readonly payload: unknown;
      readonly sentAtMs: EpochMs;
      /** First visible then (SQS DelaySeconds). @default sentAtMs */
      readonly visibleAtMs?: EpochMs;
      readonly group?: string;
      readonly deduplicationId?: string;
    }
  | { readonly op: 'deliver'; readonly queue: string; readonly id: string; readonly delivery: number; readonly atMs: EpochMs; readonly visibleAtMs: EpochMs }
  | { readonly op: 'hide'; readonly queue: string; readonly id: string; readonly visibleAtMs: EpochMs; readonly held: boolean }
  | { readonly op: 'remove'; readonly queue: string; readonly id: string };

export interface Delivery<P> {
  readonly message: QueuedMessage<P>;
  /** Identifies this delivery (not the message): the protocol encodes it into its receipt handle or ack id. */
  readonly delivery: number;
}

export type SettleOutcome = 'done' | 'stale' | 'gone';

export interface MessageQueueSettings {
  /** Name on the wire (the SQS queue name, or the Pub/Sub subscription name). */
  readonly name: string;
  /** Deliveries before the next one dead-letters instead. @default - never dead-letters */
  readonly maxDeliveries?: number;
  readonly retentionMs: number;
  /** Deliver message groups in order and deduplicate (SQS FIFO). @default false */
  readonly ordered?: boolean;
}

/** How long an ordered queue remembers a deduplication id. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

export interface EnqueueOptions {
  /** @default 0 */
  readonly delayMs?: number;
  readonly group?: string;
  readonly deduplicationId?: string;
}

export class MessageQueue<P> {
  private readonly messages = new Map<string, QueuedMessage<P>>();
  private seq = 0;
  private deliveries = 0;
  private readonly listeners = new Set<() => void>();
  /** Deduplication ids seen, with the message each one enqueued (kept for the window, even after a delete). */
  private readonly deduplication = new Map<string, { readonly id: string; readonly seq: number; readonly atMs: EpochMs }>();

  constructor(
    readonly settings: MessageQueueSettings,
    /** Records a change durably before it is acknowledged, then applies it. */
    private readonly commit: (mutation: QueueMutation) => void,
    /** Takes a message that ran out of deliveries (the dead-letter queue's enqueue). */
    private readonly deadLetter?: (message: QueuedMessage<P>, now: EpochMs) => void,
  ) {}

  get name(): string {
    return this.settings.name;
  }

  /** Applies a committed change; the only place state changes, so replay and live runs agree. */
  apply(m: QueueMutation): void {
    switch (m.op) {
      case 'enqueue': {
        const seq = this.seq++;
        this.messages.set(m.id, {
          id: m.id,
          payload: m.payload as P,
          sentAtMs: m.sentAtMs,
          receiveCount: 0,
          visibleAtMs: m.visibleAtMs ?? m.sentAtMs,
          delivery: 0,
          held: false,
          seq,
          ...(m.group === undefined ? {} : { group: m.group }),
        });
        if (m.deduplicationId !== undefined) {
          // Kept in arrival order, so the ids past the window are always at the front.
          this.deduplication.delete(m.deduplicationId);
          this.deduplication.set(m.deduplicationId, { id: m.id, seq, atMs: m.sentAtMs });
          for (const [key, seen] of this.deduplication) {
            if (m.sentAtMs - seen.atMs < DEDUPLICATION_WINDOW_MS) break;
            this.deduplication.delete(key);
          }
        }
        return this.wake();
      }
      case 'deliver': {
        const message = this.messages.get(m.id);
        if (!message) return;
        message.receiveCount += 1;
        message.firstReceiveAtMs ??= m.atMs;
        message.delivery = m.delivery;
        message.visibleAtMs = m.visibleAtMs;
        message.held = true;
        this.deliveries = Math.max(this.deliveries, m.delivery);
        return;
      }
      case 'hide': {
        const message = this.messages.get(m.id);
        if (!message) return;
        message.visibleAtMs = m.visibleAtMs;
        message.held = m.held;
        return this.wake();
      }
      case 'remove':
        this.messages.delete(m.id);
        return;
    }
  }

  /**
   * Enqueues, or on an ordered queue returns the message an earlier enqueue with the same
   * deduplication id made within the window. Returns the message's id and arrival order.
   */
  enqueue(id: string, payload: P, now: EpochMs, options: EnqueueOptions = {}): { readonly id: string; readonly seq: number; readonly duplicate: boolean } {
    const { delayMs = 0, group, deduplicationId } = options;
    if (this.settings.ordered && deduplicationId !== undefined) {
      const seen = this.deduplication.get(deduplicationId);
      if (seen && now - seen.atMs < DEDUPLICATION_WINDOW_MS) return { id: seen.id, seq: seen.seq, duplicate: true };
    }
    this.commit({
      op: 'enqueue',
      queue: this.name,
      id,
      payload,
      sentAtMs: now,
      ...(delayMs > 0 ? { visibleAtMs: now + delayMs } : {}),
      ...(group === undefined ? {} : { group }),
      ...(deduplicationId === undefined ? {} : { deduplicationId }),
    });
    return { id, seq: this.seq - 1, duplicate: false };
  }

  /**
   * Up to `max` visible messages, oldest first, each hidden for `holdMs`. A message that already had
   * `maxDeliveries` deliveries goes to the dead-letter queue instead of being delivered again.
   */
  receive(max: number, holdMs: number, now: EpochMs): Delivery<P>[] {
    const out: Delivery<P>[] = [];
    const messages = this.ordered();
    // A group with a message held or waiting to come back waits for it (later ones may be held too,
    // when an earlier one of the same batch came back first).
    const blocked = new Set(this.settings.ordered ? messages.filter((m) => m.group !== undefined && m.visibleAtMs > now).map((m) => m.group) : []);
    for (const message of messages) {
      if (out.length >= max) break;
      if (this.expired(message, now)) {
        this.commit({ op: 'remove', queue: this.name, id: message.id });
        continue;
      }
      if (message.visibleAtMs > now || blocked.has(message.group)) continue;
      const limit = this.settings.maxDeliveries;
      if (limit !== undefined && this.deadLetter && message.receiveCount >= limit) {
        this.deadLetter(message, now);
        this.commit({ op: 'remove', queue: this.name, id: message.id });
        continue;
      }
      const delivery = this.deliveries + 1;
      this.commit({ op: 'deliver', queue: this.name, id: message.id, delivery, atMs: now, visibleAtMs: now + holdMs });
      out.push({ message, delivery });
    }
    return out;
  }

  /** Deletes (acks) the message if `delivery` is its current one. */
  settle(id: string, delivery: number): SettleOutcome {
    const message = this.messages.get(id);
    if (!message) return 'gone';
    if (message.delivery !== delivery) return 'stale';
    this.commit({ op: 'remove', queue: this.name, id });
    return 'done';
  }

  /**
   * Changes how long the current delivery stays hidden (`held`: still held by its consumer; not held:
   * released, visible again after `hideMs`, a retry backoff). Only while that delivery holds it.
   */
  hide(id: string, delivery: number, hideMs: number, held: boolean, now: EpochMs): SettleOutcome {
    const message = this.messages.get(id);
    if (!message) return 'gone';
    if (message.delivery !== delivery || !message.held || message.visibleAtMs <= now) return 'stale';
    this.commit({ op: 'hide', queue: this.name, id, visibleAtMs: now + hideMs, held });
    return 'done';
  }

  /** Visible now; held by a consumer or backing off; not yet delivered and delayed (SQS DelaySeconds). */
  counts(now: EpochMs): { readonly visible: number; readonly notVisible: number; readonly delayed: number } {
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const message of this.messages.values()) {
      if (this.expired(message, now)) continue;
      if (message.visibleAtMs <= now) visible += 1;
      else if (message.receiveCount === 0) delayed += 1;
      else notVisible += 1;
    }
    return { visible, notVisible, delayed };
  }

  /** When the next hidden message becomes visible, for a long poll or a push loop to wake then. */
  nextVisibleAtMs(now: EpochMs): EpochMs | undefined {
    let next: number | undefined;
    for (const message of this.messages.values()) {
      if (message.visibleAtMs > now && (next === undefined || message.visibleAtMs < next)) next = message.visibleAtMs;
    }
    return next;
  }

  /**
   * Calls `listener` after every enqueue or release (a long poll or a push loop re-checks then), on
   * a later microtask, so a listener never runs inside another change. Returns the unsubscribe.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Seq of a message as a 20-digit decimal string (SQS FIFO SequenceNumber). */
  static sequenceNumber(seq: number): string {
    return String(seq + 1).padStart(20, '0');
  }

  peek(id: string): QueuedMessage<P> | undefined {
    return this.messages.get(id);
  }

  private wake(): void {
    if (this.listeners.size === 0) return;
    queueMicrotask(() => {
      for (const listener of [...this.listeners]) listener();
    });
  }

  /** Oldest first: a Map iterates in insertion order, which is arrival order (replay inserts in it too). */
  private ordered(): QueuedMessage<P>[] {
    return [...this.messages.values()];
  }

  private expired(message: QueuedMessage<P>, now: EpochMs): boolean {
    return now - message.sentAtMs >= this.settings.retentionMs;
  }
}
