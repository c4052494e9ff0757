/**
 * `loadtest --fleet`: N tasks, each one shard of the schedule (every N-th arrival, at rate/N,
 * on its own intended-start clock), started together at one wall-clock time, their results
 * merged exactly (histograms add, as `loadtest merge`). A task that does not start, dies, or
 * whose result never arrives makes the run invalid and is named: never a silently smaller sample.
 */
import type { LoadTestResult } from '../generator/result-format';
import { mergeResults } from '../generator/merge-results';
import type { Threshold } from '../generator/thresholds';
import type { FleetLauncher, LaunchedTask, TaskExit } from './fleet-launcher';
import type { ShardResultStore } from './shard-result-store';

export type TaskState = 'ok' | 'invalid' | 'interrupted' | 'failed to start' | 'died' | 'no result';

export interface TaskHealth {
  readonly task: number;
  readonly state: TaskState;
  /** Why, for every state but ok. */
  readonly detail?: string;
  readonly result?: LoadTestResult;
}

export interface FleetRun {
  readonly tasks: readonly TaskHealth[];
  /** The merged result of the tasks that reported; undefined when none did. */
  readonly merged?: LoadTestResult;
}

export interface FleetProgress {
  readonly phase: 'starting' | 'running' | 'collecting';
  readonly ready: number;
  readonly results: number;
  readonly failed: number;
  readonly tasks: number;
  readonly elapsedSeconds: number;
  readonly durationSeconds: number;
}

export interface FleetOptions {
  readonly launcher: FleetLauncher;
  readonly store: ShardResultStore;
  readonly tasks: number;
  /** Arguments of task i to `serving-stacks loadtest` (its shard, the store). */
  readonly taskArgs: (task: number) => readonly string[];
  /** Schedule length; with `drainMs` it sets when a missing result counts as never arriving. */
  readonly durationSeconds: number;
  readonly drainMs: number;
  /** How long tasks may take to become ready (process start, client warm-up; a Fargate launch). */
  readonly readyTimeoutMs: number;
  /** Between setting the start time and the first arrival, so every task reads it in time. */
  readonly startLeadMs: number;
  /** Extra time after the end of the schedule and drain for results to arrive. */
  readonly resultGraceMs: number;
  readonly thresholds?: readonly Threshold[];
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FleetProgress) => void;
}

export async function runFleet(options: FleetOptions): Promise<FleetRun> {
  const { store, tasks: count } = options;
  const pollMs = options.pollMs ?? 100;
  const launched: LaunchedTask[] = [];
  const exits: (TaskExit | undefined)[] = Array.from({ length: count }, () => undefined);
  const health: (TaskHealth | undefined)[] = Array.from({ length: count }, () => undefined);
  for (let i = 0; i < count; i++) {
    const task = options.launcher.launch(i, options.taskArgs(i));
    launched.push(task);
    void task.exited.then((exit) => (exits[i] = exit));
  }
  const stopAll = () => launched.forEach((t) => t.stop());
  options.signal?.addEventListener('abort', stopAll);
  const began = Date.now();
  const progress = (phase: FleetProgress['phase'], ready: number) =>
    options.onProgress?.({
      phase,
      ready,
      results: health.filter((h) => h?.result).length,
      failed: health.filter((h) => h && !h.result).length,
      tasks: count,
      elapsedSeconds: Math.max(0, (Date.now() - began) / 1000),
      durationSeconds: options.durationSeconds,
    });

  try {
    // 1. Every task ready (client built and warmed up), or the run does not start.
    const readyBy = Date.now() + options.readyTimeoutMs;
    let ready = await store.readyTasks();
    while (ready.size < count && !options.signal?.aborted) {
      for (let i = 0; i < count; i++) {
        if (!ready.has(i) && exits[i] && !health[i]) health[i] = { task: i, state: 'failed to start', detail: describeExit(exits[i] as TaskExit) };
      }
      if (health.some(Boolean) || Date.now() > readyBy) break;
      progress('starting', ready.size);
      await sleep(pollMs);
      ready = await store.readyTasks();
    }
    if (ready.size < count || options.signal?.aborted) {
      const why = options.signal?.aborted
        ? 'interrupted before the start'
        : health.some(Boolean)
          ? 'stopped before the start: another task failed to start'
          : `not ready after ${Math.round(options.readyTimeoutMs / 1000)} s`;
      for (let i = 0; i < count; i++) health[i] ??= { task: i, state: 'failed to start', detail: ready.has(i) ? why.replace(/^/, 'ready, ') : why };
      launched.forEach((t) => t.kill());
      return { tasks: health as TaskHealth[] };
    }

    // 2. One start time for all; then results until each has one, has died, or is overdue.
    const startAt = Date.now() + options.startLeadMs;
    await store.putStartTime(startAt);
    const overdueAt = startAt + options.durationSeconds * 1000 + options.drainMs + options.resultGraceMs;
    const exitedAt: (number | undefined)[] = [];
    while (health.some((h) => !h)) {
      for (let i = 0; i < count; i++) {
        if (health[i]) continue;
        const result = await store.getResult(i);
        if (result) health[i] = { task: i, ...judge(result), result };
        else if (exits[i]) {
          // The process has ended; its result, written just before, gets a moment to show up.
          exitedAt[i] ??= Date.now();
          if (Date.now() - (exitedAt[i] as number) > options.resultGraceMs) health[i] = { task: i, state: 'died', detail: `${describeExit(exits[i] as TaskExit)}, without a result` };
        } else if (Date.now() > overdueAt) {
          health[i] = { task: i, state: 'no result', detail: `no result ${Math.round((Date.now() - startAt) / 1000)} s after the start (the schedule takes ${options.durationSeconds} s): stopped` };
          launched[i].kill();
        }
      }
      progress(Date.now() < startAt + options.durationSeconds * 1000 ? 'running' : 'collecting', count);
      if (health.some((h) => !h)) await sleep(pollMs * 2.5);
    }
  } finally {
    options.signal?.removeEventListener('abort', stopAll);
  }

  const tasks = health as TaskHealth[];
  const reported = tasks.filter((t) => t.result);
  if (reported.length === 0) return { tasks };
  const missing = tasks.filter((t) => !t.result).map((t) => `task ${t.task + 1} of ${count}: ${t.state} (${t.detail}); the merged result lacks its share of the arrivals`);
  const merged = mergeResults(
    reported.map((t) => t.result as LoadTestResult),
    options.thresholds ?? [],
    { label: (i) => `task ${reported[i].task + 1}`, invalidReasons: missing },
  );
  return { tasks, merged };
}

function judge(result: LoadTestResult): { state: TaskState; detail?: string } {
  if (result.interrupted) return { state: 'interrupted', detail: 'stopped before the end of the schedule' };
  if (!result.valid) return { state: 'invalid', detail: result.invalidReasons.join('; ') };
  return { state: 'ok' };
}

function describeExit(exit: TaskExit): string {
  const how = exit.launchError ?? (exit.signal ? `ended by ${exit.signal}` : `exited with code ${exit.code}`);
  // The task's own error line says it best; otherwise its last words.
  const lines = exit.stderrTail.split('\n').filter((l) => l.trim());
  const last = (lines.find((l) => /^(error|internal error)/.test(l)) ?? lines.slice(-2).join(' / ')).trim();
  return last ? `${how}: ${last}` : how;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
