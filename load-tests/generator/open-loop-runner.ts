/**
 * The core loop of the generator, open model: arrivals follow the schedule whatever the
 * responses do, and every request is timed from its intended send time, so a stalled target
 * shows up as the latency its users would see (no coordinated omission; https://github.com/giltene/wrk2).
 *
 * - A concurrency cap bounds requests in flight. An arrival that finds the cap full waits in a
 *   FIFO and is sent when a slot frees; it is still timed from its intended time, and counted late.
 *   Past `maxWaiting` waiting arrivals, new ones are dropped (counted).
 * - Each attempt has a timeout; retries (off unless asked for) back off with full jitter.
 * - When the schedule ends, in-flight and waiting requests get `drainTimeoutMs` to finish; what is
 *   left then is cancelled or dropped. `stop()` (Ctrl-C) ends arrivals at once and gives in-flight
 *   requests `stopGraceMs`.
 *
 * It emits typed events and prints nothing; the recorder and reporters listen.
 */
import type { Clock, TimerHandle } from '../clock/clock';
import type { Random } from '../replica/random';
import type { ErrorClass } from '../targets/error-classification';
import type { CallDetail, CallOutcome, TargetCall } from '../targets/target';
import { backoffMs, isRetryable, type RetryPolicy } from './retry-policy';

export type RunEvent =
  /** An arrival came due; `lagMs` is how late the scheduler handled it. */
  | { readonly type: 'arrival'; readonly intendedMs: number; readonly lagMs: number }
  | {
      readonly type: 'complete';
      readonly intendedMs: number;
      /** When the first attempt was sent. */
      readonly sentMs: number;
      readonly endMs: number;
      readonly outcome: 'ok' | ErrorClass | 'cancelled';
      readonly errorName?: string;
      readonly variant?: string;
      /** Stage timings and recall of a multi-stage call. */
      readonly detail?: CallDetail;
      readonly attempts: number;
      /** Waited for a slot under the concurrency cap. */
      readonly waited: boolean;
    }
  | { readonly type: 'dropped'; readonly intendedMs: number; readonly reason: 'queue-full' | 'run-ended' | 'interrupted' };

/** Where the runner sends requests: a target, seen only through `send`. */
export interface RequestSender {
  send(payloadIndex: number, done: (outcome: CallOutcome) => void): TargetCall;
}

export interface OpenLoopRunnerOptions {
  readonly clock: Clock;
  /** Arrival times in ms from the start, in order; undefined when the schedule is over. */
  readonly arrivals: { next(): number | undefined };
  readonly sender: RequestSender;
  /** Payloads are used in turn. */
  readonly payloadCount: number;
  readonly maxInFlight: number;
  readonly maxWaiting: number;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly random: Random;
  readonly drainTimeoutMs: number;
  readonly stopGraceMs: number;
  readonly onEvent: (event: RunEvent) => void;
}

export interface RunTimes {
  readonly startMs: number;
  readonly endMs: number;
  /** When the schedule ended: its last arrival came due, or the run was stopped. */
  readonly scheduleEndMs: number;
  readonly lastSendMs: number | undefined;
  readonly interrupted: boolean;
}

interface RequestState {
  readonly intendedMs: number;
  readonly sentMs: number;
  readonly payload: number;
  readonly waited: boolean;
  attempt: number;
  finished: boolean;
  backingOff: boolean;
  call: TargetCall | undefined;
}

interface TimeoutEntry {
  readonly request: RequestState;
  readonly attempt: number;
  readonly deadlineMs: number;
}

/** Longest the scheduler busy-waits in one loop turn for arrivals about to come due. */
const MAX_INLINE_WAIT_MS = 0.05;

export class OpenLoopRunner {
  private t0 = 0;
  private nextOffset: number | undefined;
  private lastIntendedMs = Number.NEGATIVE_INFINITY;
  private sequence = 0;
  private inFlight = 0;
  private readonly live = new Set<RequestState>();
  private readonly waiting: number[] = [];
  private waitingHead = 0;
  private readonly timeouts: TimeoutEntry[] = [];
  private timeoutsHead = 0;
  private sweepTimer: TimerHandle | undefined;
  private scheduleDone = false;
  private scheduleEndMs = 0;
  private lastSendMs: number | undefined;
  private stopped = false;
  private interrupted = false;
  private finishTimer: TimerHandle | undefined;
  private resolve: ((times: RunTimes) => void) | undefined;
  private settled = false;

