/**
 * Ctrl-C exits 130 in every long-running mode: a load test, a capacity search, compare's live
 * load test (and emulate: test/cli/emulate-stop.test.ts). In-process: SIGINT is emitted to this
 * process's listeners, as the terminal would deliver it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { startEmulator } from '../../load-tests/emulator';
import { EXIT } from '../../bin/exit-codes';
import { servingStacksProgram } from '../../bin/program';
import { onStopRequest } from '../../bin/stop-requests';
import { runInProcess } from './run-in-process';

/** Runs a command line and sends Ctrl-C once its stderr matches `ready`. */
async function interrupt(args: readonly string[], ready: RegExp) {
  const run = await runInProcess(servingStacksProgram(), args, async (output) => {
    while (!ready.test(output.stderr()) && !output.finished()) await new Promise((r) => setTimeout(r, 20));
    process.emit('SIGINT');
  });
  return { ...run, exitCode: run.exitCode ?? 0 };
}

const dir = mkdtempSync(join(tmpdir(), 'interrupt-'));
let emulator: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  emulator = await startEmulator(resolveTopology(preset('dev')), { port: 0 });
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Ctrl-C exits 130', () => {
  it('decides it in one place: a SIGINT stop request', () => {
    let reason = '';
    const dispose = onStopRequest((r) => (reason = r));
    process.emit('SIGINT');
    dispose();
    expect(reason).toBe('SIGINT');
    expect(process.exitCode).toBe(EXIT.interrupted);
    process.exitCode = undefined;
  });

  it('loadtest: stops the run, writes what was measured, exits 130', async () => {
    const run = await interrupt(
      ['loadtest', '--target', 'sagemaker', '--endpoint', 'ranker', '--endpoint-url', emulator.url, '--peak-rps', '20', '--duration', '60s', '--max-scheduler-lag', '1000', '--json'],
      /^loadtest: /m,
    );
    expect(run.stderr).toMatch(/stopping: requests in flight get 2 s/);
    expect(JSON.parse(run.stdout)).toMatchObject({ interrupted: true });
    expect(run.exitCode).toBe(EXIT.interrupted);
  }, 120_000);

  it('loadtest --find-capacity: stops the search, exits 130', async () => {
    const run = await interrupt(
      ['loadtest', '--target', 'sagemaker', '--endpoint', 'ranker', '--endpoint-url', emulator.url, '--find-capacity', '--step-duration', '60s', '--max-scheduler-lag', '1000'],
      /^find-capacity: /m,
    );
    expect(run.stderr).toMatch(/find-capacity: interrupted before the search ended/);
    expect(run.exitCode).toBe(EXIT.interrupted);
  }, 120_000);

  it('compare: stops in the live load test, writes no report, exits 130', async () => {
    const out = join(dir, 'report');
    const run = await interrupt(['compare', '--env', 'dev', '--hours', '1', '--live-seconds', '60', '--out', out], /live load test…\n {6}1\//);
    expect(run.stderr).toMatch(/compare: interrupted during the live load test; no report written/);
    expect(run.exitCode).toBe(EXIT.interrupted);
  }, 240_000);
});
