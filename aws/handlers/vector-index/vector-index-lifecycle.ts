/**
 * Create, update and delete of one OpenSearch Serverless index, idempotent and patient:
 * - Create (and an Update to a new collection or index name) creates the index, or adopts an
 *   existing one whose vector fields match; the name derives from the mapping, so a mismatch means
 *   someone else made it and the deploy stops with that message.
 * - Update to the same index makes sure it still exists (recreating one deleted out of band).
 * - Delete removes the index; an index or collection that is already gone counts as deleted.
 * Right after a deploy creates the collection and its data access policy, the endpoint answers 403
 * or does not resolve yet for a while (OpenSearch Serverless Developer Guide, "Data access control":
 * policy changes take effect within minutes), so such answers are retried with capped, jittered
 * exponential backoff until the deadline; client errors (400) are not.
 */
import { OpenSearchApiError } from './opensearch-index-api';
import { parsePhysicalId, physicalIdOf, type VectorIndexEvent, type VectorIndexProperties, type VectorIndexResult } from './vector-index-event';

/** The index operations, so tests can point them at a local fake. */
export interface IndexApi {
  createIndex(name: string, body: object): Promise<void>;
  getMappings(name: string): Promise<Record<string, unknown> | undefined>;
  deleteIndex(name: string): Promise<boolean>;
}

export interface LifecycleRuntime {
  /** An API client for one collection endpoint. */
  readonly apiFor: (endpoint: string) => IndexApi;
  /** Epoch milliseconds after which no retry starts. */
  readonly deadline: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter source. */
  readonly random: () => number;
  readonly log: (entry: Record<string, unknown>) => void;
}

const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 30_000;

export async function handleVectorIndexEvent(event: VectorIndexEvent, runtime: LifecycleRuntime): Promise<VectorIndexResult> {
  if (event.RequestType === 'Delete') {
    const target = parsePhysicalId(event.PhysicalResourceId);
    if (target) await deleteIndex(target.endpoint, target.indexName, runtime);
    else runtime.log({ message: 'nothing to delete: the resource was never created', physicalResourceId: event.PhysicalResourceId });
    return { PhysicalResourceId: event.PhysicalResourceId ?? '', Data: { IndexName: target?.indexName ?? '' } };
  }
  const properties = validProperties(event.ResourceProperties);
  const body = JSON.parse(properties.IndexBody) as { mappings?: { properties?: Record<string, unknown> } };
  const api = runtime.apiFor(properties.CollectionEndpoint);
  const physicalResourceId = physicalIdOf(properties);
  if (event.RequestType === 'Update' && event.PhysicalResourceId === physicalResourceId) {
    const existing = await withRetries('DescribeIndex', () => api.getMappings(properties.IndexName), runtime);
    if (existing === undefined) await createOrAdopt(api, properties.IndexName, body, runtime);
  } else {
    await createOrAdopt(api, properties.IndexName, body, runtime);
  }
  return { PhysicalResourceId: physicalResourceId, Data: { IndexName: properties.IndexName } };
}

async function createOrAdopt(api: IndexApi, name: string, body: { mappings?: { properties?: Record<string, unknown> } }, runtime: LifecycleRuntime): Promise<void> {
  try {
    await withRetries('CreateIndex', () => api.createIndex(name, body), runtime);
    runtime.log({ message: 'created index', index: name });
  } catch (e) {
    if (!(e instanceof OpenSearchApiError && e.type === 'resource_already_exists_exception')) throw e;
    const existing = await withRetries('DescribeIndex', () => api.getMappings(name), runtime);
    const mismatch = vectorFieldMismatch(body.mappings?.properties ?? {}, (existing?.properties ?? {}) as Record<string, unknown>);
    if (mismatch) {
      throw new Error(
        `index ${name} already exists with a different vector field (${mismatch}); its name derives from the mapping, so it was created outside this stack: delete it or choose another index name`,
      );
    }
    runtime.log({ message: 'adopted existing index with the same vector fields', index: name });
  }
}

