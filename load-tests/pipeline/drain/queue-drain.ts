/**
 * Moves the backlog of a queue that became ordered onto its ordered successor, for stacks deployed
 * before the embedding-refresh pipeline (README, "Upgrading a stack to the pipeline"): SQS cannot
 * turn a standard queue into a FIFO one and Pub/Sub fixes ordering when a subscription is created,
 * so the upgrade creates new ones and keeps the old ones with their messages.
 *
 * Never loses a message: one is removed from the old queue only after its successor accepted it; a
 * message that is not format v1 stays where it is, counted and named. A message published after the
 * cutover is already on the successor (Pub/Sub delivers to every subscription of the topic) and is
 * removed without a copy. Copies are harmless: the worker skips a version it has (refresh-worker.ts).
 */
import { parseRefreshMessage, type RefreshMessage } from '../../../pipelines/embedding-refresh/refresh-message';

/** A --from or --to that cannot be what it names. */
export class DrainInputError extends Error {}

export interface DrainedMessage {
  readonly id: string;
  readonly body: string;
  /** When the old queue took it, epoch ms. */
  readonly publishedAt: number;
  readonly handle: string;
}

/** The old queue. */
export interface DrainSource {
  readonly description: string;
  /** Up to one batch; none when the queue holds nothing visible. */
  receive(): Promise<DrainedMessage[]>;
  /** Deletes (SQS) or acknowledges (Pub/Sub) messages now safe on the successor. */
  remove(messages: readonly DrainedMessage[]): Promise<void>;
  /** Leaves messages in the old queue, out of sight until the drain is over. */
  keep(messages: readonly DrainedMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** The ordered successor. */
export interface DrainTarget {
  readonly description: string;
  /** Sends each message; true where the successor accepted it. */
  send(messages: readonly { readonly message: RefreshMessage; readonly body: string }[]): Promise<boolean[]>;
  close(): Promise<void>;
}

export interface DrainReport {
  readonly from: string;
  readonly to: string;
  readonly moved: number;
  /** Published after the cutover, so already on the successor: removed without a copy. */
  readonly alreadyThere: number;
  /** Not format v1: left in the old queue. */
  readonly unreadable: readonly { readonly id: string; readonly reason: string }[];
  /** Refused by the successor this time: left in the old queue (run the drain again). */
  readonly notAccepted: number;
}

export interface DrainOptions {
  /** Messages published at or after this time are already on the successor. @default - none are */
  readonly cutoverMs?: number;
  /** Consecutive empty receives that mean the old queue is empty. @default 2 */
  readonly emptyReceives?: number;
}

export async function drainQueue(source: DrainSource, target: DrainTarget, options: DrainOptions = {}): Promise<DrainReport> {
  const unreadable: { id: string; reason: string }[] = [];
  let moved = 0;
  let alreadyThere = 0;
  let notAccepted = 0;
  let empty = 0;
  while (empty < (options.emptyReceives ?? 2)) {
    const batch = await source.receive();
    if (batch.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    const there: DrainedMessage[] = [];
    const toSend: { readonly drained: DrainedMessage; readonly message: RefreshMessage }[] = [];
    const left: DrainedMessage[] = [];
    for (const m of batch) {
      if (options.cutoverMs !== undefined && m.publishedAt >= options.cutoverMs) {
        there.push(m);
        continue;
      }
      const parsed = parseRefreshMessage(m.body);
      if (parsed.ok) toSend.push({ drained: m, message: parsed.message });
      else {
        unreadable.push({ id: m.id, reason: parsed.reason });
        left.push(m);
      }
    }
    const accepted = toSend.length === 0 ? [] : await target.send(toSend.map((s) => ({ message: s.message, body: s.drained.body })));
    const sent = toSend.filter((_, i) => accepted[i]).map((s) => s.drained);
    const refused = toSend.filter((_, i) => !accepted[i]).map((s) => s.drained);
    await source.remove([...there, ...sent]);
    await source.keep([...left, ...refused]);
    moved += sent.length;
    alreadyThere += there.length;
    notAccepted += refused.length;
  }
  return { from: source.description, to: target.description, moved, alreadyThere, unreadable, notAccepted };
}

export function formatDrainReport(r: DrainReport): string {
  return [
    `from:      ${r.from}`,
    `to:        ${r.to}`,
    `moved:     ${r.moved}`,
    `already there (published after the cutover): ${r.alreadyThere}`,
    `left in the old queue: ${r.unreadable.length} not format v1, ${r.notAccepted} refused by the new queue${r.notAccepted > 0 ? ' (run the drain again)' : ''}`,
    ...r.unreadable.slice(0, 20).map((u) => `  ${u.id}: ${u.reason}`),
    ...(r.unreadable.length > 20 ? [`  … and ${r.unreadable.length - 20} more`] : []),
  ].join('\n');
}
