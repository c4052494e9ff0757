/**
 * The AWS SDK's nine-line Node.js notice is replaced by one line, once per command, including
 * across the load generator's worker threads.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { startEmulator, type EmulatorHandle } from '../../load-tests/emulator';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator(resolveTopology(preset('dev')), { seed: 3 });
});
afterAll(() => emulator.close());

function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['bin/serving-stacks.js', ...args], { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stderr })));
}

const loadtest = () => ['loadtest', '--target', 'sagemaker', '--endpoint', 'ranker', '--endpoint-url', emulator.url, '--rate', '20', '--duration', '1s', '--workers', '2', '--json'];

describe('the AWS SDK Node.js notice', () => {
  const isNode20 = Number(process.versions.node.split('.')[0]) < 22;

  it('is one line, once, for a SageMaker load test on two worker threads', async () => {
    const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _ignored, ...env } = process.env;
    const run = await runCli(loadtest(), env);
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning/);
    expect(run.stderr.match(/^note: AWS SDK releases after early January 2027 need Node\.js >= 22/gm) ?? []).toHaveLength(isNode20 ? 1 : 0);
  });

  it('is not shown when the user set the SDK switch', async () => {
    const run = await runCli(loadtest(), { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning|note: AWS SDK/);
  });
});
