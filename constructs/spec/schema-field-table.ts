/**
 * The README's reference table of topology fields, generated from the zod schema's descriptions and
 * checks (through its JSON Schema), so the table cannot drift from validation. Regenerate it with
 * `npx serving-stacks schema --markdown README.md`.
 */
import { isDeepStrictEqual } from 'node:util';
import { topologyFields } from './json-schema';
import { allowedValues, defaultValue, type JsonSchemaNode, type SchemaField, type ValueFormat } from './schema-fields';

export const FIELD_TABLE_START = '<!-- topology-fields:start -->';
export const FIELD_TABLE_END = '<!-- topology-fields:end -->';

const code: ValueFormat = (text) => `\`${text}\``;

/**
 * One row per field. An object field whose fields are exactly those of a field already listed
 * (a variant's `model` and `compute`) gets one row that points there instead of repeating them.
 */
export function topologyFieldTable(fields: readonly SchemaField[] = topologyFields()): string {
  const rows = ['| field | allowed values | default | meaning |', '|---|---|---|---|'];
  const listed: { path: string; node: JsonSchemaNode }[] = [];
  let skipUnder: string | undefined;
  for (const field of fields) {
    if (skipUnder && (field.path.startsWith(`${skipUnder}.`) || field.path.startsWith(`${skipUnder}[]`))) continue;
    skipUnder = undefined;
    const twin = field.node.properties && listed.find((l) => sameFields(l.node, field.node));
    const allowed = twin ? `object with the fields of ${code(twin.path)}` : allowedValues(field.node, code);
    rows.push(row([code(field.path), allowed, defaultValue(field, code), prose(field.node.description ?? '')]));
    if (twin) skipUnder = field.path;
    else if (field.node.properties) listed.push(field);
  }
  return `${rows.join('\n')}\n`;
}

/** `readme` with the table between its field-table markers replaced by `table`; undefined when it has no markers. */
export function withTopologyFieldTable(readme: string, table: string = topologyFieldTable()): string | undefined {
  const range = tableRange(readme);
  return range && `${readme.slice(0, range.from)}${table}${readme.slice(range.to)}`;
}

/** The table between the field-table markers of `readme`; undefined when it has no markers. */
export function fieldTableIn(readme: string): string | undefined {
  const range = tableRange(readme);
  return range && readme.slice(range.from, range.to);
}

/** Where the table goes: from the line after the start marker to the end marker. */
function tableRange(readme: string): { from: number; to: number } | undefined {
  const start = readme.indexOf(`${FIELD_TABLE_START}\n`);
  const end = readme.indexOf(FIELD_TABLE_END, start);
  return start < 0 || end < 0 ? undefined : { from: start + FIELD_TABLE_START.length + 1, to: end };
}

function sameFields(a: JsonSchemaNode, b: JsonSchemaNode): boolean {
  return isDeepStrictEqual(a.properties, b.properties) && isDeepStrictEqual(a.required, b.required);
}

/** Descriptions are plain text: a placeholder such as `<name>` would be read as an HTML tag. */
function prose(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function row(cells: readonly string[]): string {
  // A pipe inside a cell (regular expressions have them) would end the cell.
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
}
