/**
 * Every exit code of `serving-stacks`, decided here (README.md, load-tests/RESULT-FORMAT.md).
 * 98 and 99 are loadtest's (99 is what k6 uses for failed thresholds); 130 is the shell's Ctrl-C
 * (128 + SIGINT).
 */
export const EXIT = {
  ok: 0,
  /** Bad options or input: nothing ran. */
  usage: 1,
  /** A bug: printed with its stack. */
  internal: 2,
  invalidRun: 98,
  thresholdsFailed: 99,
  interrupted: 130,
} as const;

/**
 * check-update answers with its exit code: 1 means "does not deploy cleanly", so its bad input
 * exits 2 instead (README.md, check-update).
 */
const USAGE_EXIT_BY_COMMAND: Readonly<Record<string, number>> = { 'check-update': 2 };

export function usageExitCode(command: string | undefined): number {
  return (command !== undefined ? USAGE_EXIT_BY_COMMAND[command] : undefined) ?? EXIT.usage;
}
