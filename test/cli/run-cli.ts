/** Runs the `serving-stacks` command as a user would after `npm ci`, capturing its output. */
import { spawnSync } from 'node:child_process';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runServingStacks(args: readonly string[], timeoutMs = 60_000): CliResult {
  const result = spawnSync(process.execPath, ['bin/serving-stacks.js', ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** True when text holds a JavaScript stack frame: user errors must never print one. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text);
}
