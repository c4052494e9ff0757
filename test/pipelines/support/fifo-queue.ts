/**
 * A queue with SQS FIFO's delivery rules, for driving workers concurrently in tests: messages of one
 * group are handed out in order and never while another of the group is in flight; a message not
 * acknowledged goes back to the head of its group and is dead-lettered after `maxReceiveCount`
 * receives. With `ordered: false` it behaves like a standard queue: any message, to any worker.
 */
import type { Delivery, MessageOutcome } from '../../../pipelines/embedding-refresh/delivery';
import { isAcknowledged } from '../../../pipelines/embedding-refresh/delivery';

interface Queued {
  readonly messageId: string;
  readonly group: string;
  readonly body: string;
  receiveCount: number;
  inFlight: boolean;
}

export class FifoQueue {
  private readonly messages: Queued[] = [];
  readonly deadLetters: Queued[] = [];
  private nextId = 1;

  constructor(
    private readonly maxReceiveCount: number,
    private readonly ordered = true,
  ) {}

  send(group: string, body: string): void {
    this.messages.push({ messageId: `m-${this.nextId++}`, group, body, receiveCount: 0, inFlight: false });
  }

  get isDrained(): boolean {
    return this.messages.length === 0;
  }

  get inFlight(): number {
    return this.messages.filter((m) => m.inFlight).length;
  }

  receive(max: number): Delivery[] {
    const busy = new Set(this.messages.filter((m) => m.inFlight).map((m) => m.group));
    const taken: Queued[] = [];
    for (const m of this.messages) {
      if (taken.length >= max) break;
      if (m.inFlight) continue;
      // FIFO: a group in flight is skipped, and a group's later messages only come with its earlier ones.
      if (this.ordered && busy.has(m.group) && !taken.some((t) => t.group === m.group)) continue;
      taken.push(m);
      if (this.ordered) busy.add(m.group);
    }
    for (const m of taken) {
      m.inFlight = true;
      m.receiveCount++;
    }
    return taken.map((m) => ({ messageId: m.messageId, body: m.body, deliveryAttempt: m.receiveCount }));
  }

  settle(outcomes: readonly MessageOutcome[]): void {
    for (const outcome of outcomes) {
      const index = this.messages.findIndex((m) => m.messageId === outcome.messageId);
      const m = this.messages[index];
      m.inFlight = false;
      if (isAcknowledged(outcome)) this.messages.splice(index, 1);
      else if (m.receiveCount >= this.maxReceiveCount) this.deadLetters.push(...this.messages.splice(index, 1));
    }
  }
}
