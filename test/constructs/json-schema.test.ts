import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { topologyJsonSchema } from '../../constructs';

describe('topology JSON Schema', () => {
  const schema = topologyJsonSchema() as { properties: Record<string, unknown>; required: string[] };

  it('is committed as topology.schema.json and matches the zod schema (run `serving-stacks schema > topology.schema.json`)', () => {
    expect(JSON.parse(readFileSync('topology.schema.json', 'utf8'))).toEqual(schema);
  });

  it('describes what a user writes: required fields only where no default exists', () => {
    expect(schema.required.sort()).toEqual(['endpoints', 'environment', 'name', 'regions']);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['endpoints', 'featureCache', 'vectorStore', 'queues', 'network', 'monitoring', 'tags']),
    );
  });
});
