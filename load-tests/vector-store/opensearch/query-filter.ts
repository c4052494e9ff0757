/**
 * The query DSL subset a k-NN `filter` and `_delete_by_query` / `_count` use, compiled to a
 * predicate over a document's `_source`: `match_all`, `term`, `terms`, `range`, `exists`, `ids`
 * and `bool` (`must`, `filter`, `should`, `must_not`, `minimum_should_match`)
 * (https://docs.opensearch.org/latest/query-dsl/term/, …/compound/bool/). Values compare as
 * OpenSearch compares keyword and numeric fields: exact match, arrays match on any element.
 * Any other query type is answered with OpenSearch's `parsing_exception` "unknown query".
 */
import { OpenSearchError, parseError } from './opensearch-error';

export type DocumentPredicate = (id: string, source: Readonly<Record<string, unknown>>) => boolean;

export function compileQuery(query: unknown, path = 'query'): DocumentPredicate {
  if (!isObject(query)) throw parseError(`[${path}] query malformed, must start with start_object`, 'parsing_exception');
  const entries = Object.entries(query);
  if (entries.length !== 1) throw parseError(`[${path}] query malformed, expected one query type, got [${Object.keys(query).join(', ')}]`, 'parsing_exception');
  const [type, spec] = entries[0];
  switch (type) {
    case 'match_all':
      return () => true;
    case 'term': {
      const [field, raw] = singleField(spec, type);
      const value = isObject(raw) ? raw.value : raw;
      return (_id, source) => valuesOf(source, field).some((v) => v === value);
    }
    case 'terms': {
      const [field, raw] = singleField(spec, type);
      if (!Array.isArray(raw)) throw parseError(`[terms] query requires an array of values for field [${field}]`, 'parsing_exception');
      const accepted = new Set(raw);
      return (_id, source) => valuesOf(source, field).some((v) => accepted.has(v));
    }
    case 'range': {
      const [field, raw] = singleField(spec, type);
      if (!isObject(raw)) throw parseError(`[range] query malformed, field [${field}] needs an object of bounds`, 'parsing_exception');
      const bounds = Object.entries(raw).map(([op, bound]) => {
        if (!['gt', 'gte', 'lt', 'lte'].includes(op)) throw parseError(`[range] query does not support [${op}]`, 'parsing_exception');
        return [op, bound] as const;
      });
      return (_id, source) => valuesOf(source, field).some((v) => bounds.every(([op, bound]) => compare(v, op, bound)));
    }
    case 'exists': {
      const field = isObject(spec) ? spec.field : undefined;
      if (typeof field !== 'string') throw parseError('[exists] must be provided with a [field]', 'parsing_exception');
      return (_id, source) => valuesOf(source, field).some((v) => v !== null);
    }
    case 'ids': {
      const values = isObject(spec) ? spec.values : undefined;
      if (!Array.isArray(values)) throw parseError('[ids] query requires [values]', 'parsing_exception');
      const accepted = new Set(values.map(String));
      return (id) => accepted.has(id);
    }
    case 'bool':
      return compileBool(spec, path);
    default:
      throw new OpenSearchError(400, 'parsing_exception', `unknown query [${type}]`, { line: 1, col: 1 });
  }
}

function compileBool(spec: unknown, path: string): DocumentPredicate {
  if (!isObject(spec)) throw parseError('[bool] query malformed, must be an object', 'parsing_exception');
  const clauses = (name: string): DocumentPredicate[] => {
    const raw = spec[name];
    if (raw === undefined) return [];
    return (Array.isArray(raw) ? raw : [raw]).map((q, i) => compileQuery(q, `${path}.bool.${name}[${i}]`));
  };
  for (const key of Object.keys(spec)) {
    if (!['must', 'filter', 'should', 'must_not', 'minimum_should_match', 'boost'].includes(key)) {
      throw parseError(`[bool] query does not support [${key}]`, 'parsing_exception');
    }
  }
  const required = [...clauses('must'), ...clauses('filter')];
  const should = clauses('should');
  const mustNot = clauses('must_not');
  // Without must/filter, at least one should clause must match (OpenSearch bool query docs).
  const minimum = typeof spec.minimum_should_match === 'number' ? spec.minimum_should_match : required.length === 0 && should.length > 0 ? 1 : 0;
  return (id, source) =>
    required.every((p) => p(id, source)) && !mustNot.some((p) => p(id, source)) && should.filter((p) => p(id, source)).length >= minimum;
}

function singleField(spec: unknown, type: string): [string, unknown] {
  const entries = isObject(spec) ? Object.entries(spec).filter(([k]) => k !== 'boost' && k !== '_name') : [];
  if (entries.length !== 1) throw parseError(`[${type}] query doesn't support multiple fields, found [${entries.map(([k]) => k).join(', ')}]`, 'parsing_exception');
  return entries[0];
}

/** The values at a dotted path; arrays contribute each element, as OpenSearch indexes them. */
function valuesOf(source: Readonly<Record<string, unknown>>, field: string): unknown[] {
  let current: unknown[] = [source];
  for (const part of field.split('.')) {
    current = current.flatMap((v) => (isObject(v) && part in v ? [v[part]] : [])).flatMap((v) => (Array.isArray(v) ? v : [v]));
  }
  return current;
}

function compare(value: unknown, op: string, bound: unknown): boolean {
  if (value === null || value === undefined) return false;
  const a = typeof value === 'number' || typeof bound === 'number' ? Number(value) : String(value);
  const b = typeof value === 'number' || typeof bound === 'number' ? Number(bound) : String(bound);
  if (op === 'gt') return a > b;
  if (op === 'gte') return a >= b;
  if (op === 'lt') return a < b;
  return a <= b;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
