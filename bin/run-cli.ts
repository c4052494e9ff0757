import { Command, CommanderError } from 'commander';

/** An error the user can fix from its message alone: printed without a stack, exit code 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs a commander program with the house error policy: a bad topology or bad usage prints its
 * message and exits 1; anything else is a bug, printed with its stack (exit 2).
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  program.exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    process.exitCode = exitCodeFor(e);
  }
}

/**
 * Errors whose message is the whole story for the user: a bad topology, bad usage, or construct
 * props a cloud cannot realise. Matched by name, not instanceof, because back-ends loaded on
 * demand through import() may carry their own copy of the class.
 */
const USER_ERRORS = new Set(['TopologyError', 'UsageError', 'ServingPropsError']);

function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
  if (e instanceof Error && USER_ERRORS.has(e.name)) {
    process.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`internal error (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 2;
}
