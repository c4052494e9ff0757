/**
 * `loadtest --fleet local|aws|gcp --tasks N`: the orchestrator side (start N tasks of this CLI,
 * wait, merge, report per-task health), and `--fleet-task i/N --fleet-store DIR`, what each task
 * runs: its shard of the schedule, started at the time the store gives, its result into the store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { LoadTestOptions, LoadTestResult } from '../../load-tests/generator';
import { LoadTestOptionsError, runLoadTest } from '../../load-tests/generator';
import { TargetSetupError } from '../../load-tests/targets/target';
import { formatFleetHealth, LocalDirectoryStore, LocalProcessLauncher, runFleet, waitForStartTime, type FleetProgress } from '../../load-tests/fleet';
import { DEFAULT_TIMEOUT_MS } from '../../load-tests/generator/load-test-defaults';
import { scheduleDurationSeconds } from '../../load-tests/traffic/traffic-schedule';
import { EXIT } from '../exit-codes';
import { UsageError } from '../options/usage-error';

export interface FleetCliInput {
  fleet?: 'local' | 'aws' | 'gcp';
  tasks?: number;
  fleetTask?: string;
  fleetStore?: string;
}

/** Tasks of one fleet at most: far beyond what one orchestrator polls comfortably, and ECS's 10 per RunTask call × 100. */
export const MAX_TASKS = 1000;
/** Local tasks load the CLI through tsx and warm their client: about 3 s each on a quiet core. */
const LOCAL_READY_TIMEOUT_MS = 120_000;
const LOCAL_START_LEAD_MS = 1000;
const RESULT_GRACE_MS = 5000;

const MISSING: Record<string, string> = {
  aws: 'the LoadGeneratorFleet CDK stack (ECS cluster, Fargate task definition, results bucket) and the ECS RunTask launcher with its S3 result store',
  gcp: 'the LoadGeneratorJob Pulumi component (Cloud Run v2 job, results bucket) and the Cloud Run RunJob launcher with its GCS result store',
};

/** The task count of a `--fleet` run (the option parsers have checked both values); a fleet not built yet is a usage error: nothing runs. */
export function parseFleet(input: FleetCliInput): number {
  if (input.fleet === 'aws' || input.fleet === 'gcp') {
    throw new UsageError(`--fleet ${input.fleet}: not built yet: it needs ${MISSING[input.fleet]}. Use --fleet local (the same shards as local processes) or loadtest merge of runs from several machines.`);
  }
  if (input.tasks === undefined) throw new UsageError('--tasks: required with --fleet (how many tasks share the schedule)');
  return input.tasks;
}

/** The orchestrator: N local tasks, each `loadtest <the same options> --fleet-task i/N --fleet-store DIR`. */
export async function runLocalFleet(
  tasks: number,
  options: LoadTestOptions,
  command: Command,
  signal: AbortSignal,
  report: (result: LoadTestResult) => void,
): Promise<void> {
  const store = new LocalDirectoryStore(mkdtempSync(join(tmpdir(), 'serving-stacks-fleet-')));
  const launcher = new LocalProcessLauncher();
  const shared = taskArguments(command);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  process.stderr.write(`loadtest: ${tasks} tasks as ${launcher.description}, each 1 in ${tasks} arrivals at 1/${tasks} of the rate; results in ${store.location}\n`);
  const run = await runFleet({
    launcher,
    store,
    tasks,
    taskArgs: (i) => [...shared, '--fleet-task', `${i}/${tasks}`, '--fleet-store', store.location],
    durationSeconds: scheduleDurationSeconds(options.schedule),
    drainMs: options.drainTimeoutMs ?? timeoutMs,
    readyTimeoutMs: LOCAL_READY_TIMEOUT_MS,
    startLeadMs: LOCAL_START_LEAD_MS,
    resultGraceMs: RESULT_GRACE_MS,
    thresholds: options.thresholds,
    signal,
    onProgress: progressLine(),
  });
  const health = formatFleetHealth(run, launcher.description, store.location);
  if (!run.merged) {
    process.stderr.write(health);
    process.exitCode = EXIT.invalidRun;
    return;
  }
  report(run.merged);
  process.stderr.write(health);
}

/** One task of a fleet: its shard, started when the store says, its result into the store. */
export async function runFleetTask(input: FleetCliInput, options: LoadTestOptions, signal: AbortSignal): Promise<void> {
  const match = /^(\d+)\/(\d+)$/.exec(input.fleetTask ?? '');
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(index < count)) throw new UsageError(`--fleet-task: must be i/N with 0 <= i < N, got ${JSON.stringify(input.fleetTask)}`);
  if (!input.fleetStore) throw new UsageError('--fleet-store: required with --fleet-task (where the shared start time and the results are)');
  const store = new LocalDirectoryStore(input.fleetStore);
  let result: LoadTestResult;
  try {
    result = await runLoadTest({
      ...options,
      fleetTask: { index, count },
      signal,
      startAt: async () => {
        await store.markReady(index);
        return waitForStartTime(store, LOCAL_READY_TIMEOUT_MS);
      },
    });
  } catch (e) {
    if (e instanceof LoadTestOptionsError || e instanceof TargetSetupError) throw new UsageError(e.message);
    throw e;
  }
  await store.putResult(index, result);
  process.stderr.write(`fleet task ${index + 1}/${count}: ${result.counts.scheduled} scheduled, ${result.counts.ok} ok, ${result.valid ? 'valid' : 'INVALID'}\n`);
}

/** The options given on the command line, as arguments again, minus the orchestrator's own. */
export function taskArguments(command: Command): string[] {
  const own = new Set(['fleet', 'tasks', 'out', 'json']);
  const values = command.opts<Record<string, unknown>>();
  return command.options.flatMap((option) => {
    const key = option.attributeName();
    if (own.has(key) || command.getOptionValueSource(key) !== 'cli') return [];
    const value = values[key];
    const flag = option.long as string;
    if (value === true) return [flag];
    return (Array.isArray(value) ? value : [value]).flatMap((v) => [flag, String(v)]);
  });
}

/** A line on each change of phase or count, and every 5 s while running. */
function progressLine(): (p: FleetProgress) => void {
  let last = '';
  let lastAt = 0;
  return (p) => {
    const key = `${p.phase} ${p.ready} ${p.results} ${p.failed}`;
    if (key === last && Date.now() - lastAt < 5000) return;
    last = key;
    lastAt = Date.now();
    const counts = p.phase === 'starting' ? `${p.ready}/${p.tasks} ready` : `${p.results}/${p.tasks} results${p.failed ? `, ${p.failed} failed` : ''}`;
    process.stderr.write(`fleet: ${p.phase}, ${counts}, ${Math.round(p.elapsedSeconds)} s (schedule ${p.durationSeconds} s)\n`);
  };
}
