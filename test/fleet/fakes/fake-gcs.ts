/**
 * A local Cloud Storage speaking the JSON API the `@google-cloud/storage` client speaks: multipart
 * and media uploads (`POST /upload/storage/v1/b/{bucket}/o`), object metadata and download
 * (`GET /storage/v1/b/{bucket}/o/{object}[?alt=media]`, with `crc32c`, `md5Hash` and `x-goog-hash`
 * so the client's integrity checks run), and list (`GET /storage/v1/b/{bucket}/o?prefix&pageToken&maxResults`).
 * It refuses what Cloud Storage refuses for these calls: an unknown bucket or object (404 with the
 * JSON error body), an upload without a name or with an unknown uploadType (400), maxResults
 * outside 1..1000 (400). It does not check credentials (the client sends none to a custom endpoint).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackBucketServer } from './loopback-bucket-server';

interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly updated: string;
  readonly generation: string;
}

export class FakeGcs extends LoopbackBucketServer<StoredObject> {
  private generation = 1;

  protected async handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    const bucketName = decodeURIComponent((upload ?? object ?? list)?.[1] ?? '');
    const bucket = this.buckets.get(bucketName);
    if (!upload && !object && !list) return error(res, 404, 'notFound', `Not Found: ${req.method} ${url.pathname}`);
    if (!bucket) return error(res, 404, 'notFound', 'The specified bucket does not exist.');

    if (upload && req.method === 'POST') {
      const type = url.searchParams.get('uploadType');
      let name: string | undefined;
      let media: Buffer;
      let contentType = 'application/octet-stream';
      if (type === 'media') {
        name = url.searchParams.get('name') ?? undefined;
        media = body;
        contentType = String(req.headers['content-type'] ?? contentType);
      } else if (type === 'multipart') {
        const parts = multipart(body, String(req.headers['content-type'] ?? ''));
        if (parts.length !== 2) return error(res, 400, 'invalid', 'Multipart upload must have a metadata part and a media part.');
        const metadata = JSON.parse(parts[0].body.toString('utf8')) as { name?: string; contentType?: string };
        name = metadata.name ?? url.searchParams.get('name') ?? undefined;
        media = parts[1].body;
        contentType = metadata.contentType ?? parts[1].contentType ?? contentType;
      } else {
        return error(res, 400, 'invalid', `Invalid upload type: ${type}`);
      }
      if (!name) return error(res, 400, 'required', 'Required: object name');
      const stored = { body: media, contentType, updated: new Date().toISOString(), generation: String(this.generation++) };
      bucket.set(name, stored);
      return json(res, 200, resource(bucketName, name, stored));
    }
    if (object && req.method === 'GET') {
      const name = decodeURIComponent(object[2]);
      const stored = bucket.get(name);
      if (!stored) return error(res, 404, 'notFound', `No such object: ${bucketName}/${name}`);
      if (url.searchParams.get('alt') !== 'media') return json(res, 200, resource(bucketName, name, stored));
      res
        .writeHead(200, { 'Content-Type': stored.contentType, 'Content-Length': stored.body.length, 'x-goog-hash': `crc32c=${crc32c(stored.body)},md5=${md5(stored.body)}`, 'x-goog-generation': stored.generation })
        .end(stored.body);
      return;
    }
    if (list && req.method === 'GET') {
      const maxResults = Number(url.searchParams.get('maxResults') ?? 1000);
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) return error(res, 400, 'invalid', `Invalid value for maxResults: ${maxResults}`);
      const prefix = url.searchParams.get('prefix') ?? '';
      const after = url.searchParams.get('pageToken') ?? '';
      const names = [...bucket.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = names.slice(0, maxResults);
      return json(res, 200, {
        kind: 'storage#objects',
        items: page.map((n) => resource(bucketName, n, bucket.get(n)!)),
        ...(names.length > page.length ? { nextPageToken: page[page.length - 1] } : {}),
      });
    }
    error(res, 405, 'methodNotAllowed', `Method ${req.method} not allowed on ${url.pathname}`);
  }
}

function md5(body: Buffer): string {
  return createHash('md5').update(body).digest('base64');
}

/** CRC32C (Castagnoli, reflected polynomial 0x82F63B78), big-endian, base64: how Cloud Storage reports `crc32c`. */
const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  return c >>> 0;
});
function crc32c(body: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of body) crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

function resource(bucket: string, name: string, o: StoredObject): object {
  return { kind: 'storage#object', id: `${bucket}/${name}/${o.generation}`, name, bucket, generation: o.generation, contentType: o.contentType, size: String(o.body.length), md5Hash: md5(o.body), crc32c: crc32c(o.body), updated: o.updated, timeCreated: o.updated };
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

function error(res: ServerResponse, status: number, reason: string, message: string): void {
  json(res, status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } });
}

/** The parts of a multipart/related body (RFC 2387), each with its content type. */
function multipart(body: Buffer, contentType: string): { contentType?: string; body: Buffer }[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (!boundary) return [];
  const text = body.toString('latin1');
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const headerEnd = part.indexOf('\r\n\r\n');
      const headers = part.slice(0, headerEnd);
      const content = part.slice(headerEnd + 4).replace(/\r\n$/, '');
      return { contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1], body: Buffer.from(content, 'latin1') };
    });
}
