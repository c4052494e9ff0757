/** Warnings on stderr, one `warning: <path>: …` line each, so stdout keeps only a command's output. */
import { formatWarning, type ShapeWarning } from '../constructs';

export function printWarnings(warnings: readonly ShapeWarning[]): void {
  for (const warning of warnings) process.stderr.write(`${formatWarning(warning)}\n`);
}