async function deleteIndex(endpoint: string, name: string, runtime: LifecycleRuntime): Promise<void> {
  const api = runtime.apiFor(endpoint);
  // A collection endpoint that no longer resolves belongs to a deleted collection: its indexes are gone.
  const outcome = await withRetries('DeleteIndex', () => api.deleteIndex(name).catch(unlessCollectionGone), runtime);
  runtime.log({ message: outcome === true ? 'deleted index' : outcome === false ? 'index was already gone' : 'collection is gone', index: name, endpoint });
}

function unlessCollectionGone(e: unknown): 'collection-gone' {
  if (e instanceof OpenSearchApiError && e.status === 0 && e.type === 'ENOTFOUND') return 'collection-gone';
  throw e;
}

/** Runs `operation` until it succeeds, fails with a client error, or the deadline passes. */
async function withRetries<T>(name: string, operation: () => Promise<T>, runtime: LifecycleRuntime): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (e) {
      if (!(e instanceof OpenSearchApiError) || !isRetryable(e)) throw e;
      const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1)) * (0.5 + runtime.random() / 2);
      if (runtime.now() + backoff > runtime.deadline) {
        throw new Error(`${name} still failing after ${attempt} attempts, giving up before the handler's deadline: ${e.message}`);
      }
      runtime.log({ message: 'retrying', operation: name, attempt, status: e.status, type: e.type, reason: e.reason, backoffMs: Math.round(backoff) });
      await runtime.sleep(backoff);
    }
  }
}

/**
 * No response (DNS of the new endpoint, connection), 401/403 while the data access policy
 * propagates, 404 from the collection's front end before it routes to the new collection, 408, 429
 * and 5xx. OpenSearch's own 404 `index_not_found_exception` is an answer, not a transient.
 */
function isRetryable(e: OpenSearchApiError): boolean {
  if (e.status === 0) return true;
  if (e.status === 404) return e.type !== 'index_not_found_exception';
  return e.status === 401 || e.status === 403 || e.status === 408 || e.status === 429 || e.status >= 500;
}

/** Why the existing index's vector fields differ from the requested ones, or undefined. */
function vectorFieldMismatch(requested: Record<string, unknown>, existing: Record<string, unknown>): string | undefined {
  for (const [field, definition] of Object.entries(requested)) {
    const want = definition as KnnField;
    if (want.type !== 'knn_vector') continue;
    const have = (existing[field] ?? {}) as KnnField;
    const pairs: [string, unknown, unknown][] = [
      ['type', want.type, have.type],
      ['dimension', want.dimension, have.dimension],
      ['method.name', want.method?.name, have.method?.name],
      ['method.engine', want.method?.engine, have.method?.engine],
      ['method.space_type', want.method?.space_type, have.method?.space_type],
      ...Object.entries(want.method?.parameters ?? {}).map(([k, v]): [string, unknown, unknown] => [`method.parameters.${k}`, v, have.method?.parameters?.[k]]),
    ];
    for (const [path, a, b] of pairs) {
      if (String(a) !== String(b)) return `${field}.${path}: wanted ${String(a)}, found ${String(b)}`;
    }
  }
  return undefined;
}

interface KnnField {
  readonly type?: string;
  readonly dimension?: number;
  readonly method?: { readonly name?: string; readonly engine?: string; readonly space_type?: string; readonly parameters?: Record<string, unknown> };
}

function validProperties(properties: VectorIndexEvent['ResourceProperties']): VectorIndexProperties {
  const missing = (['CollectionEndpoint', 'IndexName', 'IndexBody'] as const).filter((k) => typeof properties[k] !== 'string' || properties[k].length === 0);
  if (missing.length > 0) throw new Error(`vector index properties missing: ${missing.join(', ')}`);
  try {
    JSON.parse(properties.IndexBody);
  } catch (e) {
    throw new Error(`IndexBody is not JSON: ${(e as Error).message}`);
  }
  return properties;
}
