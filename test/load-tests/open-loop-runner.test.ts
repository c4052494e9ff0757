/**
 * The open-loop scheduler on a fake clock: exact arrival times, latencies from the intended send
 * time, the concurrency cap, drops, timeouts, retries, drain and interruption.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../load-tests/clock/manual-clock';
import { Random } from '../../load-tests/replica/random';
import { OpenLoopRunner, type RunEvent } from '../../load-tests/generator/open-loop-runner';
import { NO_RETRIES, retryPolicy } from '../../load-tests/generator/retry-policy';
import { ArrivalIterator } from '../../load-tests/generator/arrivals';
import { steadySchedule } from '../../load-tests/traffic/traffic-schedule';
import type { ErrorClass } from '../../load-tests/targets/error-classification';
import type { CallOutcome } from '../../load-tests/targets/target';

type Complete = Extract<RunEvent, { type: 'complete' }>;

/** A target on the fake clock: answers after `latencyMs(sentAt)`, with `outcome(sequence)`. */
function fakeTarget(clock: ManualClock, latencyMs: (sentAt: number) => number | undefined, outcome: (n: number) => CallOutcome = () => ({ ok: true })) {
  let n = 0;
  const cancelled: number[] = [];
  return {
    cancelled,
    sender: {
      send(_payload: number, done: (o: CallOutcome) => void) {
        const sequence = n++;
        const latency = latencyMs(clock.now());
        const timer = latency === undefined ? undefined : clock.at(clock.now() + latency, () => done(outcome(sequence)));
        return { cancel: () => (timer?.cancel(), cancelled.push(sequence)) };
      },
    },
  };
}

function failure(errorClass: ErrorClass, name: string): CallOutcome {
  return { ok: false, error: { errorClass, name } };
}

function run(
  clock: ManualClock,
  target: ReturnType<typeof fakeTarget>,
  options: { rate: number; seconds: number; maxInFlight?: number; maxWaiting?: number; timeoutMs?: number; retries?: number; drainTimeoutMs?: number; maxRequests?: number },
) {
  const events: RunEvent[] = [];
  const runner = new OpenLoopRunner({
    clock,
    arrivals: new ArrivalIterator(steadySchedule(options.rate, options.seconds), {
      shardIndex: 0,
      shardCount: 1,
      process: 'uniform',
      seed: 1,
      maxRequests: options.maxRequests,
    }),
    sender: target.sender,
    payloadCount: 3,
    maxInFlight: options.maxInFlight ?? 1000,
    maxWaiting: options.maxWaiting ?? 1000,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: options.retries ? retryPolicy(options.retries) : NO_RETRIES,
    random: new Random(3),
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    stopGraceMs: 500,
    onEvent: (e) => events.push(e),
  });
  const done = runner.run(1000);
  const completes = () => events.filter((e): e is Complete => e.type === 'complete');
  return { runner, events, done, completes };
}

