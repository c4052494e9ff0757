import { z } from 'zod';
import { allowedValues, defaultValue, schemaFields, type JsonSchemaNode, type SchemaField } from './schema-fields';
import { topologySchema } from './topology-schema';

/** What a user may write: zod's input side, where defaults make fields optional. */
function describedJsonSchema(): JsonSchemaNode & Record<string, unknown> {
  return z.toJSONSchema(topologySchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode & Record<string, unknown>;
}

/** The topology's fields with their descriptions as written in the zod schema (the README's field table is made of these). */
export function topologyFields(): SchemaField[] {
  return schemaFields(describedJsonSchema());
}

/**
 * The JSON Schema of what a user may write. Point an editor at it with `$schema` in the topology
 * file, or a yaml-language-server comment. Editors show a field's description on completion and
 * hover, so each description also states the values the field takes and its default, read from
 * the schema's own checks.
 */
export function topologyJsonSchema(): Record<string, unknown> {
  const schema = describedJsonSchema();
  for (const field of schemaFields(schema)) {
    const allowed = field.node.properties ? '' : ` Allowed: ${allowedValues(field.node)}.`;
    const byDefault = field.node.default === undefined ? '' : ` Default: ${defaultValue(field)}.`;
    field.node.description = `${field.node.description ?? ''}${allowed}${byDefault}`.trim();
  }
  return {
    ...schema,
    $id: 'https://github.com/ml-serving-stacks/ml-serving-stacks/topology.schema.json',
    title: 'ml-serving-stacks topology',
  };
}
