/**
 * `loadtest --fleet aws` end to end on 127.0.0.1: the CLI reads the fleet's stack outputs, starts
 * tasks through a local ECS (JSON 1.1) whose containers are real processes of the CLI, the tasks
 * load the local SageMaker endpoint and leave their results in a local S3 (REST), and the
 * orchestrator merges them: the counts of one process at the same total rate. The SDK clients
 * reach the fakes through their standard endpoint variables (AWS_ENDPOINT_URL_ECS, _S3).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import type { LoadTestResult } from '../../load-tests/generator/result-format';
import { FakeEcs, type FakeContainer } from './fakes/fake-ecs';
import { FakeS3 } from './fakes/fake-s3';

const BUCKET = 'news-dev-loadgen-111122223333-us-east-1';
let emulator: EmulatorHandle;
const s3 = new FakeS3([BUCKET]);
let env: NodeJS.ProcessEnv;

/** A process of the CLI: `args`, with the environment that points the SDK at the fakes. */
function cli(args: readonly string[], signal?: AbortSignal): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/serving-stacks.js', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    signal?.addEventListener('abort', () => child.kill('SIGTERM'));
    child.on('close', (status) => (clearTimeout(timer), resolve({ status, stderr })));
  });
}

const ecs = new FakeEcs({
  account: '111122223333',
  region: 'us-east-1',
  cluster: 'news-dev-loadgen',
  taskDefinitionFamily: 'news-dev-loadgen',
  container: 'loadgen',
  // The container's entry point is the CLI (Dockerfile ENTRYPOINT); the override is its command.
  runContainer: async ({ command, signal }: FakeContainer) => (await cli(command, signal)).status ?? 137,
});

beforeAll(async () => {
  emulator = await startEmulator(resolveTopology(preset('dev')), { host: '127.0.0.1', port: 0 });
  const [s3Url, ecsUrl] = await Promise.all([s3.start(), ecs.start()]);
  env = {
    ...process.env,
    NO_COLOR: '1',
    CI: '1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_ENDPOINT_URL_ECS: ecsUrl,
    AWS_ENDPOINT_URL_S3: s3Url,
  };
});
afterAll(async () => {
  await Promise.all([ecs.close(), s3.close(), emulator?.close()]);
});

describe('loadtest --fleet aws', () => {
  it('--tasks 2 through ECS RunTask and S3 gives the request counts of one process at the same total rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-aws-cli-'));
    const outputs = join(dir, 'cdk-outputs.json');
    writeFileSync(
      outputs,
      JSON.stringify({
        'news-dev-serving': { RankerEndpointName: 'news-dev-ranker' },
        'news-dev-loadgen': {
          LoadGeneratorCluster: 'news-dev-loadgen',
          LoadGeneratorTaskDefinition: 'arn:aws:ecs:us-east-1:111122223333:task-definition/news-dev-loadgen:1',
          LoadGeneratorContainer: 'loadgen',
          LoadGeneratorSubnets: 'subnet-0a,subnet-0b',
          LoadGeneratorSecurityGroup: 'sg-01',
          LoadGeneratorResultsBucket: BUCKET,
          LoadGeneratorLogGroup: '/ml-serving-stacks/news-dev-loadgen',
        },
      }),
    );
    const common = ['loadtest', '--target', 'sagemaker', '--endpoint', 'ranker', '--endpoint-url', emulator.url, '--peak-rps', '40', '--duration', '3s', '--max-scheduler-lag', '1000'];
    await cli([...common, '--out', join(dir, 'single.json')]);
    const fleet = await cli([...common, '--fleet', 'aws', '--tasks', '2', '--stack-outputs', outputs, '--out', join(dir, 'fleet.json')]);
    expect(fleet.stderr).toMatch(/Fleet: 2 tasks as ECS Fargate tasks on cluster news-dev-loadgen, [0-2] healthy; results in s3:\/\/news-dev-loadgen-111122223333-us-east-1\/runs\//);
    const one = JSON.parse(readFileSync(join(dir, 'single.json'), 'utf8')) as LoadTestResult;
    const two = JSON.parse(readFileSync(join(dir, 'fleet.json'), 'utf8')) as LoadTestResult;
    process.stdout.write(
      `one process        p50 ${one.latencyMs.corrected.p50} p99 ${one.latencyMs.corrected.p99} ms, valid ${one.valid}\n` +
        `fleet of 2 (ECS)   p50 ${two.latencyMs.corrected.p50} p99 ${two.latencyMs.corrected.p99} ms, valid ${two.valid}\n`,
    );
    expect(two.counts).toEqual(one.counts);
    expect(two.counts).toMatchObject({ scheduled: 120, ok: 120 });
    expect(two.sources).toBe(2);
    // Every task delivered (a task judged invalid because this machine was busy still delivers its share).
    expect(fleet.stderr).not.toMatch(/failed to start|died|no result/);
    expect(s3.keys(BUCKET).filter((k) => /task-[01]\.json$/.test(k))).toHaveLength(2);
  }, 240_000);

  it('fails when the outputs file has no load generator stack, naming the file and how to make it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-aws-cli-'));
    const outputs = join(dir, 'cdk-outputs.json');
    writeFileSync(outputs, JSON.stringify({ 'news-dev-serving': { RankerEndpointName: 'news-dev-ranker' } }));
    const run = await cli(['loadtest', '--target', 'http', '--endpoint', 'http://127.0.0.1:9/', '--peak-rps', '10', '--duration', '1s', '--fleet', 'aws', '--tasks', '2', '--stack-outputs', outputs]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`--stack-outputs ${outputs}: expected the outputs of one load generator stack (with LoadGeneratorCluster), found 0 among news-dev-serving`);
  }, 60_000);
});
