import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from './clock';

/**
 * The wall clock: `performance.now()` and Node timers. Node's timers have whole-millisecond
 * resolution: a wait sleeps in a `setTimeout` of whole milliseconds, rounded up (at least 1), so a
 * wake is up to about a millisecond late, never early, and the thread is idle meanwhile. A time
 * already passed runs on the next turn of the event loop. Callers that need sub-millisecond
 * precision re-check with `soon` (`setImmediate`, after pending I/O), at the cost of a busy loop.
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
    if (delay <= 0) return new ImmediateHandle(setImmediate(fn));
    return new TimeoutHandle(setTimeout(fn, Math.ceil(delay)));
  }

  soon(fn: () => void): TimerHandle {
    return new ImmediateHandle(setImmediate(fn));
  }

  spinUntil(atMs: number): boolean {
    while (performance.now() < atMs) {
      // Busy-wait: the caller bounds it to microseconds.
    }
    return true;
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
