/** A JSON file an option or argument names (`--simulation result.json`, `loadtest merge a.json b.json`). */
import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error';

/** The parsed file; `what` names it in the error, e.g. `--simulation run.json`. */
export function readJsonFile(what: string, path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${what}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${what}: not valid JSON (${(e as Error).message})`);
  }
}
