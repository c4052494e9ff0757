/**
 * Waits until a write is visible to the reads the next version check makes. OpenSearch search and
 * Vector Search readIndexDatapoints see a write only after a refresh (about a second, "a few
 * seconds"); a worker that acknowledged before then would let the document's next message (which the
 * queue's per-document ordering holds back until this one is acknowledged) read a stale version and
 * write a second copy or an older state. So these writers acknowledge only what reads show.
 */

export interface VisibilityOptions {
  /** Longest wait for a write to become readable; past it the message fails and is delivered again. @default 30000 */
  readonly timeoutMs?: number;
  /** Pause between reads. @default 100 */
  readonly pollMs?: number;
}

/**
 * Calls `pending` until it returns no keys; returns the keys still pending at the timeout (empty when
 * everything became visible).
 */
export async function awaitVisible(pending: () => Promise<ReadonlySet<string>>, options: VisibilityOptions = {}): Promise<ReadonlySet<string>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await pending();
    if (left.size === 0 || Date.now() >= deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
