/**
 * The one reader of a corpus directory's JSON-lines files (load-tests/CORPUS-FORMAT.md): the RAG
 * load test and tune-index both read through it. Each caller names its own error class, so a bad
 * file is reported as that command's input error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Makes the caller's error from a message that already names the flag, the file and the line. */
export type CorpusErrorFactory = (message: string) => Error;

/** Each line of `dir/name` as a JSON object; `flag` is how the user named the directory (`--corpus`). */
export function readCorpusJsonLines(dir: string, name: string, error: CorpusErrorFactory, flag = '--corpus'): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(join(dir, name), 'utf8');
  } catch (e) {
    throw error(`${flag} ${dir}: cannot read ${name} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); write the corpus with \`serving-stacks corpus --out ${dir}\``);
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line, i) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw error(`${flag} ${dir}: ${name} line ${i + 1} is not JSON`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw error(`${flag} ${dir}: ${name} line ${i + 1} is not a JSON object`);
      return value as Record<string, unknown>;
    });
}
