/**
 * `loadtest --fleet local|aws|gcp --tasks N`: the orchestrator side (start N tasks of this CLI,
 * wait, merge, report per-task health), and `--fleet-task i/N --fleet-store DIR`, what each task
 * runs: its shard of the schedule, started at the time the store gives, its result into the store.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { LoadTestOptions, LoadTestResult } from '../../load-tests/generator';
import { LoadTestOptionsError, runLoadTest } from '../../load-tests/generator';
import { TargetSetupError } from '../../load-tests/targets/target';
import {
  cloudRunFleetFromOutputs,
  ecsFleetFromOutputs,
  formatFleetHealth,
  LocalDirectoryStore,
  LocalProcessLauncher,
  runFleet,
  waitForStartTime,
  type FleetLauncher,
  type FleetProgress,
  type ShardResultStore,
} from '../../load-tests/fleet';
import { DEFAULT_TIMEOUT_MS } from '../../load-tests/generator/load-test-defaults';
import { scheduleDurationSeconds } from '../../load-tests/traffic/traffic-schedule';
import { EXIT } from '../exit-codes';
import { readJsonFile } from '../options/json-file';
import { UsageError } from '../options/usage-error';

export interface FleetCliInput {
  fleet?: 'local' | 'aws' | 'gcp';
  tasks?: number;
  fleetTask?: string;
  fleetStore?: string;
  stackOutputs?: string;
}

/** Tasks of one fleet at most: far beyond what one orchestrator polls comfortably, and ECS's 10 per RunTask call × 100. */
export const MAX_TASKS = 1000;
/** Local tasks load the CLI through tsx and warm their client: about 3 s each on a quiet core. */
const LOCAL_READY_TIMEOUT_MS = 120_000;
const LOCAL_START_LEAD_MS = 1000;
/** Fargate pulls the image and attaches a network interface first: tens of seconds per task, more for many. */
const CLOUD_READY_TIMEOUT_MS = 600_000;
/** Tasks poll the bucket for the start time; a few seconds of lead cover their polling and clock offsets. */
const CLOUD_START_LEAD_MS = 5000;
const RESULT_GRACE_MS = 5000;

/** The task count of a `--fleet` run (the option parsers have checked both values); a cloud fleet without its stack outputs is a usage error: nothing runs. */
export function parseFleet(input: FleetCliInput): number {
  if (input.tasks === undefined) throw new UsageError('--tasks: required with --fleet (how many tasks share the schedule)');
  if (input.fleet === 'aws' && !input.stackOutputs) {
    throw new UsageError('--stack-outputs: required with --fleet aws: the file `cdk deploy -c loadgen=true --outputs-file <file>` wrote (cluster, task definition, subnets, bucket)');
  }
  if (input.fleet === 'gcp' && !input.stackOutputs) {
    throw new UsageError('--stack-outputs: required with --fleet gcp: the file `pulumi stack output --json > <file>` wrote, from a stack with ml-serving-stacks:loadgen true (job, region, bucket)');
  }
  if (input.fleet === 'local' && input.stackOutputs) throw new UsageError('--stack-outputs: only with --fleet aws; --fleet local needs no stack');
  return input.tasks;
}

/** Where a fleet runs and meets: launcher, store, and how long starting may take. */
interface FleetSetup {
  readonly launcher: FleetLauncher;
  readonly store: ShardResultStore;
  readonly readyTimeoutMs: number;
  readonly startLeadMs: number;
}

function localSetup(): FleetSetup {
  return {
    launcher: new LocalProcessLauncher(),
    store: new LocalDirectoryStore(mkdtempSync(join(tmpdir(), 'serving-stacks-fleet-'))),
    readyTimeoutMs: LOCAL_READY_TIMEOUT_MS,
    startLeadMs: LOCAL_START_LEAD_MS,
  };
}

/** ECS Fargate tasks of the LoadGeneratorFleet stack, results under a new run prefix of its bucket. */
async function awsSetup(outputsFile: string): Promise<FleetSetup> {
  let fleet;
  try {
    fleet = ecsFleetFromOutputs(readJsonFile(`--stack-outputs ${outputsFile}`, outputsFile), `--stack-outputs ${outputsFile}`);
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError((e as Error).message);
  }
  // Loaded here, not at start-up: only a cloud fleet needs these clients.
  const [{ ECSClient }, { S3Client }, { EcsTaskLauncher }, { S3ResultStore }] = await Promise.all([import('@aws-sdk/client-ecs'), import('@aws-sdk/client-s3'), import('../../load-tests/fleet/ecs-task-launcher'), import('../../load-tests/fleet/s3-result-store')]);
  const runPrefix = `runs/${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}/`;
  return {
    launcher: new EcsTaskLauncher(new ECSClient({ region: fleet.region }), fleet),
    store: new S3ResultStore(new S3Client({ region: fleet.region, forcePathStyle: pathStyleS3() }), `s3://${fleet.bucket}/${runPrefix}`),
    readyTimeoutMs: CLOUD_READY_TIMEOUT_MS,
    startLeadMs: CLOUD_START_LEAD_MS,
  };
}

