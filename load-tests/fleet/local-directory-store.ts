/**
 * `--fleet local`'s ShardResultStore: one directory, one file per object (task-<i>.ready,
 * start.json, task-<i>.json), each written to a temporary name and renamed into place, which
 * is atomic on one file system (as a PUT is on a bucket).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadTestResult } from '../generator/result-format';
import type { ShardResultStore } from './shard-result-store';

export class LocalDirectoryStore implements ShardResultStore {
  constructor(readonly location: string) {
    mkdirSync(location, { recursive: true });
  }

  async markReady(task: number): Promise<void> {
    this.write(`task-${task}.ready`, '');
  }

  async readyTasks(): Promise<ReadonlySet<number>> {
    const ready = readdirSync(this.location).map((f) => /^task-(\d+)\.ready$/.exec(f)?.[1]);
    return new Set(ready.filter((i): i is string => i !== undefined).map(Number));
  }

  async putStartTime(epochMs: number): Promise<void> {
    this.write('start.json', JSON.stringify({ startAtEpochMs: epochMs }));
  }

  async getStartTime(): Promise<number | undefined> {
    const text = this.read('start.json');
    return text === undefined ? undefined : (JSON.parse(text) as { startAtEpochMs: number }).startAtEpochMs;
  }

  async putResult(task: number, result: LoadTestResult): Promise<void> {
    this.write(`task-${task}.json`, `${JSON.stringify(result)}\n`);
  }

  async getResult(task: number): Promise<LoadTestResult | undefined> {
    const text = this.read(`task-${task}.json`);
    return text === undefined ? undefined : (JSON.parse(text) as LoadTestResult);
  }

  private write(name: string, text: string): void {
    const temporary = join(this.location, `.${name}.${process.pid}.tmp`);
    writeFileSync(temporary, text);
    renameSync(temporary, join(this.location, name));
  }

  private read(name: string): string | undefined {
    const file = join(this.location, name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }
}
