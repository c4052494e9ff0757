/**
 * The local OpenSearch Serverless vector search collection, served by `serving-stacks emulate` on
 * its port under `/opensearch`: the official client keeps a node URL's path
 * (`@opensearch-project/opensearch` lib/Connection.js prefixes every request path with it), so
 * `new Client({ node: 'http://127.0.0.1:8780/opensearch' })` reaches it and the emulator's own
 * routes (`/endpoints/…`, `/v1/…`, `/emulator`) never collide with an index name.
 *
 * Routes (paths after the prefix):
 *   PUT /{index}  DELETE /{index}  HEAD /{index}  GET /{index}  GET /{index}/_mapping
 *   POST|PUT /_bulk  POST|PUT /{index}/_bulk          (NDJSON; index, create, delete, update)
 *   POST|GET /{index}/_search                         (knn query, or a filter query)
 *   POST /{index}/_delete_by_query  POST|GET /{index}/_count
 *   GET /{index}/_doc/{id}  POST /{index}/_doc        (server-generated id)
 * Refused as a vector collection refuses them: a custom `_id` (`PUT /{index}/_doc/{id}`,
 * `/_create/{id}`, `_id` in bulk), upserts, and the `refresh` parameter (400 "<value> refresh policy
 * is not supported", as reported in argilla-io/argilla#3251); `_refresh` and any other API answer
 * 404 with an empty body, as OpenSearch Serverless answers APIs it does not expose
 * (opensearch-project/k-NN#1037). Supported operations:
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-genref.html#serverless-operations
 */
import type { ServerResponse } from 'node:http';
import type { Clock } from '../../clock/clock';
import type { EmulatorRequest, EmulatorService } from '../../emulator/emulator-service';
import type { VectorIndexFactory } from '../vector-index';
import { parseBulk } from './bulk-request';
import { OpenSearchCollection } from './opensearch-collection';
import { illegalArgument, OpenSearchError, parseError } from './opensearch-error';
import { compileQuery } from './query-filter';
import { parseSearchRequest } from './search-request';
import { checkSigV4 } from './sigv4-authorization';

export const OPENSEARCH_PATH_PREFIX = '/opensearch';
/** OpenSearch's default `http.max_content_length` (100 MB). */
export const OPENSEARCH_MAX_BODY_BYTES = 100 * 1024 * 1024;
/**
 * How long a change takes to become searchable. OpenSearch refreshes every second by default
 * (https://docs.opensearch.org/latest/api-reference/index-apis/refresh/); OpenSearch Serverless
 * controls the refresh itself and takes no `refresh` parameter.
 */
export const DEFAULT_SEARCHABLE_AFTER_MS = 1_000;

/** The index the deployed stack creates, and the fields callers use in it. */
export interface TopologyVectorIndex {
  readonly name: string;
  /** The `PUT /{index}` body. */
  readonly body: unknown;
  readonly vectorField: string;
  /** The document field holding the caller's own id (the collection generates `_id`). */
  readonly idField: string;
}

export interface OpenSearchServiceOptions {
  /** Builds the vector index behind each OpenSearch index. */
  readonly factory: VectorIndexFactory;
  readonly clock: Clock;
  /** @default DEFAULT_SEARCHABLE_AFTER_MS */
  readonly searchableAfterMs?: number;
  /** JSON-lines file the collection's changes are kept in. @default - in memory only */
  readonly logFile?: string;
  /** Created at start when absent, as the stack's vector-index custom resource creates it on deploy. */
  readonly topologyIndex?: TopologyVectorIndex;
}

export class OpenSearchService implements EmulatorService {
  /** Key in `GET /emulator`; the Vertex Vector Search service lists itself beside it under the same key. */
  readonly name = 'vectorStore';
  readonly maxBodyBytes = OPENSEARCH_MAX_BODY_BYTES;
  readonly collection: OpenSearchCollection;
  readonly searchableAfterMs: number;

  constructor(private readonly options: OpenSearchServiceOptions) {
    this.searchableAfterMs = options.searchableAfterMs ?? DEFAULT_SEARCHABLE_AFTER_MS;
    this.collection = new OpenSearchCollection({ factory: options.factory, clock: options.clock, searchableAfterMs: this.searchableAfterMs, logFile: options.logFile });
    const index = options.topologyIndex;
    if (index && !this.collection.has(index.name)) this.collection.createIndex(index.name, index.body);
  }

  matches(_method: string, path: string): boolean {
    return path === OPENSEARCH_PATH_PREFIX || path.startsWith(`${OPENSEARCH_PATH_PREFIX}/`);
  }

  handle(request: EmulatorRequest, res: ServerResponse): void {
    const problem = checkSigV4(request.headers);
    if (problem) return send(res, 403, { status: 403, error: { reason: problem.reason, type: 'Forbidden' } });
    if (request.body === 'too-large') return send(res, 413, undefined);
    try {
      const answer = this.route(request.method, request.path.slice(OPENSEARCH_PATH_PREFIX.length), request.query, request.body);
      if (answer === undefined) return send(res, 404, undefined);
      send(res, answer.status, request.method === 'HEAD' ? undefined : answer.body);
    } catch (e) {
      if (!(e instanceof OpenSearchError)) throw e;
      send(res, e.status, e.body());
    }
  }

