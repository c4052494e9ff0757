import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from './clock';

/**
 * The wall clock: `performance.now()` and Node timers. Node's timers have whole-millisecond
 * resolution, so:
 * - a wait of a millisecond or more sleeps in a `setTimeout`, rounded up: at most about a
 *   millisecond late, never early, and the thread is idle meanwhile;
 * - a shorter wait re-checks on the next turn of the event loop (`setImmediate`, after pending
 *   I/O). That only happens when events are less than a millisecond apart, that is above about
 *   1,000 requests/s, where the loop is busy anyway and sub-millisecond precision matters.
 *
 * Handles are small class instances, not closures: this runs per request, and under tsx every
 * named closure also costs a `__name` call (esbuild's keepNames).
 */
export class RealClock implements Clock {
  now(): number {
    return performance.now();
  }

  at(atMs: number, fn: () => void): TimerHandle {
    const delay = atMs - performance.now();
    if (delay < 1) return new ImmediateHandle(setImmediate(fn));
    return new TimeoutHandle(setTimeout(fn, Math.ceil(delay)));
  }

  soon(fn: () => void): TimerHandle {
    return new ImmediateHandle(setImmediate(fn));
  }
}

class TimeoutHandle implements TimerHandle {
  constructor(private readonly timer: NodeJS.Timeout) {}
  cancel(): void {
    clearTimeout(this.timer);
  }
}

class ImmediateHandle implements TimerHandle {
  constructor(private readonly immediate: NodeJS.Immediate) {}
  cancel(): void {
    clearImmediate(this.immediate);
  }
}

export const realClock: Clock = new RealClock();
