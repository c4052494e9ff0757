/**
 * A local stand-in for the index API of an OpenSearch Serverless collection, on 127.0.0.1: it checks
 * each request's SigV4 signature the way the service does (service `aoss`, the collection's region,
 * `x-amz-content-sha256` matching the body, the signature recomputed from the canonical request),
 * answers create / get-mapping / delete of indexes with OpenSearch's bodies and error shapes, and
 * can play the first minutes after a deploy, when the data access policy has not reached the
 * collection yet and every request gets OpenSearch Serverless's 403.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCollectionOptions {
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Requests answered 403 before the data access policy "arrives". */
  readonly forbiddenRequests?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** Index names OpenSearch accepts (OpenSearch documentation, "Create index", naming restrictions). */
const INDEX_NAME = /^(?![_+-])[a-z0-9_+.-]+$/;
const FAISS_HNSW_PARAMETERS = new Set(['m', 'ef_construction', 'ef_search', 'encoder']);
const SPACE_TYPES = new Set(['l2', 'innerproduct', 'cosinesimil']);

export class FakeCollection {
  readonly requests: RecordedRequest[] = [];
  readonly indexes = new Map<string, { uuid: string; settings: unknown; mappings: unknown }>();
  private forbiddenLeft: number;
  private server?: Server;

  constructor(private readonly options: FakeCollectionOptions) {
    this.forbiddenLeft = options.forbiddenRequests ?? 0;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => (this.server ? this.server.close((e) => (e ? reject(e) : resolve())) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const reply = (status: number, payload?: unknown): void => {
      this.requests.push({ method: req.method ?? '', path, status });
      const text = payload === undefined ? '' : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };

    const signatureProblem = this.signatureProblem(req, path, body);
    if (signatureProblem) return reply(403, { status: 403, 'request-id': randomUUID(), error: { reason: signatureProblem, type: 'Forbidden' } });
    if (this.forbiddenLeft > 0) {
      this.forbiddenLeft--;
      return reply(403, { status: 403, 'request-id': randomUUID(), error: { reason: '403 Forbidden', type: 'Forbidden' } });
    }

    const match = /^\/([^/?]+)(\/_mapping)?$/.exec(path);
    if (!match) return reply(400, openSearchError('illegal_argument_exception', `unsupported path ${path}`, 400));
    const name = decodeURIComponent(match[1]);
    const existing = this.indexes.get(name);
    if (req.method === 'PUT' && !match[2]) {
      if (!INDEX_NAME.test(name) || Buffer.byteLength(name) > 255) {
        return reply(400, openSearchError('invalid_index_name_exception', `Invalid index name [${name}], must be lowercase and must not start with _, - or +`, 400, name));
      }
      if (existing) return reply(400, openSearchError('resource_already_exists_exception', `index [${name}/${existing.uuid}] already exists`, 400, name));
      let parsed: { settings?: unknown; mappings?: { properties?: Record<string, unknown> } };
      try {
        parsed = JSON.parse(body || '{}');
      } catch {
        return reply(400, openSearchError('parse_exception', 'request body is required', 400));
      }
      const mappingProblem = knnMappingProblem(parsed.mappings?.properties ?? {});
      if (mappingProblem) return reply(400, openSearchError('mapper_parsing_exception', mappingProblem, 400));
      this.indexes.set(name, { uuid: randomUUID(), settings: parsed.settings, mappings: parsed.mappings ?? {} });
      return reply(200, { acknowledged: true, shards_acknowledged: true, index: name });
    }
    if (req.method === 'GET' && match[2]) {
      if (!existing) return reply(404, openSearchError('index_not_found_exception', `no such index [${name}]`, 404, name));
      return reply(200, { [name]: { mappings: existing.mappings } });
    }
    if (req.method === 'DELETE' && !match[2]) {
      if (!existing) return reply(404, openSearchError('index_not_found_exception', `no such index [${name}]`, 404, name));
      this.indexes.delete(name);
      return reply(200, { acknowledged: true });
    }
    return reply(405, { error: `Incorrect HTTP method for uri [${path}] and method [${req.method}]`, status: 405 });
  }

  /** Why the request's SigV4 signature would be refused, or undefined. */
  private signatureProblem(req: IncomingMessage, path: string, body: string): string | undefined {
    const authorization = req.headers.authorization ?? '';
    const parsed = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!parsed) return 'missing or malformed Authorization header';
    const [, accessKeyId, date, region, service, signedHeaders, signature] = parsed;
    if (service !== 'aoss') return `credential scope names service ${service}, not aoss`;
    if (region !== this.options.region) return `credential scope names region ${region}, not ${this.options.region}`;
    if (accessKeyId !== this.options.accessKeyId) return 'The security token included in the request is invalid';
    const amzDate = header(req, 'x-amz-date');
    const contentSha = header(req, 'x-amz-content-sha256');
    if (!amzDate?.startsWith(date)) return 'x-amz-date is missing or does not match the credential scope';
    if (contentSha !== sha256(body)) return 'x-amz-content-sha256 is missing or does not match the body';
    const names = signedHeaders.split(';');
    if (!names.includes('host') || !names.includes('x-amz-date')) return 'host and x-amz-date must be signed';
    const [pathname, query = ''] = path.split('?');
    const canonicalQuery = query
      .split('&')
      .filter((p) => p.length > 0)
      .sort()
      .join('&');
    const canonicalRequest = [req.method, pathname, canonicalQuery, ...names.map((n) => `${n}:${(header(req, n) ?? '').trim().replace(/\s+/g, ' ')}`), '', signedHeaders, contentSha].join('\n');
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
    let key: Buffer = hmac(`AWS4${this.options.secretAccessKey}`, date);
    for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
    const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
    return expected === signature ? undefined : 'The request signature we calculated does not match the signature you provided';
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function openSearchError(type: string, reason: string, status: number, index?: string): object {
  const cause = { type, reason, ...(index ? { index, index_uuid: '_na_' } : {}) };
  return { error: { root_cause: [cause], ...cause }, status };
}

/** What the k-NN plugin rejects in a knn_vector mapping we send (OpenSearch documentation, "k-NN vector", "Methods and engines"). */
function knnMappingProblem(properties: Record<string, unknown>): string | undefined {
  for (const [field, value] of Object.entries(properties)) {
    const f = value as { type?: string; dimension?: unknown; method?: { name?: string; engine?: string; space_type?: string; parameters?: Record<string, unknown> } };
    if (f.type !== 'knn_vector') continue;
    if (!Number.isInteger(f.dimension) || (f.dimension as number) < 1 || (f.dimension as number) > 16_000) {
      return `Failed to parse mapping [_doc]: dimension must be an integer between 1 and 16000 for field [${field}]`;
    }
    const method = f.method;
    if (!method) continue;
    if (method.engine !== 'faiss') return `Failed to parse mapping [_doc]: this fake only models the faiss engine, got [${method.engine}]`;
    if (method.name !== 'hnsw') return `Failed to parse mapping [_doc]: Invalid method name: ${method.name}`;
    if (method.space_type && !SPACE_TYPES.has(method.space_type)) return `Failed to parse mapping [_doc]: Unable to find space: ${method.space_type}`;
    for (const parameter of Object.keys(method.parameters ?? {})) {
      if (!FAISS_HNSW_PARAMETERS.has(parameter)) return `Failed to parse mapping [_doc]: Invalid parameter for faiss hnsw: ${parameter}`;
    }
  }
  return undefined;
}
