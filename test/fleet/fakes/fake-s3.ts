/**
 * A local S3 speaking the REST protocol the SDK's S3Client speaks, path-style
 * (`/<bucket>/<key>`): PutObject, GetObject and ListObjectsV2 (with pagination). It refuses what S3
 * refuses for these calls: an unsigned request (AccessDenied), an unknown bucket (NoSuchBucket),
 * a missing key (NoSuchKey), a ListObjects without `list-type=2` here (only V2 is modelled: 501),
 * and max-keys outside 0..1000 (InvalidArgument). Errors are S3's XML error documents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackBucketServer } from './loopback-bucket-server';

interface StoredObject {
  readonly body: Buffer;
  readonly lastModified: Date;
  readonly etag: string;
}

export class FakeS3 extends LoopbackBucketServer<StoredObject> {
  /** Every request, as `METHOD /path?query`, for assertions on what the client sent. */
  readonly requests: string[] = [];

  protected async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=')) return error(res, 403, 'AccessDenied', 'Access Denied');
    const [, bucketName, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const bucket = this.buckets.get(bucketName);
    if (!bucket) return error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', `<BucketName>${xml(bucketName)}</BucketName>`);

    if (req.method === 'PUT' && key) {
      const etag = `"${Buffer.from(String(body.length)).toString('hex')}${bucket.size}"`;
      bucket.set(key, { body, lastModified: new Date(), etag });
      res.writeHead(200, { ETag: etag, 'x-amz-request-id': 'fake' }).end();
      return;
    }
    if (req.method === 'GET' && key) {
      const object = bucket.get(key);
      if (!object) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.', `<Key>${xml(key)}</Key>`);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': object.body.length, ETag: object.etag, 'Last-Modified': object.lastModified.toUTCString() }).end(object.body);
      return;
    }
    if (req.method === 'GET' && !key) {
      if (url.searchParams.get('list-type') !== '2') return error(res, 501, 'NotImplemented', 'Only ListObjectsV2 (list-type=2) is modelled by this fake');
      const maxKeys = Number(url.searchParams.get('max-keys') ?? 1000);
      if (!Number.isInteger(maxKeys) || maxKeys < 0 || maxKeys > 1000) return error(res, 400, 'InvalidArgument', 'Argument maxKeys must be an integer between 0 and 1000');
      const prefix = url.searchParams.get('prefix') ?? '';
      const after = url.searchParams.get('continuation-token') ?? url.searchParams.get('start-after') ?? '';
      const matching = [...bucket.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = matching.slice(0, maxKeys);
      const truncated = matching.length > page.length;
      const contents = page
        .map((k) => {
          const o = bucket.get(k)!;
          return `<Contents><Key>${xml(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xml(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        })
        .join('');
      const next = truncated ? `<NextContinuationToken>${xml(page[page.length - 1])}</NextContinuationToken>` : '';
      res
        .writeHead(200, { 'Content-Type': 'application/xml' })
        .end(
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucketName)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
        );
      return;
    }
    error(res, 405, 'MethodNotAllowed', `The specified method is not allowed against this resource: ${req.method}`);
  }
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function error(res: ServerResponse, status: number, code: string, message: string, extra = ''): void {
  res
    .writeHead(status, { 'Content-Type': 'application/xml', 'x-amz-request-id': 'fake' })
    .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xml(message)}</Message>${extra}<RequestId>fake</RequestId></Error>`);
}
