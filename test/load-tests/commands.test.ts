/** The `emulate` and `loadtest` commands, run in-process through commander. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerEmulate } from '../../bin/commands/emulate';
import { registerLoadtest } from '../../bin/commands/loadtest';
import { EXIT } from '../../bin/exit-codes';
import { runInProcess } from '../cli/run-in-process';
import type { LoadTestResult } from '../../load-tests/generator/result-format';
import { fakeResult } from './result-fixture';

function program(): Command {
  // Set before the commands exist, so they inherit it: commander must throw, not exit the test process.
  const p = new Command('serving-stacks').enablePositionalOptions().exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  registerEmulate(p);
  registerLoadtest(p);
  return p;
}

/** Runs a command line, capturing what it prints. */
function cli(args: string[], whileRunning?: (stdout: () => string) => Promise<void>) {
  return runInProcess(program(), args, whileRunning && ((output) => whileRunning(output.stdout)));
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('serving-stacks emulate and loadtest', () => {
  it('serves the topology until Ctrl-C, and a load test through the SDK gates on its thresholds', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'loadtest-')), 'result.json');
    let loadtest: Awaited<ReturnType<typeof cli>> | undefined;
    const emulate = await cli(['emulate', '--env', 'dev', '--port', '0', '--searchable-after', '250ms'], async (stdout) => {
      while (!/Pool metrics/.test(stdout())) await new Promise((r) => setImmediate(r));
      const url = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout())?.[1] ?? '';
      // The emulator shares this process's event loop, so on a busy machine the generator's scheduler
      // lag can exceed its default limit; the gate under test is the threshold, not generator health.
      loadtest = await cli(['loadtest', '--target', 'sagemaker', '--endpoint', 'ranker', '--endpoint-url', url, '--peak-rps', '20', '--duration', '0.5s', '--max-scheduler-lag', '1000', '--threshold', 'p99<0.001ms', '--out', out]);
      process.emit('SIGINT');
    });
    expect(emulate.stdout).toMatch(/ranker: ranker, 1 replica\(s\) × 4 concurrent per variant, ~25 ms/);
    expect(emulate.stdout).toMatch(/SageMaker {2}POST http:\/\/127\.0\.0\.1:\d+\/endpoints\/news-dev-ranker\/invocations/);
    expect(emulate.stdout).toMatch(/OpenSearch node {2}http:\/\/127\.0\.0\.1:\d+\/opensearch {2}index embeddings, vector field embedding, id field id/);
    expect(emulate.stdout).toMatch(/changes searchable after 250 ms/);
    expect(emulate.stdout).toMatch(/SQS {6}http:\/\/127\.0\.0\.1:\d+\/000000000000\/news-dev-embedding-refresh\.fifo \(dead letters/);
    expect(emulate.stdout).toMatch(/stopped\n$/);
    expect(loadtest?.stdout).toMatch(/FAIL {2}p99<0\.001ms/);
    const result = JSON.parse(readFileSync(out, 'utf8')) as LoadTestResult;
    // A run the generator could not keep on time (a loaded machine) is invalid, and invalid outranks thresholds.
    expect(loadtest?.exitCode).toBe(result.valid ? EXIT.thresholdsFailed : EXIT.invalidRun);
    expect(result.counts).toMatchObject({ scheduled: 10, ok: 10 });
    expect(result.thresholds).toEqual([
      expect.objectContaining({ expression: 'p99<0.001ms', pass: false }),
      { expression: 'errors<=1%', actual: 0, pass: true, isDefault: true },
    ]);
    expect(loadtest?.stderr).toMatch(/no threshold on errors given, so errors<=1% applies \(exit 99 above it/);
  });

  it('merges runs that lost a quarter of their requests into a failure: the default error budget applies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadtest-merge-'));
    const files = [0, 1].map((i) => {
      const file = join(dir, `run-${i}.json`);
      const lossy = fakeResult({ rate: 100, seconds: 2, latencyMs: () => 10, outcome: (k) => (k % 4 === 0 ? 'throttled' : 'ok'), startedAtEpochMs: Date.UTC(2026, 0, 1) });
      writeFileSync(file, JSON.stringify(lossy));
      return file;
    });
    const out = join(dir, 'merged.json');
    const merged = await cli(['loadtest', 'merge', ...files, '--out', out]);
    expect(merged.exitCode).toBe(EXIT.thresholdsFailed);
    expect(merged.stdout).toMatch(/FAIL {2}errors<=1% {2}\(actual 0\.25, the default error budget/);
    expect((JSON.parse(readFileSync(out, 'utf8')) as LoadTestResult).thresholds).toEqual([{ expression: 'errors<=1%', actual: 0.25, pass: false, isDefault: true }]);
  });

  it('reports bad options as a usage error, all at once', async () => {
    const { stderr, exitCode } = await cli(['loadtest', '--target', 'sagemaker', '--endpoint', 'ranker', '--rate', '0', '--duration', '1s', '--workers', '0']);
    expect(exitCode).toBe(1);
    expect(stderr).toBe(
      'error: bad options:\n  --rate: expected a number > 0 (requests per second), got "0"\n  --workers: expected a whole number from 1 to 64, got "0"\n',
    );
    const bad = await cli(['emulate', '--port', '70000', '--stall', 'every=1s,for=2s']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe(
      'error: bad options:\n  --port: expected a whole number from 0 to 65535, got "70000"\n  --stall: expected "for" shorter than "every", got "every=1s,for=2s"\n',
    );
  });
});
