import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from './clock';

/**
 * The wall clock: `performance.now()` and Node timers. A wait becomes a `setTimeout` of whole
 * milliseconds, rounded up: the wake is up to about a millisecond late, never early, and the
 * thread sleeps meanwhile. (Spinning on `setImmediate` for sub-millisecond precision would burn a
 * core at a few hundred requests per second, starving whatever shares the machine; at high rates
 * the generator's completions wake it often enough anyway.) `soon` uses `setImmediate`, which
 * yields to pending I/O first.
 */
export class RealClock implements Clock {
  now(): number {
    return performance.now();
  }

  at(atMs: number, fn: () => void): TimerHandle {
    const delay = atMs - performance.now();
    if (delay <= 0) return this.soon(fn);
    const timer = setTimeout(fn, Math.ceil(delay));
    return { cancel: () => clearTimeout(timer) };
  }

  soon(fn: () => void): TimerHandle {
    const immediate = setImmediate(fn);
    return { cancel: () => clearImmediate(immediate) };
  }
}

export const realClock: Clock = new RealClock();
