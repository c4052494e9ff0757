/**
 * Whatever a user feeds the parser, it returns a topology or throws one TopologyError whose
 * every problem has a path and a message: never another exception, never a half-valid result.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTopology, parseTopologyText, presetInput, TopologyError, type Topology } from '../../constructs';

function outcome(run: () => Topology): 'ok' | 'error' {
  try {
    const t = run();
    expect(t.endpoints.length).toBeGreaterThan(0);
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(TopologyError);
    const error = e as TopologyError;
    expect(error.problems.length).toBeGreaterThan(0);
    for (const p of error.problems) {
      expect(typeof p.path).toBe('string');
      expect(p.message.length).toBeGreaterThan(0);
    }
    return 'error';
  }
}

/** Paths into the dev preset, so mutations land on real fields as well as new ones. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function setAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = replacement;
  return copy;
}

const base = presetInput('dev');
const basePaths = paths(base);

describe('parseTopology on arbitrary input', () => {
  it('only ever returns a topology or a TopologyError for arbitrary values', () => {
    fc.assert(fc.property(fc.anything(), (input) => void outcome(() => parseTopology(input))), { numRuns: 300 });
  });

  it('only ever returns a topology or a TopologyError for arbitrary text', () => {
    fc.assert(fc.property(fc.string(), (text) => void outcome(() => parseTopologyText(text))), { numRuns: 300 });
  });

  it('only ever returns a topology or a TopologyError when one field of a valid topology is replaced', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.constantFrom(...basePaths), fc.anything(), (path, value) => {
        seen.add(outcome(() => parseTopology(setAt(base, path, value))));
      }),
      { numRuns: 500 },
    );
    // The mutations exercise both outcomes, so the property is not vacuous.
    expect(seen).toEqual(new Set(['ok', 'error']));
  });
});
