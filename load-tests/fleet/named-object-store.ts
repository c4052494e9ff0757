/**
 * The record layout every ShardResultStore shares: `task-<i>.ready`, `start.json` and
 * `task-<i>.json` under one place. A store says only how it writes, reads and lists a named
 * object (a file renamed into place, an S3 PUT, a GCS upload); the records are the same everywhere.
 */
import type { LoadTestResult } from '../generator/result-format';
import type { ShardResultStore } from './shard-result-store';

const READY = /task-(\d+)\.ready$/;

export abstract class NamedObjectStore implements ShardResultStore {
  abstract readonly location: string;
  /** Writes the whole object, atomically. */
  protected abstract put(name: string, body: string): Promise<void>;
  /** The object's text, or undefined when it does not exist. */
  protected abstract get(name: string): Promise<string | undefined>;
  /** Names (or keys ending in them) of the objects whose name starts with `task-`. */
  protected abstract listTaskObjects(): Promise<readonly string[]>;

  async markReady(task: number): Promise<void> {
    await this.put(`task-${task}.ready`, '');
  }

  async readyTasks(): Promise<ReadonlySet<number>> {
    const indexes = (await this.listTaskObjects()).map((name) => READY.exec(name)?.[1]);
    return new Set(indexes.filter((i): i is string => i !== undefined).map(Number));
  }

  async putStartTime(epochMs: number): Promise<void> {
    await this.put('start.json', JSON.stringify({ startAtEpochMs: epochMs }));
  }

  async getStartTime(): Promise<number | undefined> {
    const text = await this.get('start.json');
    return text === undefined ? undefined : (JSON.parse(text) as { startAtEpochMs: number }).startAtEpochMs;
  }

  async putResult(task: number, result: LoadTestResult): Promise<void> {
    await this.put(`task-${task}.json`, `${JSON.stringify(result)}\n`);
  }

  async getResult(task: number): Promise<LoadTestResult | undefined> {
    const text = await this.get(`task-${task}.json`);
    return text === undefined ? undefined : (JSON.parse(text) as LoadTestResult);
  }
}
