/**
 * Durable state of a local stand-in under `--data-dir`: every change is appended as one JSON
 * line and flushed before the request that made it is answered, and replayed on start, so a
 * crash or a restart loses nothing that was acknowledged. Without a directory the log is in memory.
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface MutationLog<T> {
  /** Entries written before this start, in order: replay them to rebuild the state. */
  readonly replay: readonly T[];
  /** Appends one change; durable when it returns. */
  append(entry: T): void;
  close(): void;
}

export function openMutationLog<T>(file: string | undefined): MutationLog<T> {
  if (file === undefined) return { replay: [], append: () => undefined, close: () => undefined };
  mkdirSync(dirname(file), { recursive: true });
  const replay = existsSync(file) ? parseLines<T>(file) : [];
  const fd = openSync(file, 'a');
  return {
    replay,
    append(entry) {
      appendFileSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    },
    close: () => closeSync(fd),
  };
}

function parseLines<T>(file: string): T[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const entries: T[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '') continue;
    try {
      entries.push(JSON.parse(lines[i]) as T);
    } catch {
      // Only the last line can be torn, by a crash in the middle of a write: it was never acknowledged.
      if (i >= lines.length - 2) break;
      throw new Error(`${file}: line ${i + 1} is not JSON; the local state is damaged (move the file away to start empty)`);
    }
  }
  return entries;
}
