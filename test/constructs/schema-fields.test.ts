import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allowedValues, defaultValue, schemaFields, type JsonSchemaNode } from '../../constructs';

/** The JSON Schema zod writes for a small schema, as the topology's is written. */
function jsonSchemaOf(schema: z.ZodType): JsonSchemaNode {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
}

function only(schema: z.ZodType): JsonSchemaNode {
  return jsonSchemaOf(z.strictObject({ field: schema })).properties!.field;
}

describe('allowedValues', () => {
  it.each([
    ['an integer range', z.number().int().min(1).max(100), 'integer 1–100'],
    ['an integer with only a floor (no safe-integer bound shown)', z.number().int().min(1), 'integer ≥ 1'],
    ['a positive number with a ceiling', z.number().positive().max(2048), 'number > 0 and ≤ 2048'],
    ['a positive number', z.number().positive(), 'number > 0'],
    ['an enum', z.enum(['canary', 'linear']), 'one of canary, linear'],
    ['a literal', z.literal(8080), 'only 8080'],
    ['a union of literals', z.union([z.literal(1), z.literal(2)]), 'one of 1, 2'],
    ['a boolean', z.boolean(), 'true or false'],
    ['a bounded, patterned string', z.string().regex(/^[a-z]+$/).max(16), 'string of at most 16 characters matching ^[a-z]+$'],
    ['an e-mail list', z.array(z.email()).max(10), 'list of at most 10 items, each email address'],
    ['a list of objects', z.array(z.strictObject({ a: z.string() })).min(1).max(20), 'list of 1–20 objects'],
    ['a record', z.record(z.string().regex(/^[A-Z]+$/), z.string().max(8)), 'map from string matching ^[A-Z]+$ to string of at most 8 characters'],
  ])('states %s', (_, schema, expected) => {
    expect(allowedValues(only(schema))).toBe(expected);
  });

  it('formats values and patterns as asked (code in Markdown)', () => {
    expect(allowedValues(only(z.enum(['a', 'b'])), (s) => `\`${s}\``)).toBe('one of `a`, `b`');
  });
});

describe('defaultValue', () => {
  const fields = schemaFields(
    jsonSchemaOf(
      z.strictObject({
        plain: z.number().default(600),
        needed: z.string(),
        maybe: z.string().optional(),
        fromFields: z.strictObject({ a: z.number().default(1), b: z.string().optional() }).default({ a: 1 }),
        ownDefault: z.strictObject({ type: z.enum(['none', 'gpu']), count: z.number().default(1) }).default({ type: 'none', count: 1 }),
      }),
    ),
  );
  const defaultOf = (path: string) => defaultValue(fields.find((f) => f.path === path)!);

  it('shows a static default as it would be written in YAML', () => {
    expect(defaultOf('plain')).toBe('600');
    expect(defaultOf('ownDefault')).toBe('{ type: none, count: 1 }');
  });

  it('says "required" or "optional" where there is no default', () => {
    expect(defaultOf('needed')).toBe('required');
    expect(defaultOf('maybe')).toBe('optional');
  });

  it("says an object defaults to each field's default only when that is exactly its default", () => {
    expect(defaultOf('fromFields')).toBe("each field's default");
  });
});

describe('schemaFields', () => {
  it('flattens objects and array items into dotted paths, in declaration order', () => {
    const root = jsonSchemaOf(
      z.strictObject({
        name: z.string(),
        items: z.array(z.strictObject({ rollout: z.strictObject({ strategy: z.enum(['a']).optional() }) })),
        tags: z.record(z.string(), z.string()),
      }),
    );
    expect(schemaFields(root).map((f) => [f.path, f.required])).toEqual([
      ['name', true],
      ['items', true],
      ['items[].rollout', true],
      ['items[].rollout.strategy', false],
      ['tags', true],
    ]);
  });
});
