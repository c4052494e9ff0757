/**
 * The fields of a JSON Schema, flattened, each with what values it takes and its default, read from
 * the schema's own keywords (`minimum`, `enum`, `pattern`, `default` …). The published JSON Schema's
 * descriptions and the README's field table are both made from these, so no range or default is
 * restated by hand: change a check in the zod schema and both follow.
 */
import { isDeepStrictEqual } from 'node:util';
import { stringify } from 'yaml';

/** The subset of JSON Schema (draft 2020-12) that `z.toJSONSchema` writes for the topology. */
export interface JsonSchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: readonly unknown[];
  anyOf?: readonly JsonSchemaNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchemaNode;
  properties?: Record<string, JsonSchemaNode>;
  required?: readonly string[];
  propertyNames?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
}

export interface SchemaField {
  /** Dotted path as a user reads it: `endpoints[].rollout.strategy`. */
  readonly path: string;
  /** The field's node in the schema it was read from (the same object, so it can be amended). */
  readonly node: JsonSchemaNode;
  /** The enclosing object cannot be written without it. */
  readonly required: boolean;
}

/** How a literal value or a pattern is shown: as is in JSON Schema descriptions, as code in Markdown. */
export type ValueFormat = (text: string) => string;

const asIs: ValueFormat = (text) => text;

/** Every field under `root`, depth first in declaration order; array items contribute `[]`, records are leaves. */
export function schemaFields(root: JsonSchemaNode): SchemaField[] {
  const fields: SchemaField[] = [];
  const visit = (node: JsonSchemaNode, prefix: string): void => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      fields.push({ path, node: child, required: node.required?.includes(key) ?? false });
      visit(child, path);
      if (child.items) visit(child.items, `${path}[]`);
    }
  };
  visit(root, '');
  return fields;
}

/** What a field accepts, in words: `integer 1–100`, `one of realtime, serverless, async`, `string of at most 24 characters matching …`. */
export function allowedValues(node: JsonSchemaNode, format: ValueFormat = asIs): string {
  if (node.const !== undefined) return `only ${format(literal(node.const))}`;
  if (node.enum) return `one of ${node.enum.map((v) => format(literal(v))).join(', ')}`;
  if (node.anyOf) {
    return node.anyOf.every((alternative) => alternative.const !== undefined)
      ? `one of ${node.anyOf.map((alternative) => format(literal(alternative.const))).join(', ')}`
      : node.anyOf.map((alternative) => allowedValues(alternative, format)).join(' or ');
  }
  switch (node.type) {
    case 'integer':
    case 'number':
      return [node.type, numberRange(node)].filter(Boolean).join(' ');
    case 'boolean':
      return 'true or false';
    case 'string':
      return stringForm(node, format);
    case 'array':
      return arrayForm(node, format);
    case 'object':
      return node.properties ? 'object' : mapForm(node, format);
    default:
      return 'any value';
  }
}

/**
 * A field's default as written: the value; "each field's default" for an object whose default is
 * exactly what its fields' own defaults give; else "required" or "optional" (what an unset optional
 * field means is in its description).
 */
export function defaultValue(field: Pick<SchemaField, 'node' | 'required'>, format: ValueFormat = asIs): string {
  const { node } = field;
  if (node.default === undefined) return field.required ? 'required' : 'optional';
  if (node.properties && isDeepStrictEqual(node.default, fieldDefaults(node))) return "each field's default";
  return format(literal(node.default));
}

/** A value in YAML flow style, as a user would write it in a topology file. */
function literal(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow' }).trim();
}

// z.toJSONSchema bounds every integer by the safe-integer range; those bounds are no limit of ours.
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

function numberRange(node: JsonSchemaNode): string {
  const low = node.exclusiveMinimum !== undefined ? `> ${node.exclusiveMinimum}` : node.minimum !== undefined && node.minimum > -UNBOUNDED ? `≥ ${node.minimum}` : undefined;
  const high = node.exclusiveMaximum !== undefined ? `< ${node.exclusiveMaximum}` : node.maximum !== undefined && node.maximum < UNBOUNDED ? `≤ ${node.maximum}` : undefined;
  if (low?.startsWith('≥') && high?.startsWith('≤')) return `${node.minimum}–${node.maximum}`;
  return [low, high].filter(Boolean).join(' and ');
}

function stringForm(node: JsonSchemaNode, format: ValueFormat): string {
  if (node.format === 'email') return 'email address';
  const length =
    node.minLength !== undefined && node.maxLength !== undefined
      ? `of ${node.minLength}–${node.maxLength} characters`
      : node.maxLength !== undefined
        ? `of at most ${node.maxLength} characters`
        : node.minLength !== undefined
          ? `of at least ${node.minLength} characters`
          : undefined;
  return ['string', length, node.pattern !== undefined ? `matching ${format(node.pattern)}` : undefined].filter(Boolean).join(' ');
}

function arrayForm(node: JsonSchemaNode, format: ValueFormat): string {
  const count =
    node.minItems !== undefined && node.maxItems !== undefined
      ? `${node.minItems}–${node.maxItems} `
      : node.maxItems !== undefined
        ? `at most ${node.maxItems} `
        : node.minItems !== undefined
          ? `at least ${node.minItems} `
          : '';
  const items = node.items;
  if (!items) return `list of ${count}items`;
  return items.properties ? `list of ${count}objects` : `list of ${count}items, each ${allowedValues(items, format)}`;
}

function mapForm(node: JsonSchemaNode, format: ValueFormat): string {
  const keys = node.propertyNames ? allowedValues(node.propertyNames, format) : 'string';
  const values = typeof node.additionalProperties === 'object' ? allowedValues(node.additionalProperties, format) : 'any value';
  return `map from ${keys} to ${values}`;
}

/** The object an object field's own fields' defaults make up. */
function fieldDefaults(node: JsonSchemaNode): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(node.properties ?? {})
      .filter(([, child]) => child.default !== undefined)
      .map(([key, child]) => [key, child.default]),
  );
}