  constructor(private readonly options: OpenLoopRunnerOptions) {
    if (!(options.maxInFlight >= 1)) throw new RangeError(`maxInFlight must be >= 1, got ${options.maxInFlight}`);
    if (!(options.payloadCount >= 1)) throw new RangeError(`payloadCount must be >= 1, got ${options.payloadCount}`);
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  get requestsWaiting(): number {
    return this.waiting.length - this.waitingHead;
  }

  /** Runs the schedule from `startAtMs` (clock time); resolves when every request has an outcome. */
  run(startAtMs: number): Promise<RunTimes> {
    this.t0 = startAtMs;
    if (this.stopped) {
      // Stopped before it ran (Ctrl-C while the client warmed up): an interrupted run with no arrivals.
      const now = this.options.clock.now();
      return Promise.resolve({ startMs: now, endMs: now, scheduleEndMs: now, lastSendMs: undefined, interrupted: true });
    }
    this.nextOffset = this.options.arrivals.next();
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.options.clock.at(startAtMs, this.tick);
    });
  }

  /** Ends the run early: no more arrivals, waiting ones dropped, in-flight ones get the stop grace. */
  stop(): void {
    if (this.stopped || this.settled) return;
    this.stopped = true;
    this.interrupted = true;
    this.dropWaiting('interrupted');
    if (!this.scheduleDone) this.endSchedule();
    this.finishTimer?.cancel();
    this.finishTimer = this.options.clock.at(this.options.clock.now() + this.options.stopGraceMs, () => this.abandon());
    this.maybeSettle();
  }

  private readonly tick = (): void => {
    this.pump();
    this.sendImminent();
    this.armWake();
  };

  /**
   * Arms the wake for the next arrival. Timers have millisecond resolution: an arrival a
   * millisecond or more away is slept for. When arrivals come less than a millisecond apart
   * (above 1,000 requests/s) the loop re-checks on every turn, after pending I/O: sub-millisecond
   * precision costs a busy core, which a generator at that rate needs anyway (relying on
   * completions instead lets responses that come back in bursts make the sends bursty too).
   * Otherwise an arrival less than a millisecond away is caught by a completion (each one pumps)
   * or a 1 ms backstop timer.
   */
  private armWake(): void {
    if (this.nextOffset === undefined || this.stopped) return;
    const { clock } = this.options;
    const due = this.t0 + this.nextOffset;
    const now = clock.now();
    if (due - now >= 1) clock.at(due, this.tick);
    else if (due - this.lastIntendedMs < 1) clock.soon(this.tick);
    else clock.at(now + 1, this.tick);
  }

  /**
   * At the highest rates, arrivals a few tens of microseconds away are waited for right here,
   * briefly, rather than through another loop turn: every turn allocates an Immediate, and that
   * garbage (collector pauses) would become scheduler lag. The wait per turn is bounded, so
   * responses are never held back long.
   */
  private sendImminent(): void {
    const { clock } = this.options;
    const deadline = clock.now() + MAX_INLINE_WAIT_MS;
    while (this.nextOffset !== undefined && !this.stopped) {
      const due = this.t0 + this.nextOffset;
      if (due > deadline || !clock.spinUntil(due)) return;
      this.pump();
    }
  }

  /** Handles every arrival due by now. Also called after each completion, so a busy loop stays on time. */
  private pump(): void {
    if (this.stopped) return;
    const { clock, onEvent, maxInFlight, maxWaiting } = this.options;
    let now = clock.now();
    while (this.nextOffset !== undefined && this.t0 + this.nextOffset <= now) {
      const intendedMs = this.t0 + this.nextOffset;
      this.lastIntendedMs = intendedMs;
      this.nextOffset = this.options.arrivals.next();
      onEvent({ type: 'arrival', intendedMs, lagMs: now - intendedMs });
      if (this.inFlight < maxInFlight) this.start(intendedMs, now, false);
      else if (this.requestsWaiting < maxWaiting) this.waiting.push(intendedMs);
      else onEvent({ type: 'dropped', intendedMs, reason: 'queue-full' });
      now = clock.now();
    }
    if (this.nextOffset === undefined && !this.scheduleDone) this.endSchedule();
  }

  private endSchedule(): void {
    this.scheduleDone = true;
    this.nextOffset = undefined;
    const now = this.options.clock.now();
    this.scheduleEndMs = now;
    if (!this.stopped) this.finishTimer = this.options.clock.at(now + this.options.drainTimeoutMs, () => this.abandon());
    this.maybeSettle();
  }

  private start(intendedMs: number, now: number, waited: boolean): void {
    const request: RequestState = {
      intendedMs,
      sentMs: now,
      payload: this.sequence++ % this.options.payloadCount,
      waited,
      attempt: 0,
      finished: false,
      backingOff: false,
      call: undefined,
    };
    this.inFlight++;
    this.live.add(request);
    this.lastSendMs = now;
    this.sendAttempt(request);
  }

  private sendAttempt(request: RequestState): void {
    const attempt = ++request.attempt;
    this.timeouts.push({ request, attempt, deadlineMs: this.options.clock.now() + this.options.timeoutMs });
    this.armSweep();
    request.call = this.options.sender.send(request.payload, (outcome) => this.onOutcome(request, attempt, outcome));
  }

  private onOutcome(request: RequestState, attempt: number, outcome: CallOutcome): void {
    if (request.finished || attempt !== request.attempt || request.backingOff) return;
    if (!outcome.ok) {
      const { retry, clock, random } = this.options;
      const errorClass = outcome.error.errorClass;
      if (isRetryable(errorClass) && request.attempt <= retry.maxRetries && !this.stopped) {
        request.backingOff = true;
        clock.at(clock.now() + backoffMs(retry, request.attempt, errorClass, random), () => {
          request.backingOff = false;
          if (!request.finished) this.sendAttempt(request);
        });
        return;
      }
      return this.finish(request, errorClass, outcome.error.name);
    }
    this.finish(request, 'ok', undefined, outcome.variant, outcome.detail);
  }

  private finish(request: RequestState, outcome: 'ok' | ErrorClass | 'cancelled', errorName?: string, variant?: string, detail?: CallDetail): void {
    const { clock, onEvent, maxInFlight } = this.options;
    request.finished = true;
    this.inFlight--;
    this.live.delete(request);
    const now = clock.now();
    onEvent({
      type: 'complete',
      intendedMs: request.intendedMs,
      sentMs: request.sentMs,
      endMs: now,
      outcome,
      errorName,
      variant,
      detail,
      attempts: request.attempt,
      waited: request.waited,
    });
    this.dropStaleTimeouts();
    if (!this.stopped && this.requestsWaiting > 0 && this.inFlight < maxInFlight) {
      const intendedMs = this.waiting[this.waitingHead++];
      if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitingHead);
        this.waitingHead = 0;
      }
      this.start(intendedMs, now, true);
    }
    this.pump();
    this.maybeSettle();
  }

  /** Forgets timeout entries of attempts that already ended; they sit mostly at the head. */
  private dropStaleTimeouts(): void {
    while (this.timeoutsHead < this.timeouts.length) {
      const e = this.timeouts[this.timeoutsHead];
      if (!e.request.finished && e.attempt === e.request.attempt) break;
      this.timeoutsHead++;
    }
    if (this.timeoutsHead > 1024 && this.timeoutsHead * 2 > this.timeouts.length) {
      this.timeouts.splice(0, this.timeoutsHead);
      this.timeoutsHead = 0;
    }
  }

  private armSweep(): void {
    if (this.sweepTimer || this.timeoutsHead >= this.timeouts.length) return;
    this.sweepTimer = this.options.clock.at(this.timeouts[this.timeoutsHead].deadlineMs, this.sweep);
  }

  private readonly sweep = (): void => {
    this.sweepTimer = undefined;
    const now = this.options.clock.now();
    while (this.timeoutsHead < this.timeouts.length) {
      const e = this.timeouts[this.timeoutsHead];
      const current = !e.request.finished && e.attempt === e.request.attempt;
      if (current && e.deadlineMs > now) break;
      this.timeoutsHead++;
      if (current && !e.request.backingOff) {
        e.request.call?.cancel();
        this.finish(e.request, 'timeout', 'Timeout');
      }
    }
    this.dropStaleTimeouts();
    this.armSweep();
  };

  private dropWaiting(reason: 'run-ended' | 'interrupted'): void {
    for (let i = this.waitingHead; i < this.waiting.length; i++) {
      this.options.onEvent({ type: 'dropped', intendedMs: this.waiting[i], reason });
    }
    this.waiting.length = 0;
    this.waitingHead = 0;
  }

  /** The drain deadline or stop grace has passed: whatever is left gets no outcome. */
  private abandon(): void {
    this.stopped = true;
    this.dropWaiting(this.interrupted ? 'interrupted' : 'run-ended');
    for (const request of [...this.live]) {
      request.call?.cancel();
      this.finish(request, 'cancelled');
    }
    this.maybeSettle();
  }

  private maybeSettle(): void {
    if (this.settled || !this.scheduleDone || this.inFlight > 0 || this.requestsWaiting > 0) return;
    this.settled = true;
    this.finishTimer?.cancel();
    this.sweepTimer?.cancel();
    this.resolve?.({
      startMs: this.t0,
      endMs: this.options.clock.now(),
      scheduleEndMs: this.scheduleEndMs,
      lastSendMs: this.lastSendMs,
      interrupted: this.interrupted,
    });
  }
}
