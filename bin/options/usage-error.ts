/** An error the user can fix from its message alone: printed without a stack (exit codes: bin/exit-codes.ts). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The one shape of a bad option value: `--flag: expected <what is allowed>, got "<value>"`. */
export function badValue(flag: string, text: string, allowed: string): UsageError {
  return new UsageError(`${flag}: expected ${allowed}, got "${text}"`);
}
