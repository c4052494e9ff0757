/**
 * Acceptance: a stalled target shows up. At 200 requests/s against a server that stops answering
 * for one second in every five, about 20 % of requests wait for the stall's end, up to 1 s, so the
 * p99 of all requests is about 0.95 s (the 95th percentile of a uniform wait of up to 1 s), while
 * the p50 stays at the normal latency. The same holds with a concurrency cap smaller than the
 * 200 requests one stall holds: the requests over the cap are sent late, timed from their
 * intended send time, and counted late. The server, not the machine's speed, sets these values.
 */
import { describe, expect, it } from 'vitest';
import { runLoadTest } from '../../load-tests/generator/run-load-test';
import { steadySchedule } from '../../load-tests/traffic/traffic-schedule';
import { samplePayloads } from '../../load-tests/models/sample-payloads';
import { startStallServer } from './stall-server';

async function stalledRun(maxInFlight: number) {
  // One stall, from 2 s to 3 s after the warm-up request, inside a 5 s run.
  const server = await startStallServer({ everyMs: 5000, forMs: 1000, offsetMs: 2000 });
  try {
    return await runLoadTest({
      target: { kind: 'http', url: server.url, headers: {}, maxConnections: maxInFlight },
      schedule: steadySchedule(200, 5),
      profile: 'steady',
      payloads: samplePayloads('ranker', { count: 4 }),
      maxInFlight,
      timeoutMs: 10_000,
    });
  } finally {
    await server.close();
  }
}

describe.concurrent('a server that stalls 1 s in every 5, at 200 requests/s', () => {
  it('reports p99 near 0.95 s and p50 at the normal latency', async () => {
    const result = await stalledRun(1024);
    expect(result.counts.scheduled).toBe(1000);
    expect(result.counts.ok).toBe(1000);
    expect(result.counts.late).toBe(0);
    expect(result.latencyMs.corrected.p99).toBeGreaterThan(700);
    expect(result.latencyMs.corrected.p99).toBeLessThan(1200);
    expect(result.latencyMs.corrected.p50).toBeLessThan(50);
  });

  it('still does with a concurrency cap of 50, counting the late starts', async () => {
    const result = await stalledRun(50);
    expect(result.counts.ok).toBe(1000);
    // About 200 arrive during the stall; all but the 50 in flight wait for a slot.
    expect(result.counts.late).toBeGreaterThanOrEqual(120);
    expect(result.counts.late).toBeLessThanOrEqual(220);
    expect(result.latencyMs.corrected.p99).toBeGreaterThan(700);
    expect(result.latencyMs.corrected.p99).toBeLessThan(1200);
    expect(result.latencyMs.corrected.p50).toBeLessThan(50);
    // Timed from the actual send instead, the waiting requests would hide most of the stall.
    expect(result.latencyMs.uncorrected.p95).toBeLessThan(result.latencyMs.corrected.p95);
  });
});
