/**
 * `loadtest --fleet local` end to end: real processes of the CLI against the local endpoints on
 * 127.0.0.1, compared with one process at the same total rate. Counts and validity are asserted,
 * never timings; both runs' percentiles are printed side by side.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';
import type { LoadTestResult } from '../../load-tests/generator/result-format';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as a user runs it, asynchronously so the in-process emulator keeps answering. */
function serving(args: readonly string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/serving-stacks.js', ...args], { env: { ...process.env, NO_COLOR: '1', CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => (clearTimeout(timer), resolve({ status, stdout, stderr })));
  });
}

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator(resolveTopology(preset('dev')), { host: '127.0.0.1', port: 0 });
});
afterAll(() => emulator?.close());

describe('loadtest --fleet', () => {
  it('local --tasks 2 gives the request counts and validity of one process at the same total rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-cli-'));
    // 40 req/s for 3 s is a quarter of what dev's ranker holds; a generous lag limit keeps a busy test machine from invalidating either run.
    const common = ['loadtest', '--target', 'sagemaker', '--endpoint', 'ranker', '--endpoint-url', emulator.url, '--peak-rps', '40', '--duration', '3s', '--max-scheduler-lag', '1000'];
    const single = await serving([...common, '--out', join(dir, 'single.json')]);
    const fleet = await serving([...common, '--fleet', 'local', '--tasks', '2', '--out', join(dir, 'fleet.json')]);
    expect(single.stderr).not.toMatch(/internal error/);
    expect(fleet.stderr).toMatch(/Fleet: 2 tasks as local processes, 2 healthy/);
    const one = JSON.parse(readFileSync(join(dir, 'single.json'), 'utf8')) as LoadTestResult;
    const two = JSON.parse(readFileSync(join(dir, 'fleet.json'), 'utf8')) as LoadTestResult;
    process.stdout.write(
      `one process  p50 ${one.latencyMs.corrected.p50} p99 ${one.latencyMs.corrected.p99} ms, valid ${one.valid}\n` +
        `fleet of 2   p50 ${two.latencyMs.corrected.p50} p99 ${two.latencyMs.corrected.p99} ms, valid ${two.valid}\n`,
    );
    expect(two.counts).toEqual(one.counts);
    expect(two.counts).toMatchObject({ scheduled: 120, ok: 120 });
    expect(two.valid).toBe(one.valid);
    expect(two.schedule.peakRate).toBe(40);
    expect(two.sources).toBe(2);
    expect(fleet.status).toBe(single.status);
  }, 180_000);

  it('fails when the tasks cannot reach the endpoint: each task reported as failed to start, with the error, exit 98', async () => {
    const run = await serving(['loadtest', '--target', 'http', '--endpoint', 'http://127.0.0.1:9/invocations', '--peak-rps', '10', '--duration', '1s', '--fleet', 'local', '--tasks', '2']);
    expect(run.status).toBe(98);
    // The first task to fail stops the other, which may not have failed by itself yet.
    expect(run.stderr).toMatch(/task \d +failed to start .*exited with code 1: error: cannot (set up|reach) the http target .*ECONNREFUSED/);
    expect(run.stderr.match(/^task \d +failed to start /gm)).toHaveLength(2);
    expect(run.stderr).toMatch(/No task reported a result: nothing to merge\. The run is invalid\./);
  }, 120_000);

  it('--fleet gcp exits 1 (nothing ran) without --stack-outputs, naming the file it needs', async () => {
    const run = await serving(['loadtest', '--target', 'http', '--endpoint', 'http://127.0.0.1:9/', '--fleet', 'gcp', '--tasks', '2']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--stack-outputs: required with --fleet gcp: the file `pulumi stack output --json > <file>` wrote/);
  });

  it('--fleet aws exits 1 (nothing ran) without --stack-outputs, naming the file it needs', async () => {
    const run = await serving(['loadtest', '--target', 'http', '--endpoint', 'http://127.0.0.1:9/', '--fleet', 'aws', '--tasks', '2']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--stack-outputs: required with --fleet aws: the file `cdk deploy -c loadgen=true --outputs-file <file>` wrote/);
  });

  it('fails without --tasks, naming the option', async () => {
    const run = await serving(['loadtest', '--target', 'http', '--endpoint', 'http://127.0.0.1:9/', '--fleet', 'local']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--tasks: required with --fleet/);
  });
});
