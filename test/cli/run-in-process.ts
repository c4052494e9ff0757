/** Runs a command line in this process through runCli, capturing what it prints and its exit code. */
import type { Command } from 'commander';
import { runCli } from '../../bin/run-cli';

export interface InProcessRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | undefined;
}

/** `whileRunning` gets the output so far, e.g. to wait for a banner and then send Ctrl-C. */
export async function runInProcess(
  program: Command,
  args: readonly string[],
  whileRunning?: (output: { stdout(): string; stderr(): string; finished(): boolean }) => Promise<void>,
): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    let finished = false;
    const running = runCli(program, ['node', 'serving-stacks', ...args]).finally(() => (finished = true));
    await whileRunning?.({ stdout: () => stdout, stderr: () => stderr, finished: () => finished });
    await running;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  const exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode);
  process.exitCode = undefined;
  return { stdout, stderr, exitCode };
}
