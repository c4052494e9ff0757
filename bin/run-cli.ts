import { Command, CommanderError } from 'commander';
import { EXIT, usageExitCode } from './exit-codes';
import { rejectBadOptionValues } from './options/typed-option';

/**
 * Runs a commander program with the house error policy: a bad topology or bad usage prints its
 * message and exits with the command's usage code (bin/exit-codes.ts); anything else is a bug,
 * printed with its stack (exit 2).
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  let command: string | undefined;
  program.hook('preSubcommand', (_program, subcommand) => {
    command = subcommand.name();
  });
  program.hook('preAction', (_program, action) => rejectBadOptionValues(action));
  throwInsteadOfExiting(program);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    process.exitCode = exitCodeFor(e, command);
  }
}

/** Commander exits the process on its own usage errors; every command throws them here instead. */
function throwInsteadOfExiting(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) throwInsteadOfExiting(sub);
}

/**
 * Errors whose message is the whole story for the user: bad usage, a bad topology, construct
 * props a cloud cannot realise, or an input file the load tests cannot use. Matched by name, not
 * instanceof, because back-ends loaded on demand through import() may carry their own copy of
 * the class.
 */
const USER_ERRORS = new Set([
  'UsageError',
  'TopologyError',
  'ServingPropsError',
  'StackMismatchError',
  'PriceFileError',
  'ProfileError',
  'CapacityFileError',
  'LoadTestOptionsError',
  'TargetSetupError',
  'MergeError',
  'LocalStateError',
  'CorpusLoadError',
]);

function exitCodeFor(e: unknown, command: string | undefined): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : usageExitCode(command);
  if (e instanceof Error && USER_ERRORS.has(e.name)) {
    process.stderr.write(`error: ${e.message}\n`);
    return usageExitCode(command);
  }
  process.stderr.write(`internal error (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.internal;
}
