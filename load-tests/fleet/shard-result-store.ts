/**
 * Where a fleet's tasks and the orchestrator meet: each task says it is ready, reads the shared
 * start time, and leaves its result; the orchestrator reads them back. A local directory for
 * `--fleet local`; an S3 or GCS bucket for the cloud fleets, through this same interface.
 * Every object is written whole or not at all, so a reader never sees half a result.
 */
import type { LoadTestResult } from '../generator/result-format';

export interface ShardResultStore {
  /** Where it is, for messages (a directory, s3://bucket/prefix, gs://bucket/prefix). */
  readonly location: string;
  markReady(task: number): Promise<void>;
  /** The tasks that have said they are ready. */
  readyTasks(): Promise<ReadonlySet<number>>;
  putStartTime(epochMs: number): Promise<void>;
  /** The shared start time, or undefined while the orchestrator has not set it. */
  getStartTime(): Promise<number | undefined>;
  putResult(task: number, result: LoadTestResult): Promise<void>;
  /** The task's result, or undefined while it has not arrived. */
  getResult(task: number): Promise<LoadTestResult | undefined>;
}

/** Polls the store until the orchestrator sets the start time, or gives up after `timeoutMs`. */
export async function waitForStartTime(store: ShardResultStore, timeoutMs: number, pollMs = 100): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const start = await store.getStartTime();
    if (start !== undefined) return start;
    if (Date.now() > deadline) throw new Error(`no start time in ${store.location} after ${Math.round(timeoutMs / 1000)} s: the orchestrator is gone or another task never became ready`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