  internalError(res: ServerResponse): void {
    send(res, 500, new OpenSearchError(500, 'exception', 'An internal error occurred in the local OpenSearch collection').body());
  }

  listing(baseUrl: string): unknown {
    const index = this.options.topologyIndex;
    return {
      opensearch: {
        url: `${baseUrl}${OPENSEARCH_PATH_PREFIX}`,
        ...(index ? { index: index.name, field: index.vectorField, idField: index.idField, engine: this.collection.kindOf(index.name) } : {}),
        searchableAfterMs: this.searchableAfterMs,
        note: 'a local stand-in for an OpenSearch Serverless vector search collection; its index is not the cloud engine',
      },
    };
  }

  banner(baseUrl: string): readonly string[] {
    const index = this.options.topologyIndex;
    const kind = index ? this.collection.kindOf(index.name) : undefined;
    return [
      `vector store: OpenSearch Serverless vector search collection (a local stand-in${kind ? `; index: ${kind}` : "; not the cloud's engine"})`,
      `  OpenSearch node  ${baseUrl}${OPENSEARCH_PATH_PREFIX}${index ? `  index ${index.name}, vector field ${index.vectorField}, id field ${index.idField}` : ''}`,
      `  changes searchable after ${this.searchableAfterMs} ms; custom _id, upserts and refresh are refused as in the cloud`,
    ];
  }

  async close(): Promise<void> {
    this.collection.close();
  }

  private route(method: string, path: string, query: URLSearchParams, body: Buffer): { status: number; body: unknown } | undefined {
    const parts = path.split('/').filter((p) => p !== '');
    const c = this.collection;
    const ok = (answer: unknown) => ({ status: 200, body: answer });
    const [first, second, third] = parts;
    if (parts.length === 1 && first === '_bulk' && (method === 'POST' || method === 'PUT')) return this.bulk(undefined, query, body);
    if (first === undefined || first.startsWith('_')) return undefined;
    const index = first;
    if (parts.length === 1) {
      if (method === 'PUT') return ok(c.createIndex(index, json(body) ?? {}));
      if (method === 'DELETE') return ok(c.deleteIndex(index));
      if (method === 'GET') return ok(c.describe(index));
      if (method === 'HEAD') return { status: c.has(index) ? 200 : 404, body: undefined };
      return undefined;
    }
    const write = method === 'POST' || method === 'PUT';
    switch (second) {
      case '_mapping':
        return method === 'GET' && parts.length === 2 ? ok(c.mapping(index)) : undefined;
      case '_bulk':
        return write && parts.length === 2 ? this.bulk(index, query, body) : undefined;
      case '_search':
        return (method === 'POST' || method === 'GET') && parts.length === 2 ? ok(c.search(index, parseSearchRequest(json(body), query))) : undefined;
      case '_count':
        return (method === 'POST' || method === 'GET') && parts.length === 2 ? ok(c.count(index, queryOf(json(body)))) : undefined;
      case '_delete_by_query':
        if (method !== 'POST' || parts.length !== 2) return undefined;
        rejectRefresh(query);
        return ok(c.deleteByQuery(index, queryOf(json(body))));
      case '_doc':
      case '_create': {
        if (method === 'GET' && second === '_doc' && parts.length === 3) return c.getDocument(index, third);
        if (!write) return undefined;
        rejectRefresh(query);
        // A path id is a custom document id: refused before the index is looked at, as the service does.
        if (parts.length === 3) throw illegalArgument(`Document ID is not supported in create/index operation request`);
        if (parts.length !== 2 || method !== 'POST') return undefined;
        const doc = json(body);
        if (!isObject(doc)) throw parseError('The document must be a JSON object');
        return c.write({ type: 'index', index, body: doc });
      }
      default:
        return undefined;
    }
  }

  private bulk(pathIndex: string | undefined, query: URLSearchParams, body: Buffer): { status: number; body: unknown } {
    rejectRefresh(query);
    const started = performance.now();
    const actions = parseBulk(body.toString('utf8'), pathIndex);
    const items = this.collection.batched(() => actions.map((action) => ({ [action.type]: this.collection.write(action).body })));
    const errors = items.some((item) => Object.values(item)[0].error !== undefined);
    return { status: 200, body: { took: Math.round(performance.now() - started), errors, items } };
  }
}

/** The `refresh` parameter, refused with any value but the default `false`. */
function rejectRefresh(query: URLSearchParams): void {
  const refresh = query.get('refresh');
  if (refresh === null || refresh === 'false') return;
  throw illegalArgument(`${refresh === '' ? 'true' : refresh} refresh policy is not supported`);
}

function queryOf(body: unknown) {
  if (body === undefined) return compileQuery({ match_all: {} });
  if (!isObject(body)) throw parseError('the request body must be a JSON object', 'parsing_exception');
  return compileQuery(body.query ?? { match_all: {} });
}

function json(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw parseError(`Failed to parse the request body as JSON: ${(e as Error).message}`);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status, { 'Content-Length': 0 });
    return void res.end();
  }
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
