/**
 * Time as the load tests see it. The generator, the emulator's replica pools and the fake
 * clock of the tests all go through this one interface, so the open-loop scheduler and the
 * pool can be driven on a virtual timeline (and the autoscaling work can compress time).
 */
export interface Clock {
  /** Milliseconds on a monotonic timeline, fractional. */
  now(): number;
  /** Runs `fn` once, at or after `atMs` (a real clock may be up to about a millisecond late). */
  at(atMs: number, fn: () => void): TimerHandle;
  /** Runs `fn` on the next turn, after whatever is already due. */
  soon(fn: () => void): TimerHandle;
  /**
   * Busy-waits until `atMs`, for waits far shorter than a timer. Returns false, without waiting,
   * on a clock that does not move by itself.
   */
  spinUntil(atMs: number): boolean;
}

export interface TimerHandle {
  cancel(): void;
}
