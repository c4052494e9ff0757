/**
 * A `_search` body: either a k-NN query
 * `{ size?, _source?, query: { knn: { <field>: { vector, k, filter?, method_parameters?: { ef_search } } } } }`
 * (https://docs.opensearch.org/latest/query-dsl/specialized/k-nn/) or, for looking documents up by
 * their own id field, one of the filter queries of query-filter.ts.
 */
import { compileQuery, type DocumentPredicate } from './query-filter';
import { parseError } from './opensearch-error';

export interface KnnClause {
  readonly field: string;
  readonly vector: readonly number[];
  readonly k: number;
  readonly filter?: DocumentPredicate;
  readonly efSearch?: number;
}

export interface SearchRequest {
  /** Hits returned. OpenSearch's default is 10. */
  readonly size: number;
  /** Hits skipped before them. */
  readonly from: number;
  readonly source: SourceFilter;
  readonly knn?: KnnClause;
  /** A non-k-NN query; absent with `knn`. */
  readonly filter?: DocumentPredicate;
}

/** Which `_source` fields a hit carries: all, none, or the ones matching the patterns. */
export type SourceFilter = boolean | { readonly includes: readonly RegExp[]; readonly excludes: readonly RegExp[] };

const DEFAULT_SIZE = 10;
/** Body keys the local store reads, or may ignore without changing the hits. */
const KNOWN_KEYS = ['size', 'from', '_source', 'query', 'track_total_hits', 'timeout'];

export function parseSearchRequest(body: unknown, query: URLSearchParams): SearchRequest {
  const root = body === undefined ? {} : body;
  if (!isObject(root)) throw parseError('Unknown key for a VALUE_STRING in [body]; the request body must be a JSON object', 'parsing_exception');
  // Anything else (aggs, sort, post_filter, …) would change the answer: refused rather than ignored.
  for (const key of Object.keys(root)) {
    if (!KNOWN_KEYS.includes(key)) throw parseError(`[${key}] is not supported by the local OpenSearch collection; it reads ${KNOWN_KEYS.join(', ')}`, 'parsing_exception');
  }
  const size = count(root.size, query.get('size'), DEFAULT_SIZE, 'size');
  const from = count(root.from, query.get('from'), 0, 'from');
  const source = parseSource(root._source ?? query.get('_source') ?? true);
  const q = root.query ?? { match_all: {} };
  if (isObject(q) && 'knn' in q) {
    if (Object.keys(q).length !== 1) throw parseError(`[query] malformed, expected one query type, got [${Object.keys(q).join(', ')}]`, 'parsing_exception');
    return { size, from, source, knn: parseKnn(q.knn) };
  }
  return { size, from, source, filter: compileQuery(q) };
}

function count(fromBody: unknown, fromQuery: string | null, fallback: number, name: string): number {
  const value = fromBody ?? (fromQuery === null ? fallback : Number(fromQuery));
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw parseError(`[${name}] must be a non-negative integer, got ${JSON.stringify(value)}`);
  return value;
}

function parseKnn(spec: unknown): KnnClause {
  if (!isObject(spec) || Object.keys(spec).length !== 1) throw parseError('[knn] query malformed, expected exactly one vector field', 'parsing_exception');
  const [field, raw] = Object.entries(spec)[0];
  if (!isObject(raw)) throw parseError(`[knn] query malformed, field [${field}] must be an object`, 'parsing_exception');
  for (const key of Object.keys(raw)) {
    if (!['vector', 'k', 'filter', 'method_parameters', 'boost', '_name'].includes(key)) throw parseError(`[knn] unknown token [${key}] after [${field}]`, 'parsing_exception');
  }
  const { vector, k } = raw;
  if (!Array.isArray(vector) || vector.length === 0 || !vector.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw parseError(`[knn] failed to parse field [vector]: expected a non-empty array of numbers, got ${JSON.stringify(vector)?.slice(0, 80)}`);
  }
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 10_000) throw parseError(`[knn] failed to parse field [k]: must be an integer in 1..10000, got ${JSON.stringify(k)}`);
  const methodParameters = raw.method_parameters;
  let efSearch: number | undefined;
  if (methodParameters !== undefined) {
    if (!isObject(methodParameters)) throw parseError('[knn] failed to parse field [method_parameters]: must be an object');
    for (const key of Object.keys(methodParameters)) {
      if (key !== 'ef_search') throw parseError(`[knn] unknown method parameter [${key}]; the local HNSW takes [ef_search]`);
    }
    const ef = methodParameters.ef_search;
    if (ef !== undefined && (typeof ef !== 'number' || !Number.isInteger(ef) || ef < 1)) {
      throw parseError(`[knn] failed to parse field [method_parameters.ef_search]: must be a positive integer, got ${JSON.stringify(ef)}`);
    }
    efSearch = ef;
  }
  return { field, vector, k, filter: raw.filter === undefined ? undefined : compileQuery(raw.filter, `knn.${field}.filter`), efSearch };
}

function parseSource(raw: unknown): SourceFilter {
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  const list = (v: unknown): RegExp[] => (v === undefined ? [] : (Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v]).map(pattern));
  if (typeof raw === 'string' || Array.isArray(raw)) return { includes: list(raw), excludes: [] };
  if (isObject(raw)) return { includes: list(raw.includes), excludes: list(raw.excludes) };
  throw parseError(`[_source] must be a boolean, a field pattern, a list of them or {includes, excludes}, got ${JSON.stringify(raw)}`);
}

function pattern(value: unknown): RegExp {
  if (typeof value !== 'string') throw parseError(`[_source] field patterns are strings, got ${JSON.stringify(value)}`);
  return new RegExp(`^${value.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** The `_source` a hit carries under the filter (top-level fields). */
export function filterSource(source: Readonly<Record<string, unknown>>, filter: SourceFilter): Record<string, unknown> | undefined {
  if (filter === true) return { ...source };
  if (filter === false) return undefined;
  return Object.fromEntries(
    Object.entries(source).filter(([key]) => (filter.includes.length === 0 || filter.includes.some((p) => p.test(key))) && !filter.excludes.some((p) => p.test(key))),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
