/**
 * The fleet orchestrator against tasks that behave as cloud tasks can: report, report an invalid
 * run, fail to start, die mid-run, or never deliver. The tasks are in-process fakes speaking
 * through the real local-directory store; timings are bounded, never asserted.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../load-tests/generator/arrivals';
import type { LoadTestResult } from '../../load-tests/generator/result-format';
import { DEFAULT_HEALTH_LIMITS, summarizeShards } from '../../load-tests/generator/summarize';
import { LocalDirectoryStore, runFleet, waitForStartTime, type FleetLauncher, type LaunchedTask, type TaskExit } from '../../load-tests/fleet';
import { steadySchedule } from '../../load-tests/traffic/traffic-schedule';
import { fakeShard } from '../load-tests/result-fixture';

type Behaviour = 'reports' | 'reports late sends' | 'fails to start' | 'dies mid-run' | 'never delivers';

/** Task i of n's share of a 10 req/s, 2 s run: arrivals k ≡ i (mod n), as the generator shards them. */
function taskResult(i: number, n: number, lagMs = 0): LoadTestResult {
  const requests = Array.from({ length: 20 }, (_, k) => k)
    .filter((k) => k % n === i)
    .map((k) => ({ intendedMs: k * 100, latencyMs: 10 + k, lagMs }));
  return summarizeShards([fakeShard(requests, Date.UTC(2026, 0, 1))], {
    target: { kind: 'http', endpoint: 'http://127.0.0.1:1/invocations', client: 'test' },
    schedule: describeSchedule('steady', steadySchedule(10 / n, 2), 'uniform', undefined),
    workers: 1,
    cpuCores: 0.5,
    limits: DEFAULT_HEALTH_LIMITS,
    thresholds: [],
  });
}

class FakeTasks implements FleetLauncher {
  readonly description = 'fake tasks';
  readonly killed = new Set<number>();
  constructor(
    private readonly store: LocalDirectoryStore,
    private readonly behaviours: readonly Behaviour[],
  ) {}

  launch(task: number): LaunchedTask {
    let end: (exit: TaskExit) => void = () => undefined;
    const exited = new Promise<TaskExit>((resolve) => (end = resolve));
    const behaviour = this.behaviours[task];
    const n = this.behaviours.length;
    void (async () => {
      if (behaviour === 'fails to start') return end({ code: 1, stderrTail: 'error: cannot reach the sagemaker target ranker: ECONNREFUSED' });
      await this.store.markReady(task);
      await waitForStartTime(this.store, 10_000, 10);
      if (behaviour === 'dies mid-run') return end({ signal: 'SIGKILL', stderrTail: '' });
      if (behaviour === 'never delivers') return;
      await this.store.putResult(task, taskResult(task, n, behaviour === 'reports late sends' ? 40 : 0));
      end({ code: 0, stderrTail: '' });
    })();
    const kill = () => (this.killed.add(task), end({ signal: 'SIGKILL', stderrTail: '' }));
    return { exited, stop: kill, kill };
  }
}

async function fleet(behaviours: Behaviour[]) {
  const store = new LocalDirectoryStore(mkdtempSync(join(tmpdir(), 'fleet-test-')));
  const launcher = new FakeTasks(store, behaviours);
  const run = await runFleet({
    launcher,
    store,
    tasks: behaviours.length,
    taskArgs: () => [],
    durationSeconds: 0.2,
    drainMs: 100,
    readyTimeoutMs: 5000,
    startLeadMs: 20,
    resultGraceMs: 200,
    pollMs: 10,
  });
  return { run, killed: launcher.killed };
}

describe('runFleet', () => {
  it('merges every task\'s result into the whole run: counts add, histograms merge exactly', async () => {
    const { run } = await fleet(['reports', 'reports']);
    expect(run.tasks.map((t) => t.state)).toEqual(['ok', 'ok']);
    const whole = taskResult(0, 1);
    expect(run.merged?.counts).toEqual(whole.counts);
    expect(run.merged?.latencyMs).toEqual(whole.latencyMs);
    expect(run.merged?.valid).toBe(true);
    expect(run.merged?.schedule.peakRate).toBe(10);
  });

  it('fails when one task\'s generator was the bottleneck: the whole run is invalid, naming the task', async () => {
    const { run } = await fleet(['reports', 'reports late sends']);
    expect(run.tasks.map((t) => t.state)).toEqual(['ok', 'invalid']);
    expect(run.merged?.valid).toBe(false);
    expect(run.merged?.invalidReasons.some((r) => r.startsWith('task 2: scheduler lag p99'))).toBe(true);
  });

  it('fails when a task fails to start: nothing runs, the others are stopped, and the reason is kept', async () => {
    const { run, killed } = await fleet(['reports', 'fails to start', 'reports']);
    expect(run.merged).toBeUndefined();
    expect(run.tasks[1]).toMatchObject({ state: 'failed to start', detail: expect.stringMatching(/exited with code 1: error: cannot reach .*ECONNREFUSED/) });
    expect(run.tasks.filter((t) => t.state === 'failed to start')).toHaveLength(3);
    expect(killed).toEqual(new Set([0, 1, 2]));
  });

  it('fails when a task dies mid-run: the merged run is invalid and says whose share is missing', async () => {
    const { run } = await fleet(['reports', 'dies mid-run']);
    expect(run.tasks[1]).toMatchObject({ state: 'died', detail: 'ended by SIGKILL, without a result' });
    expect(run.merged?.counts.scheduled).toBe(10);
    expect(run.merged?.valid).toBe(false);
    expect(run.merged?.invalidReasons).toContain('task 2 of 2: died (ended by SIGKILL, without a result); the merged result lacks its share of the arrivals');
  });

  it('fails when a result never arrives: the task is stopped and reported, not waited for forever', async () => {
    const { run, killed } = await fleet(['never delivers', 'reports']);
    expect(run.tasks[0]).toMatchObject({ state: 'no result', detail: expect.stringMatching(/^no result \d+ s after the start .*: stopped$/) });
    expect(killed.has(0)).toBe(true);
    expect(run.merged?.valid).toBe(false);
    expect(run.merged?.invalidReasons[0]).toMatch(/^task 1 of 2: no result/);
  });
});
