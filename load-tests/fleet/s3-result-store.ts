/**
 * `--fleet aws`'s ShardResultStore: the fleet's results bucket, one object per record under the
 * run's prefix (`task-<i>.ready`, `start.json`, `task-<i>.json`). A PUT is atomic: a reader sees
 * a whole object or none (Amazon S3 User Guide, "Amazon S3 data consistency model": strong
 * read-after-write consistency for PUTs and LISTs).
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { NamedObjectStore } from './named-object-store';

/** `s3://bucket/prefix/` → bucket and prefix (ending in `/`). */
export function parseS3StoreLocation(location: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(location);
  if (!match) throw new Error(`--fleet-store: expected s3://<bucket>/<prefix>/, got ${JSON.stringify(location)}`);
  return { bucket: match[1], prefix: match[2].endsWith('/') ? match[2] : `${match[2]}/` };
}

export class S3ResultStore extends NamedObjectStore {
  readonly location: string;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    private readonly client: S3Client,
    location: string,
  ) {
    super();
    ({ bucket: this.bucket, prefix: this.prefix } = parseS3StoreLocation(location));
    this.location = `s3://${this.bucket}/${this.prefix}`;
  }

  protected async listTaskObjects(): Promise<readonly string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${this.prefix}task-`, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  protected async put(name: string, body: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${name}`, Body: body, ContentType: name.endsWith('.json') ? 'application/json' : 'text/plain' }));
  }

  protected async get(name: string): Promise<string | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${name}` }));
      return await object.Body?.transformToString('utf8');
    } catch (e) {
      if (e instanceof NoSuchKey) return undefined;
      throw e;
    }
  }
}
