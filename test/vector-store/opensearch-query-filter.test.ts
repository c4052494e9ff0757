/** The filter queries of the local OpenSearch collection, compiled to predicates over `_source`. */
import { describe, expect, it } from 'vitest';
import { compileQuery, OpenSearchError } from '../../load-tests/vector-store/opensearch';

const docs: Record<string, Record<string, unknown>> = {
  a: { id: 'a', section: 'world', tags: ['election', 'europe'], year: 2021, meta: { lang: 'en' } },
  b: { id: 'b', section: 'sport', tags: ['football'], year: 2023, meta: { lang: 'de' } },
  c: { id: 'c', section: 'sport', year: 2025 },
};

function matching(query: unknown): string[] {
  const predicate = compileQuery(query);
  return Object.entries(docs).filter(([id, source]) => predicate(id, source)).map(([id]) => id);
}

describe('query filter', () => {
  it('matches term on keywords, on any element of an array, and on dotted paths', () => {
    expect(matching({ term: { section: 'sport' } })).toEqual(['b', 'c']);
    expect(matching({ term: { tags: { value: 'europe' } } })).toEqual(['a']);
    expect(matching({ term: { 'meta.lang': 'de' } })).toEqual(['b']);
    expect(matching({ terms: { tags: ['football', 'europe'] } })).toEqual(['a', 'b']);
  });

  it('matches ranges, exists and ids', () => {
    expect(matching({ range: { year: { gt: 2021, lte: 2025 } } })).toEqual(['b', 'c']);
    expect(matching({ exists: { field: 'tags' } })).toEqual(['a', 'b']);
    expect(matching({ ids: { values: ['c'] } })).toEqual(['c']);
  });

  it('combines with bool: must and filter all, must_not none, should at least one without must (or minimum_should_match)', () => {
    expect(matching({ bool: { filter: [{ term: { section: 'sport' } }], must_not: { term: { id: 'c' } } } })).toEqual(['b']);
    expect(matching({ bool: { should: [{ term: { id: 'a' } }, { term: { id: 'c' } }] } })).toEqual(['a', 'c']);
    expect(matching({ bool: { must: { match_all: {} }, should: [{ term: { id: 'a' } }] } })).toEqual(['a', 'b', 'c']);
    expect(matching({ bool: { should: [{ term: { section: 'sport' } }, { range: { year: { gte: 2025 } } }], minimum_should_match: 2 } })).toEqual(['c']);
  });

  it('refuses an unknown query type with parsing_exception', () => {
    expect(() => compileQuery({ bool: { must: [{ match: { section: 'sport' } }] } })).toThrow(OpenSearchError);
    let thrown: unknown;
    try {
      compileQuery({ fuzzy: { section: 'sprot' } });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as OpenSearchError).body()).toEqual({
      error: { root_cause: [{ type: 'parsing_exception', reason: 'unknown query [fuzzy]', line: 1, col: 1 }], type: 'parsing_exception', reason: 'unknown query [fuzzy]', line: 1, col: 1 },
      status: 400,
    });
  });
});