/** One execution of the LoadGeneratorJob, results under a new run prefix of its bucket. */
async function gcpSetup(outputsFile: string, tasks: number): Promise<FleetSetup> {
  let fleet;
  try {
    fleet = cloudRunFleetFromOutputs(readJsonFile(`--stack-outputs ${outputsFile}`, outputsFile), `--stack-outputs ${outputsFile}`);
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError((e as Error).message);
  }
  const [run, { Storage }, { CloudRunJobLauncher }, { GcsResultStore }] = await Promise.all([
    import('@google-cloud/run'),
    import('@google-cloud/storage'),
    import('../../load-tests/fleet/cloud-run-job-launcher'),
    import('../../load-tests/fleet/gcs-result-store'),
  ]);
  // REST mode (`fallback`): the transport the tests' local Cloud Run speaks.
  const clients = { jobs: new run.JobsClient({ fallback: true }), executions: new run.ExecutionsClient({ fallback: true }), tasks: new run.TasksClient({ fallback: true }) };
  const runPrefix = `runs/${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}/`;
  return {
    launcher: new CloudRunJobLauncher(clients, fleet.job, tasks),
    store: new GcsResultStore(new Storage().bucket(fleet.bucket), `gs://${fleet.bucket}/${runPrefix}`),
    readyTimeoutMs: CLOUD_READY_TIMEOUT_MS,
    startLeadMs: CLOUD_START_LEAD_MS,
  };
}

/** The store a task was told to use: a bucket location, or a directory. */
async function taskStore(location: string): Promise<ShardResultStore> {
  if (location.startsWith('gs://')) {
    const [{ Storage }, { GcsResultStore, parseGcsStoreLocation }] = await Promise.all([import('@google-cloud/storage'), import('../../load-tests/fleet/gcs-result-store')]);
    return new GcsResultStore(new Storage().bucket(parseGcsStoreLocation(location).bucket), location);
  }
  if (!location.startsWith('s3://')) return new LocalDirectoryStore(location);
  const [{ S3Client }, { S3ResultStore }] = await Promise.all([import('@aws-sdk/client-s3'), import('../../load-tests/fleet/s3-result-store')]);
  return new S3ResultStore(new S3Client({ forcePathStyle: pathStyleS3() }), location);
}

/** An S3 endpoint override (the SDK's AWS_ENDPOINT_URL_S3: an S3-compatible store, a local fake) is addressed by path, not by host name. */
function pathStyleS3(): boolean {
  return Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
}

/** The orchestrator: N tasks (local processes, ECS tasks or one Cloud Run execution), each `loadtest <the same options> --fleet-task i/N --fleet-store <store>`. */
export async function runCloudOrLocalFleet(
  input: FleetCliInput,
  tasks: number,
  options: LoadTestOptions,
  command: Command,
  signal: AbortSignal,
  report: (result: LoadTestResult) => void,
): Promise<void> {
  const { launcher, store, readyTimeoutMs, startLeadMs } =
    input.fleet === 'aws' ? await awsSetup(input.stackOutputs as string) : input.fleet === 'gcp' ? await gcpSetup(input.stackOutputs as string, tasks) : localSetup();
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
    readyTimeoutMs,
    startLeadMs,
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
  const { index, count } = fleetTaskIndex(input.fleetTask ?? '');
  if (!input.fleetStore) throw new UsageError('--fleet-store: required with --fleet-task (where the shared start time and the results are)');
  const store = await taskStore(input.fleetStore);
  const readyTimeoutMs = /^(s3|gs):\/\//.test(input.fleetStore) ? CLOUD_READY_TIMEOUT_MS : LOCAL_READY_TIMEOUT_MS;
  let result: LoadTestResult;
  try {
    result = await runLoadTest({
      ...options,
      fleetTask: { index, count },
      signal,
      startAt: async () => {
        await store.markReady(index);
        return waitForStartTime(store, readyTimeoutMs);
      },
    });
  } catch (e) {
    if (e instanceof LoadTestOptionsError || e instanceof TargetSetupError) throw new UsageError(e.message);
    throw e;
  }
  await store.putResult(index, result);
  process.stderr.write(`fleet task ${index + 1}/${count}: ${result.counts.scheduled} scheduled, ${result.counts.ok} ok, ${result.valid ? 'valid' : 'INVALID'}\n`);
}

/**
 * `i/N`, or `cloud-run/N` on a Cloud Run job, whose tasks share one set of arguments and learn their
 * index from CLOUD_RUN_TASK_INDEX (and the count from CLOUD_RUN_TASK_COUNT, which must agree).
 */
export function fleetTaskIndex(value: string, env: NodeJS.ProcessEnv = process.env): { index: number; count: number } {
  const cloudRun = /^cloud-run\/(\d+)$/.exec(value);
  if (cloudRun) {
    const [index, count] = [Number(env.CLOUD_RUN_TASK_INDEX), Number(cloudRun[1])];
    if (env.CLOUD_RUN_TASK_INDEX === undefined || !(index >= 0 && index < count) || Number(env.CLOUD_RUN_TASK_COUNT) !== count) {
      throw new UsageError(`--fleet-task ${value}: needs CLOUD_RUN_TASK_INDEX in 0..${count - 1} and CLOUD_RUN_TASK_COUNT ${count} (a Cloud Run job task), got ${env.CLOUD_RUN_TASK_INDEX ?? 'none'} and ${env.CLOUD_RUN_TASK_COUNT ?? 'none'}`);
    }
    return { index, count };
  }
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(index < count)) throw new UsageError(`--fleet-task: must be i/N with 0 <= i < N, got ${JSON.stringify(value)}`);
  return { index, count };
}

/** The options given on the command line, as arguments again, minus the orchestrator's own. */
export function taskArguments(command: Command): string[] {
  const own = new Set(['fleet', 'tasks', 'out', 'json', 'stackOutputs']);
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