describe('open-loop runner on a fake clock', () => {
  it('sends on schedule and times each request from its intended send', async () => {
    const clock = new ManualClock(0);
    const { events, done, completes } = run(clock, fakeTarget(clock, () => 30), { rate: 10, seconds: 1 });
    clock.runUntilIdle();
    const times = await done;
    const arrivals = events.filter((e) => e.type === 'arrival');
    expect(arrivals.map((e) => e.intendedMs)).toEqual([1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900]);
    expect(arrivals.every((e) => e.type === 'arrival' && e.lagMs === 0)).toBe(true);
    expect(completes().map((e) => e.endMs - e.intendedMs)).toEqual(Array(10).fill(30));
    expect(times).toMatchObject({ startMs: 1000, endMs: 1930, lastSendMs: 1900, interrupted: false });
  });

  it('holds arrivals less than a millisecond apart to the microsecond', async () => {
    const clock = new ManualClock(0);
    const { events, done, completes } = run(clock, fakeTarget(clock, () => 0.1), { rate: 2000, seconds: 0.5 });
    clock.runUntilIdle();
    await done;
    const lags = events.flatMap((e) => (e.type === 'arrival' ? [e.lagMs] : []));
    expect(lags).toHaveLength(1000);
    expect(Math.max(...lags)).toBeLessThanOrEqual(0.001);
    expect(completes().every((e) => Math.abs(e.endMs - e.intendedMs - 0.1) <= 0.001)).toBe(true);
  });

  it('holds them to the microsecond with requests in flight too', async () => {
    const clock = new ManualClock(0);
    const { events, done } = run(clock, fakeTarget(clock, () => 3), { rate: 2000, seconds: 0.5 });
    clock.runUntilIdle();
    await done;
    const lags = events.flatMap((e) => (e.type === 'arrival' ? [e.lagMs] : []));
    expect(lags).toHaveLength(1000);
    expect(Math.max(...lags)).toBeLessThanOrEqual(0.001);
  });

  it('keeps sending while the target stalls: later arrivals wait out the stall, timed from intended send', async () => {
    const clock = new ManualClock(0);
    // The target answers nothing sent between 1200 and 1500 until 1500.
    const target = fakeTarget(clock, (t) => (t >= 1200 && t < 1500 ? 1500 - t : 10));
    const { completes, done } = run(clock, target, { rate: 10, seconds: 1 });
    clock.runUntilIdle();
    await done;
    const latency = completes().map((e) => [e.intendedMs, e.endMs - e.intendedMs]);
    expect(latency).toEqual([
      [1000, 10],
      [1100, 10],
      [1200, 300],
      [1300, 200],
      [1400, 100],
      [1500, 10],
      [1600, 10],
      [1700, 10],
      [1800, 10],
      [1900, 10],
    ]);
  });

  it('holds arrivals over the concurrency cap, sends them late and still times them from intended send', async () => {
    const clock = new ManualClock(0);
    const target = fakeTarget(clock, (t) => (t >= 1200 && t < 1500 ? 1500 - t : 10));
    const { completes, done } = run(clock, target, { rate: 10, seconds: 1, maxInFlight: 1 });
    clock.runUntilIdle();
    await done;
    const byIntended = new Map(completes().map((e) => [e.intendedMs, e]));
    // 1200 holds the only slot until 1500; 1300 and 1400 wait and go out one after the other,
    // and 1500, due when the slot has just been taken again, queues behind them.
    expect(byIntended.get(1200)).toMatchObject({ sentMs: 1200, endMs: 1500, waited: false });
    expect(byIntended.get(1300)).toMatchObject({ sentMs: 1500, endMs: 1510, waited: true });
    expect(byIntended.get(1400)).toMatchObject({ sentMs: 1510, endMs: 1520, waited: true });
    expect(byIntended.get(1500)).toMatchObject({ sentMs: 1520, endMs: 1530, waited: true });
    expect(byIntended.get(1600)).toMatchObject({ sentMs: 1600, endMs: 1610, waited: false });
    expect(completes().filter((e) => e.waited)).toHaveLength(3);
  });

  it('drops arrivals beyond the wait queue', async () => {
    const clock = new ManualClock(0);
    const { events, done } = run(clock, fakeTarget(clock, () => 1000), { rate: 10, seconds: 1, maxInFlight: 2, maxWaiting: 3 });
    clock.runUntilIdle();
    await done;
    const dropped = events.filter((e) => e.type === 'dropped');
    expect(dropped.map((e) => e.intendedMs)).toEqual([1500, 1600, 1700, 1800, 1900]);
    expect(dropped.every((e) => e.type === 'dropped' && e.reason === 'queue-full')).toBe(true);
  });

  it('times out a request that never answers and cancels its call', async () => {
    const clock = new ManualClock(0);
    const target = fakeTarget(clock, (t) => (t === 1100 ? undefined : 5));
    const { completes, done } = run(clock, target, { rate: 10, seconds: 0.3, timeoutMs: 250 });
    clock.runUntilIdle();
    await done;
    const timedOut = completes().filter((e) => e.outcome === 'timeout');
    expect(timedOut).toEqual([expect.objectContaining({ intendedMs: 1100, endMs: 1350, errorName: 'Timeout' })]);
    expect(target.cancelled).toEqual([1]);
  });

  it('retries throttles with backoff when asked, and never a model error', async () => {
    const clock = new ManualClock(0);
    const outcomes = [failure('throttled', 'ThrottlingException'), failure('throttled', 'ThrottlingException'), { ok: true } as const, failure('modelError', 'ModelError')];
    const target = fakeTarget(clock, () => 10, (n) => outcomes[n]);
    // Arrivals 4 s apart: the first request's retries (at most 1.53 s) end before the second is sent.
    const { completes, done } = run(clock, target, { rate: 0.25, seconds: 8, retries: 3 });
    clock.runUntilIdle();
    await done;
    const [first, second] = completes();
    expect(first).toMatchObject({ outcome: 'ok', attempts: 3, intendedMs: 1000 });
    // Two backoffs of at most 500 ms and 1000 ms (throttle base, doubled), plus three 10 ms calls.
    expect(first.endMs - first.intendedMs).toBeGreaterThanOrEqual(30);
    expect(first.endMs - first.intendedMs).toBeLessThanOrEqual(1530);
    expect(second).toMatchObject({ outcome: 'modelError', attempts: 1, errorName: 'ModelError' });
  });

  it('leaves retries off by default', async () => {
    const clock = new ManualClock(0);
    const target = fakeTarget(clock, () => 10, () => failure('throttled', 'ThrottlingException'));
    const { completes, done } = run(clock, target, { rate: 5, seconds: 1 });
    clock.runUntilIdle();
    await done;
    expect(completes().every((e) => e.outcome === 'throttled' && e.attempts === 1)).toBe(true);
  });

  it('stops after max requests', async () => {
    const clock = new ManualClock(0);
    const { events, done } = run(clock, fakeTarget(clock, () => 1), { rate: 100, seconds: 10, maxRequests: 7 });
    clock.runUntilIdle();
    await done;
    expect(events.filter((e) => e.type === 'arrival')).toHaveLength(7);
  });

  it('cancels what is still in flight at the drain deadline', async () => {
    const clock = new ManualClock(0);
    const target = fakeTarget(clock, (t) => (t === 1000 ? undefined : 1));
    const { completes, done } = run(clock, target, { rate: 10, seconds: 0.2, timeoutMs: 60_000, drainTimeoutMs: 400 });
    clock.runUntilIdle();
    const times = await done;
    expect(completes().find((e) => e.intendedMs === 1000)).toMatchObject({ outcome: 'cancelled', endMs: 1500 });
    expect(times.interrupted).toBe(false);
  });

  it('on stop, ends arrivals, drops the waiting and gives in-flight requests a grace period', async () => {
    const clock = new ManualClock(0);
    const { runner, events, done, completes } = run(clock, fakeTarget(clock, () => 10_000), { rate: 10, seconds: 10, maxInFlight: 2 });
    clock.advanceTo(1450);
    runner.stop();
    clock.runUntilIdle();
    const times = await done;
    expect(times.interrupted).toBe(true);
    expect(events.filter((e) => e.type === 'arrival')).toHaveLength(5);
    expect(events.filter((e) => e.type === 'dropped' && e.reason === 'interrupted')).toHaveLength(3);
    expect(completes().map((e) => [e.outcome, e.endMs])).toEqual([
      ['cancelled', 1950],
      ['cancelled', 1950],
    ]);
  });
});
