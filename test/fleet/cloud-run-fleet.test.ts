/**
 * `--fleet gcp`'s launcher and store against local fakes of the Cloud Run Admin API v2 (REST) and
 * Cloud Storage (JSON API), with the official clients pointed at them: one RunJob execution with
 * a task per shard (each its index from CLOUD_RUN_TASK_INDEX), ListTasks for the ends, results
 * through the job's bucket. A task that exits without a result, one that never delivers: the run
 * says which and is invalid. Timings are bounded, never asserted.
 */
import { ExecutionsClient, JobsClient, TasksClient } from '@google-cloud/run';
import { Storage } from '@google-cloud/storage';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeResults } from '../../load-tests/generator/merge-results';
import { runFleet, waitForStartTime } from '../../load-tests/fleet';
import { CloudRunJobLauncher, sharedArguments } from '../../load-tests/fleet/cloud-run-job-launcher';
import { GcsResultStore } from '../../load-tests/fleet/gcs-result-store';
import { fakeResult } from '../load-tests/result-fixture';
import { FakeCloudRun, type FakeCloudRunTask } from './fakes/fake-cloud-run';
import { FakeGcs } from './fakes/fake-gcs';

type Behaviour = 'reports' | 'dies mid-run' | 'never delivers';
const JOB = 'projects/example-project/locations/us-central1/jobs/news-dev-loadgen';
const BUCKET = 'news-loadgen-results-1a2b3c';
const gcs = new FakeGcs([BUCKET]);
let storage: Storage;

/** A token that never expires: no network, no credentials. The clients' own google-auth-library is another copy of the same class, hence the cast. */
function auth(): NonNullable<ConstructorParameters<typeof JobsClient>[0]>['authClient'] {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'fake-token', expiry_date: Date.now() + 3_600_000 });
  return client as unknown as NonNullable<ConstructorParameters<typeof JobsClient>[0]>['authClient'];
}

const shardResult = (i: number, n: number) => fakeResult({ rate: 10 / n, seconds: 2, latencyMs: (k) => 10 + k * n + i, startedAtEpochMs: Date.UTC(2026, 0, 1) });

function container(behaviours: readonly Behaviour[]) {
  return async ({ args, env, signal }: FakeCloudRunTask): Promise<number> => {
    const at = (flag: string) => args[args.indexOf(flag) + 1];
    expect(at('--fleet-task')).toBe(`cloud-run/${behaviours.length}`);
    const i = Number(env.CLOUD_RUN_TASK_INDEX);
    const store = new GcsResultStore(storage.bucket(BUCKET), at('--fleet-store'));
    await store.markReady(i);
    const stopped = new Promise<'stopped'>((resolve) => signal.addEventListener('abort', () => resolve('stopped')));
    if ((await Promise.race([waitForStartTime(store, 10_000, 10), stopped])) === 'stopped') return 143;
    if (behaviours[i] === 'dies mid-run') return 137;
    if (behaviours[i] === 'never delivers') {
      await stopped;
      return 143;
    }
    await store.putResult(i, shardResult(i, behaviours.length));
    return 0;
  };
}

async function fleet(behaviours: Behaviour[], runId: string) {
  const run = new FakeCloudRun(JOB, container(behaviours));
  const url = new URL(await run.start());
  const [host, port] = [url.hostname, Number(url.port)];
  const options = { fallback: true as const, apiEndpoint: host, port, protocol: 'http', authClient: auth() };
  try {
    const location = `gs://${BUCKET}/runs/${runId}/`;
    const launcher = new CloudRunJobLauncher(
      { jobs: new JobsClient(options), executions: new ExecutionsClient(options), tasks: new TasksClient(options) },
      JOB,
      behaviours.length,
      { pollMs: 10 },
    );
    const result = await runFleet({
      launcher,
      store: new GcsResultStore(storage.bucket(BUCKET), location),
      tasks: behaviours.length,
      taskArgs: (i) => ['--rate', '10', '--fleet-task', `${i}/${behaviours.length}`, '--fleet-store', location],
      durationSeconds: 0.2,
      drainMs: 100,
      readyTimeoutMs: 10_000,
      startLeadMs: 20,
      resultGraceMs: 300,
      pollMs: 10,
    });
    return { run: result, fake: run };
  } finally {
    await run.close();
  }
}

beforeAll(async () => {
  storage = new Storage({ apiEndpoint: await gcs.start(), projectId: 'example-project' });
});
afterAll(() => gcs.close());

describe('loadtest --fleet gcp against local Cloud Run and Cloud Storage', () => {
  it('starts one execution of N tasks with the shared arguments, and merges the results exactly', async () => {
    const { run, fake } = await fleet(['reports', 'reports', 'reports'], 'happy');
    expect(run.tasks.map((t) => t.state)).toEqual(['ok', 'ok', 'ok']);
    const expected = mergeResults([0, 1, 2].map((i) => shardResult(i, 3)));
    expect(run.merged?.counts).toEqual(expected.counts);
    expect(run.merged?.latencyMs).toEqual(expected.latencyMs);
    expect(fake.runRequests).toEqual([{ overrides: { taskCount: 3, containerOverrides: [{ args: ['loadtest', '--rate', '10', '--fleet-task', 'cloud-run/3', '--fleet-store', `gs://${BUCKET}/runs/happy/`] }] } }]);
  });

  it('reports a task that exited without a result, with its exit code, and marks the run invalid', async () => {
    const { run } = await fleet(['reports', 'dies mid-run'], 'died');
    expect(run.tasks.map((t) => t.state)).toEqual(['ok', 'died']);
    expect(run.tasks[1].detail).toMatch(/exited with code 137.*failed with exit code 137.*without a result/);
    expect(run.merged?.valid).toBe(false);
  });

  it('reports a task whose result never arrives, and marks the run invalid', async () => {
    const { run } = await fleet(['never delivers', 'reports'], 'overdue');
    expect(run.tasks.map((t) => t.state)).toEqual(['no result', 'ok']);
    expect(run.merged?.invalidReasons.join('\n')).toContain('task 1 of 2: no result');
  });
});

describe('the Cloud Run fake refuses what Cloud Run refuses', () => {
  it('an unknown job, a task count above 10,000, a request without a token', async () => {
    const fake = new FakeCloudRun(JOB, async () => 0);
    const url = new URL(await fake.start());
    const [host, port] = [url.hostname, Number(url.port)];
    const jobs = new JobsClient({ fallback: true, apiEndpoint: host, port, protocol: 'http', authClient: auth() });
    try {
      // In REST mode the client rejects with the HTTP status and the API's JSON error as the message.
      await expect(jobs.runJob({ name: `${JOB}-other` })).rejects.toMatchObject({ status: 404, message: expect.stringContaining('"status":"NOT_FOUND"') });
      await expect(jobs.runJob({ name: JOB, overrides: { taskCount: 10_001 } })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('task_count must be between 1 and 10000') });
      const anonymous = new JobsClient({ fallback: true, apiEndpoint: host, port, protocol: 'http', authClient: new OAuth2Client() as unknown as ReturnType<typeof auth> });
      await expect(anonymous.runJob({ name: JOB })).rejects.toBeDefined();
    } finally {
      await fake.close();
    }
  });

  it('tasks whose arguments differ beyond --fleet-task cannot share one execution', () => {
    expect(() => sharedArguments([['--fleet-task', '0/2', '--rate', '1'], ['--fleet-task', '1/2', '--rate', '2']], 2)).toThrow("task 1's arguments differ from task 0's beyond --fleet-task");
  });
});
