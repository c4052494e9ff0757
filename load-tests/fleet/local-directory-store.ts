/**
 * `--fleet local`'s ShardResultStore: one directory, one file per object (task-<i>.ready,
 * start.json, task-<i>.json), each written to a temporary name and renamed into place, which
 * is atomic on one file system (as a PUT is on a bucket).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NamedObjectStore } from './named-object-store';

export class LocalDirectoryStore extends NamedObjectStore {
  constructor(readonly location: string) {
    super();
    mkdirSync(location, { recursive: true });
  }

  protected async listTaskObjects(): Promise<readonly string[]> {
    return readdirSync(this.location).filter((f) => f.startsWith('task-'));
  }

  protected async put(name: string, text: string): Promise<void> {
    const temporary = join(this.location, `.${name}.${process.pid}.tmp`);
    writeFileSync(temporary, text);
    renameSync(temporary, join(this.location, name));
  }

  protected async get(name: string): Promise<string | undefined> {
    const file = join(this.location, name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }
}
