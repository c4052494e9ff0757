/**
 * `--fleet gcp`'s ShardResultStore: the job's CMEK bucket, one object per record under the run's
 * prefix, as the S3 store. A single-request upload is atomic: a reader sees the whole object or
 * none, and reads and lists are strongly consistent (Cloud Storage, "Consistency":
 * https://cloud.google.com/storage/docs/consistency).
 */
import type { Bucket } from '@google-cloud/storage';
import { NamedObjectStore } from './named-object-store';

/** `gs://bucket/prefix/` → bucket and prefix (ending in `/`). */
export function parseGcsStoreLocation(location: string): { bucket: string; prefix: string } {
  const match = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,221}[a-z0-9])\/(.+)$/.exec(location);
  if (!match) throw new Error(`--fleet-store: expected gs://<bucket>/<prefix>/, got ${JSON.stringify(location)}`);
  return { bucket: match[1], prefix: match[2].endsWith('/') ? match[2] : `${match[2]}/` };
}

export class GcsResultStore extends NamedObjectStore {
  readonly location: string;
  private readonly prefix: string;

  /** `bucket` from `new Storage().bucket(name)`; `location` names the run's prefix in it. */
  constructor(
    private readonly bucket: Bucket,
    location: string,
  ) {
    super();
    const parsed = parseGcsStoreLocation(location);
    if (parsed.bucket !== bucket.name) throw new Error(`--fleet-store: ${location} is not in bucket ${bucket.name}`);
    this.prefix = parsed.prefix;
    this.location = `gs://${parsed.bucket}/${this.prefix}`;
  }

  protected async listTaskObjects(): Promise<readonly string[]> {
    // getFiles follows nextPageToken itself (autoPaginate).
    const [files] = await this.bucket.getFiles({ prefix: `${this.prefix}task-` });
    return files.map((f) => f.name);
  }

  protected async put(name: string, body: string): Promise<void> {
    // One request (multipart upload), not a resumable session: the objects are small.
    await this.bucket.file(`${this.prefix}${name}`).save(body, { resumable: false, contentType: name.endsWith('.json') ? 'application/json' : 'text/plain' });
  }

  protected async get(name: string): Promise<string | undefined> {
    try {
      const [content] = await this.bucket.file(`${this.prefix}${name}`).download();
      return content.toString('utf8');
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  }
}
