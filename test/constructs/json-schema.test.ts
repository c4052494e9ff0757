import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { topologyJsonSchema } from '../../constructs';

describe('topology JSON Schema', () => {
  const schema = topologyJsonSchema() as { properties: Record<string, unknown>; required: string[] };

  it('is committed as topology.schema.json and matches the zod schema (run `serving-stacks schema > topology.schema.json`)', () => {
    expect(JSON.parse(readFileSync('topology.schema.json', 'utf8'))).toEqual(schema);
  });

  it('describes each field for editors: meaning, then the allowed values and default read from the checks', () => {
    const endpoint = (schema.properties.endpoints as { items: { properties: Record<string, { properties: Record<string, { description: string }> }> } }).items;
    expect(endpoint.properties.rollout.properties.stepPercent.description).toMatch(/^Percent of a variant's instances moved per step.* Allowed: integer 1–99\. Default: 10\.$/);
    expect(endpoint.properties.rollout.properties.strategy.description).toMatch(/ Allowed: one of all-at-once, canary, linear, blue-green\.$/);
    expect((schema.properties.name as { description: string }).description).toMatch(/ Allowed: string of at most 16 characters matching .+\.$/);
  });

  it('describes what a user writes: required fields only where no default exists', () => {
    expect(schema.required.sort()).toEqual(['endpoints', 'environment', 'name', 'regions']);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['endpoints', 'featureCache', 'vectorStore', 'queues', 'network', 'monitoring', 'tags']),
    );
  });
});
