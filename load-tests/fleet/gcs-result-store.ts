/**
 * `--fleet gcp`'s ShardResultStore: the job's CMEK bucket, one object per record under the run's
 * prefix, as the S3 store. A single-request upload is atomic: a reader sees the whole object or
 * none, and reads and lists are strongly consistent (Cloud Storage, "Consistency":
 * https://cloud.google.com/storage/docs/consistency).
 */
import type { Bucket } from '@google-cloud/storage';
import type { LoadTestResult } from '../generator/result-format';
import type { ShardResultStore } from './shard-result-store';

/** `gs://bucket/prefix/` → bucket and prefix (ending in `/`). */
export function parseGcsStoreLocation(location: string): { bucket: string; prefix: string } {
  const match = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,221}[a-z0-9])\/(.+)$/.exec(location);
  if (!match) throw new Error(`--fleet-store: expected gs://<bucket>/<prefix>/, got ${JSON.stringify(location)}`);
  return { bucket: match[1], prefix: match[2].endsWith('/') ? match[2] : `${match[2]}/` };
}

export class GcsResultStore implements ShardResultStore {
  readonly location: string;
  private readonly prefix: string;

  /** `bucket` from `new Storage().bucket(name)`; `location` names the run's prefix in it. */
  constructor(
    private readonly bucket: Bucket,
    location: string,
  ) {
    const parsed = parseGcsStoreLocation(location);
    if (parsed.bucket !== bucket.name) throw new Error(`--fleet-store: ${location} is not in bucket ${bucket.name}`);
    this.prefix = parsed.prefix;
    this.location = `gs://${parsed.bucket}/${this.prefix}`;
  }

  async markReady(task: number): Promise<void> {
    await this.put(`task-${task}.ready`, '');
  }

  async readyTasks(): Promise<ReadonlySet<number>> {
    // getFiles follows nextPageToken itself (autoPaginate).
    const [files] = await this.bucket.getFiles({ prefix: `${this.prefix}task-` });
    const indexes = files.map((f) => /task-(\d+)\.ready$/.exec(f.name)?.[1]).filter((i): i is string => i !== undefined);
    return new Set(indexes.map(Number));
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

  private async put(name: string, body: string): Promise<void> {
    // One request (multipart upload), not a resumable session: the objects are small.
    await this.bucket.file(`${this.prefix}${name}`).save(body, { resumable: false, contentType: name.endsWith('.json') ? 'application/json' : 'text/plain' });
  }

  private async get(name: string): Promise<string | undefined> {
    try {
      const [content] = await this.bucket.file(`${this.prefix}${name}`).download();
      return content.toString('utf8');
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  }
}
