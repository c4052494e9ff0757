/**
 * `--fleet aws` end to end against local fakes of ECS (JSON 1.1) and S3 (REST, path-style), with
 * the official SDK clients pointed at them: tasks started by RunTask (one shard each), watched by
 * DescribeTasks, results through the S3 result store. A task that cannot be placed, one that dies,
 * one whose result never arrives: the run says which and is invalid, never a smaller sample.
 * Timings are bounded, never asserted.
 */
import { ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { ListObjectsV2Command, NoSuchKey, S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSchedule } from '../../load-tests/generator/arrivals';
import { mergeResults } from '../../load-tests/generator/merge-results';
import type { LoadTestResult } from '../../load-tests/generator/result-format';
import { DEFAULT_HEALTH_LIMITS, summarizeShards } from '../../load-tests/generator/summarize';
import { runFleet, waitForStartTime } from '../../load-tests/fleet';
import { EcsTaskLauncher } from '../../load-tests/fleet/ecs-task-launcher';
import { S3ResultStore } from '../../load-tests/fleet/s3-result-store';
import { steadySchedule } from '../../load-tests/traffic/traffic-schedule';
import { fakeShard } from '../load-tests/result-fixture';
import { FakeEcs, type FakeContainer } from './fakes/fake-ecs';
import { FakeS3 } from './fakes/fake-s3';

type Behaviour = 'reports' | 'cannot be placed' | 'dies mid-run' | 'never delivers';
const BUCKET = 'news-dev-loadgen-111122223333-us-east-1';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** Task i of n's share of a 10 req/s, 2 s run (arrivals k ≡ i mod n), as the generator shards them. */
function taskResult(i: number, n: number): LoadTestResult {
  const requests = Array.from({ length: 20 }, (_, k) => k)
    .filter((k) => k % n === i)
    .map((k) => ({ intendedMs: k * 100, latencyMs: 10 + k, lagMs: 0 }));
  return summarizeShards([fakeShard(requests, Date.UTC(2026, 0, 1))], {
    target: { kind: 'http', endpoint: 'http://127.0.0.1:1/invocations', client: 'test' },
    schedule: describeSchedule('steady', steadySchedule(10 / n, 2), 'uniform', undefined),
    workers: 1,
    cpuCores: 0.5,
    limits: DEFAULT_HEALTH_LIMITS,
    thresholds: [],
  });
}

const s3 = new FakeS3([BUCKET]);
let s3Url = '';
const s3Client = () => new S3Client({ region: 'us-east-1', endpoint: s3Url, forcePathStyle: true, credentials });

/** What a task's container does, from its command (`loadtest … --fleet-task i/N --fleet-store s3://…`). */
function container(behaviours: readonly Behaviour[]) {
  return async ({ command, signal }: FakeContainer): Promise<number> => {
    const at = (flag: string) => command[command.indexOf(flag) + 1];
    const [i, n] = at('--fleet-task').split('/').map(Number);
    const store = new S3ResultStore(s3Client(), at('--fleet-store'));
    await store.markReady(i);
    // StopTask ends a task that is still waiting for the start (another could not be placed).
    const stopped = new Promise<'stopped'>((resolve) => signal.addEventListener('abort', () => resolve('stopped')));
    if ((await Promise.race([waitForStartTime(store, 10_000, 10), stopped])) === 'stopped') return 143;
    if (behaviours[i] === 'dies mid-run') return 137;
    if (behaviours[i] === 'never delivers') {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      return 143;
    }
    await store.putResult(i, taskResult(i, n));
    return 0;
  };
}

async function fleet(behaviours: Behaviour[], runId: string) {
  const ecs = new FakeEcs({
    account: '111122223333',
    region: 'us-east-1',
    cluster: 'news-dev-loadgen',
    taskDefinitionFamily: 'news-dev-loadgen',
    container: 'loadgen',
    runContainer: container(behaviours),
    placementFailure: (command) =>
      behaviours[Number(command[command.indexOf('--fleet-task') + 1].split('/')[0])] === 'cannot be placed'
        ? { reason: 'RESOURCE:ENI', detail: 'no free IP addresses in subnet-0a' }
        : undefined,
  });
  const ecsUrl = await ecs.start();
  try {
    const location = `s3://${BUCKET}/runs/${runId}/`;
    const launcher = new EcsTaskLauncher(
      new ECSClient({ region: 'us-east-1', endpoint: ecsUrl, credentials }),
      { cluster: 'news-dev-loadgen', taskDefinition: 'news-dev-loadgen', container: 'loadgen', subnets: ['subnet-0a', 'subnet-0b'], securityGroups: ['sg-01'] },
      { pollMs: 10, callsPerSecond: 1000 },
    );
    const run = await runFleet({
      launcher,
      store: new S3ResultStore(s3Client(), location),
      tasks: behaviours.length,
      taskArgs: (i) => ['--rate', '10', '--fleet-task', `${i}/${behaviours.length}`, '--fleet-store', location],
      durationSeconds: 0.2,
      drainMs: 100,
      readyTimeoutMs: 10_000,
      startLeadMs: 20,
      resultGraceMs: 300,
      pollMs: 10,
    });
    return { run, ecs };
  } finally {
    await ecs.close();
  }
}

beforeAll(async () => {
  s3Url = await s3.start();
});
afterAll(() => s3.close());

describe('loadtest --fleet aws against local ECS and S3', () => {
  it('runs one RunTask per shard with its own command, and merges the results exactly', async () => {
    const { run, ecs } = await fleet(['reports', 'reports', 'reports'], 'happy');
    expect(run.tasks.map((t) => t.state)).toEqual(['ok', 'ok', 'ok']);
    const expected = mergeResults([0, 1, 2].map((i) => taskResult(i, 3)));
    expect(run.merged?.counts).toEqual(expected.counts);
    expect(run.merged?.latencyMs).toEqual(expected.latencyMs);
    expect(run.merged?.valid).toBe(true);
    expect(ecs.runTaskRequests).toHaveLength(3);
    for (const [i, request] of ecs.runTaskRequests.entries()) {
      expect(request).toMatchObject({
        cluster: 'news-dev-loadgen',
        launchType: 'FARGATE',
        count: 1,
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a', 'subnet-0b'], securityGroups: ['sg-01'], assignPublicIp: 'DISABLED' } },
        overrides: { containerOverrides: [{ name: 'loadgen', command: ['loadtest', '--rate', '10', '--fleet-task', `${i}/3`, '--fleet-store', `s3://${BUCKET}/runs/happy/`] }] },
      });
    }
    expect(s3.keys(BUCKET).filter((k) => k.startsWith('runs/happy/'))).toEqual(
      ['start.json', 'task-0.json', 'task-0.ready', 'task-1.json', 'task-1.ready', 'task-2.json', 'task-2.ready'].map((k) => `runs/happy/${k}`),
    );
  });

  it('reports a task RunTask could not place (failures[]) and starts nothing', async () => {
    const { run } = await fleet(['reports', 'cannot be placed', 'reports'], 'unplaced');
    expect(run.merged).toBeUndefined();
    expect(run.tasks[1]).toMatchObject({ state: 'failed to start', detail: expect.stringContaining('RunTask failed: RESOURCE:ENI (no free IP addresses in subnet-0a)') });
    expect(run.tasks.every((t) => t.state === 'failed to start')).toBe(true);
  });

  it('reports a task that stopped mid-run with its exit code, and marks the merged run invalid', async () => {
    const { run } = await fleet(['reports', 'dies mid-run', 'reports'], 'died');
    expect(run.tasks.map((t) => t.state)).toEqual(['ok', 'died', 'ok']);
    expect(run.tasks[1].detail).toMatch(/exited with code 137.*Essential container in task exited.*without a result/);
    expect(run.merged?.valid).toBe(false);
    expect(run.merged?.invalidReasons.join('\n')).toContain('task 2 of 3: died');
    expect(run.merged?.counts.scheduled).toBe(taskResult(0, 3).counts.scheduled + taskResult(2, 3).counts.scheduled);
  });

  it('stops a task whose result never arrives (StopTask) and marks the run invalid', async () => {
    const { run } = await fleet(['reports', 'reports', 'never delivers'], 'overdue');
    expect(run.tasks.map((t) => t.state)).toEqual(['ok', 'ok', 'no result']);
    expect(run.merged?.valid).toBe(false);
    expect(run.merged?.invalidReasons.join('\n')).toContain('task 3 of 3: no result');
  });
});

describe('the fakes refuse what the services refuse', () => {
  it('ECS: more than 10 tasks in one RunTask, no network configuration for Fargate, no task definition', async () => {
    const ecs = new FakeEcs({ account: '1', region: 'us-east-1', cluster: 'c', taskDefinitionFamily: 'f', container: 'loadgen', runContainer: async () => 0 });
    const client = new ECSClient({ region: 'us-east-1', endpoint: await ecs.start(), credentials });
    try {
      const network = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
      await expect(client.send(new RunTaskCommand({ cluster: 'c', taskDefinition: 'f', count: 11, networkConfiguration: network }))).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Count must be between 1 and 10.' });
      await expect(client.send(new RunTaskCommand({ cluster: 'c', taskDefinition: 'f', launchType: 'FARGATE' }))).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('Network Configuration must be provided') });
      await expect(client.send(new RunTaskCommand({ cluster: 'c', taskDefinition: '', networkConfiguration: network }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
      await expect(client.send(new RunTaskCommand({ cluster: 'other', taskDefinition: 'f', networkConfiguration: network }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
      const ok = await client.send(new RunTaskCommand({ cluster: 'c', taskDefinition: 'f', count: 10, networkConfiguration: network }));
      expect(ok.tasks).toHaveLength(10);
    } finally {
      await ecs.close();
    }
  });

  it('S3: a missing key is NoSuchKey, an unknown bucket NoSuchBucket, and ListObjectsV2 pages', async () => {
    const client = s3Client();
    await expect(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nothing/here' }))).rejects.toBeInstanceOf(NoSuchKey);
    await expect(client.send(new PutObjectCommand({ Bucket: 'not-a-bucket-here', Key: 'k', Body: 'x' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    for (const k of ['a', 'b', 'c']) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `paging/${k}`, Body: k }));
    const first = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'paging/', MaxKeys: 2 }));
    expect(first.Contents?.map((c) => c.Key)).toEqual(['paging/a', 'paging/b']);
    expect(first.IsTruncated).toBe(true);
    const second = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'paging/', MaxKeys: 2, ContinuationToken: first.NextContinuationToken }));
    expect(second.Contents?.map((c) => c.Key)).toEqual(['paging/c']);
    expect(second.IsTruncated).toBe(false);
  });
});
