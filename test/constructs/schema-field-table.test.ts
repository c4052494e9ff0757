import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldTableIn, schemaFields, topologyFields, topologyFieldTable, withTopologyFieldTable, type JsonSchemaNode } from '../../constructs';

const table = topologyFieldTable();
const rows = new Map(
  table
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => [/^\| `([^`]+)` \|/.exec(line)![1], line] as const),
);

describe('topology field reference', () => {
  it('describes every field of the schema, objects and leaves alike', () => {
    const undescribed = topologyFields()
      .filter((f) => !f.node.description?.trim())
      .map((f) => f.path);
    expect(undescribed).toEqual([]);
  });

  it('lists every field: as its own row, or under a row that shares the fields of another', () => {
    const missing = topologyFields()
      .map((f) => f.path)
      .filter((path) => !rows.has(path) && !coveredByTwin(path));
    expect(missing).toEqual([]);
  });

  it('is the table in README.md (regenerate it with `npm run schema`)', () => {
    expect(fieldTableIn(readFileSync('README.md', 'utf8'))).toBe(table);
  });

  it('takes ranges and defaults from the schema, including the keys the README used to omit', () => {
    expect(rows.get('endpoints[].rollout.strategy')).toContain('one of `all-at-once`, `canary`, `linear`, `blue-green` | optional |');
    expect(rows.get('endpoints[].dataCapture.samplingPercent')).toContain('| integer 1–100 | required |');
    expect(rows.get('vectorStore.expectedVectors')).toContain('| integer ≥ 1 | `1000000` |');
    expect(rows.get('name')).toContain('string of at most 16 characters');
    expect(rows.get('endpoints[].name')).toContain('string of at most 24 characters');
  });

  it('quotes the constants validation and resolveTopology use for what an unset field gets', () => {
    expect(rows.get('endpoints[].scaling.min')).toContain('When unset: 2 in production, 1 otherwise');
    expect(rows.get('endpoints[].rollout.strategy')).toContain('When unset: canary in production and staging, all-at-once otherwise');
    expect(rows.get('vectorStore.dimensions')).toContain('pgvector HNSW indexes take at most 2000');
  });

  it('keeps a regular expression with | in one cell, and a <placeholder> visible', () => {
    const image = rows.get('endpoints[].model.image.gcp')!;
    expect(image).toContain('docker\\.pkg\\.dev\\|([a-z]+\\.)?gcr');
    expect(image.split(/(?<!\\)\|/)).toHaveLength(6);
    expect(rows.get('endpoints[].name')).toContain('(&lt;topology>-&lt;environment>-&lt;endpoint>)');
  });

  it('follows a change in the schema', () => {
    const fields = schemaFields(
      z.toJSONSchema(z.strictObject({ bakeSeconds: z.number().int().min(0).max(60).default(30).describe('Bake, in seconds.') }), {
        io: 'input',
      }) as JsonSchemaNode,
    );
    expect(topologyFieldTable(fields)).toBe(
      '| field | allowed values | default | meaning |\n|---|---|---|---|\n| `bakeSeconds` | integer 0–60 | `30` | Bake, in seconds. |\n',
    );
  });
});

describe('withTopologyFieldTable', () => {
  const readme = '# title\n\n<!-- topology-fields:start -->\nold table\n<!-- topology-fields:end -->\n\nafter\n';

  it('replaces only the text between the markers', () => {
    expect(withTopologyFieldTable(readme, '| new |\n')).toBe('# title\n\n<!-- topology-fields:start -->\n| new |\n<!-- topology-fields:end -->\n\nafter\n');
    expect(fieldTableIn(withTopologyFieldTable(readme, '| new |\n')!)).toBe('| new |\n');
  });

  it('gives nothing for a file without the markers', () => {
    expect(withTopologyFieldTable('# no table here\n', '| new |\n')).toBeUndefined();
    expect(fieldTableIn('<!-- topology-fields:end -->\n<!-- topology-fields:start -->\n')).toBeUndefined();
  });
});

/** A path under a row that says it has the fields of another listed field, whose own row lists the rest of the path. */
function coveredByTwin(path: string): boolean {
  for (const [rowPath, line] of rows) {
    const twin = /object with the fields of `([^`]+)`/.exec(line)?.[1];
    if (twin && path.startsWith(`${rowPath}.`) && rows.has(`${twin}${path.slice(rowPath.length)}`)) return true;
  }
  return false;
}
