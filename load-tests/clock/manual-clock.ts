import type { Clock, TimerHandle } from './clock';

interface Timer {
  readonly atMs: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Timers run in time order (ties in the order they were
 * set), each with `now()` equal to its due time, so a run on it is exactly reproducible.
 */

/** Virtual time one turn of the event loop takes, so that a loop re-checking with `soon` ends. */
export const MANUAL_TURN_MS = 0.001;

export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly heap: Timer[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  at(atMs: number, fn: () => void): TimerHandle {
    const timer: Timer = { atMs: Math.max(atMs, this.current), seq: this.seq++, fn, cancelled: false };
    this.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  soon(fn: () => void): TimerHandle {
    return this.at(this.current + MANUAL_TURN_MS, fn);
  }

  /** Virtual time moves only through `advanceTo`: nothing to wait for here. */
  spinUntil(): boolean {
    return false;
  }

  /** Runs every timer due up to `targetMs` (including timers those timers set), then stands at `targetMs`. */
  advanceTo(targetMs: number): void {
    for (let timer = this.peek(); timer && timer.atMs <= targetMs; timer = this.peek()) {
      this.pop();
      if (timer.cancelled) continue;
      this.current = timer.atMs;
      timer.fn();
    }
    this.current = Math.max(this.current, targetMs);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Runs timers until none is left; throws past `limitMs` so a test cannot spin forever. */
  runUntilIdle(limitMs = Number.MAX_SAFE_INTEGER): void {
    for (let timer = this.peek(); timer; timer = this.peek()) {
      if (timer.atMs > limitMs) throw new Error(`ManualClock: timers still pending past ${limitMs} ms`);
      this.advanceTo(timer.atMs);
    }
  }

  get pendingTimers(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  private peek(): Timer | undefined {
    return this.heap[0];
  }

  private before(a: Timer, b: Timer): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l], h[m])) m = l;
      if (r < h.length && this.before(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
