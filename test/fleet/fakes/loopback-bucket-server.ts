/** What the local object stores (fake-s3.ts, fake-gcs.ts) share beside the server: named buckets of objects. */
import { LoopbackServer } from './loopback-server';

export abstract class LoopbackBucketServer<O> extends LoopbackServer {
  protected readonly buckets = new Map<string, Map<string, O>>();

  constructor(buckets: readonly string[]) {
    super();
    for (const b of buckets) this.buckets.set(b, new Map());
  }

  /** The object names in `bucket`, sorted. */
  keys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
  }
}
