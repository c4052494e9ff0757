/** Vector Search filtering as documented (https://cloud.google.com/vertex-ai/docs/vector-search/filtering). */
import { describe, expect, it } from 'vitest';
import { datapointAttributes, matchesRestricts, queryRestricts, type NumericRestrictionJson, type RestrictionJson } from '../../load-tests/vector-store/vertex';

const point = (restricts: RestrictionJson[], numeric: NumericRestrictionJson[] = []) => datapointAttributes(restricts, numeric).attributes;
const matches = (p: ReturnType<typeof point>, restricts: RestrictionJson[], numeric: NumericRestrictionJson[] = []) => {
  const q = queryRestricts(restricts, numeric);
  expect(q.problems).toEqual([]);
  return matchesRestricts(p, q.restricts);
};

describe('Vector Search restricts', () => {
  const redSquare = point([
    { namespace: 'color', allowList: ['red'] },
    { namespace: 'shape', allowList: ['square'] },
  ]);

  it('is an OR within a namespace and an AND across namespaces', () => {
    expect(matches(redSquare, [{ namespace: 'color', allowList: ['red', 'blue'] }, { namespace: 'shape', allowList: ['square', 'circle'] }])).toBe(true);
    expect(matches(redSquare, [{ namespace: 'color', allowList: ['red'] }, { namespace: 'shape', allowList: ['circle'] }])).toBe(false);
    expect(matches(redSquare, [{ namespace: 'color', allowList: ['red'] }])).toBe(true);
    expect(matches(point([]), [{ namespace: 'color', allowList: ['red'] }])).toBe(false);
  });

  it('excludes denied tokens, and a namespace with only deny tokens lets the rest through', () => {
    expect(matches(redSquare, [{ namespace: 'color', denyList: ['red'] }])).toBe(false);
    expect(matches(redSquare, [{ namespace: 'color', denyList: ['blue'] }])).toBe(true);
    expect(matches(point([]), [{ namespace: 'color', denyList: ['blue'] }])).toBe(true);
    // A datapoint's own deny token keeps it out of queries that ask for that token.
    const notBlue = point([{ namespace: 'color', allowList: ['red'], denyList: ['blue'] }]);
    expect(matches(notBlue, [{ namespace: 'color', allowList: ['red', 'blue'] }])).toBe(false);
    expect(matches(notBlue, [{ namespace: 'color', allowList: ['red'] }])).toBe(true);
  });

  it('compares numeric values with the query operator, int64 as strings and enums as numbers included', () => {
    const price = point([], [{ namespace: 'price', valueInt: '20' }]);
    const table: [NumericRestrictionJson, boolean][] = [
      [{ namespace: 'price', valueInt: 30, op: 'LESS' }, true],
      [{ namespace: 'price', valueInt: 20, op: 'LESS' }, false],
      [{ namespace: 'price', valueDouble: 20, op: 'LESS_EQUAL' }, true],
      [{ namespace: 'price', valueFloat: 20, op: 'EQUAL' }, true],
      [{ namespace: 'price', valueInt: '21', op: 'GREATER_EQUAL' }, false],
      [{ namespace: 'price', valueInt: 19, op: 5 }, true],
      [{ namespace: 'price', valueInt: 20, op: 'NOT_EQUAL' }, false],
      [{ namespace: 'length', valueInt: 0, op: 'GREATER' }, false],
    ];
    for (const [restrict, expected] of table) expect([restrict, matches(price, [], [restrict])]).toEqual([restrict, expected]);
  });

  it('refuses operators on datapoints, duplicate namespaces and numeric queries without an operator', () => {
    expect(datapointAttributes([], [{ namespace: 'price', valueInt: 1, op: 'LESS' }]).problems).toEqual([expect.stringContaining('an operator belongs in a query')]);
    expect(datapointAttributes([{ namespace: 'color' }, { namespace: 'color' }]).problems).toEqual([expect.stringContaining('"color" appears more than once')]);
    expect(queryRestricts([], [{ namespace: 'price', valueInt: 1 }]).problems).toEqual([expect.stringContaining('needs op, one of LESS, LESS_EQUAL')]);
    expect(queryRestricts([], [{ namespace: 'price', op: 'LESS' }]).problems).toEqual([expect.stringContaining('needs one of valueInt')]);
  });
});
