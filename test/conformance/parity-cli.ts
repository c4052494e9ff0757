/** The parity notes `serving-stacks parity --json` prints for a topology, run in-process. */
import { Command } from 'commander';
import { vi } from 'vitest';
import { registerParity } from '../../bin/commands/parity';
import { runCli } from '../../bin/run-cli';
import type { ParityNote } from '../../constructs';

export async function parityNotesShown(args: readonly string[]): Promise<ParityNote[]> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    const program = new Command('serving-stacks');
    registerParity(program);
    await runCli(program, ['node', 'serving-stacks', 'parity', ...args, '--json']);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  if (process.exitCode) {
    process.exitCode = undefined;
    throw new Error(`serving-stacks parity ${args.join(' ')} failed: ${err}`);
  }
  return (JSON.parse(out) as { notes: ParityNote[] }).notes;
}
