/**
 * Writes values into a topology file in place: YAML keeps its comments and layout (yaml's
 * Document API), JSON is rewritten with two-space indents. The result is validated before the
 * file is touched, so a write never leaves a topology `validate` rejects.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { parseTopologyText } from '../constructs';

export type TopologyFileValue = readonly [path: readonly string[], value: number];

export function setTopologyFileValues(file: string, values: readonly TopologyFileValue[]): void {
  const text = readFileSync(file, 'utf8');
  let updated: string;
  if (/\.json$/i.test(file)) {
    const data = JSON.parse(text) as Record<string, unknown>;
    for (const [path, value] of values) setIn(data, path, value);
    updated = `${JSON.stringify(data, null, 2)}\n`;
  } else {
    const doc = parseDocument(text);
    for (const [path, value] of values) doc.setIn(path, value);
    updated = doc.toString();
  }
  parseTopologyText(updated, file);
  writeFileSync(file, updated);
}

function setIn(data: Record<string, unknown>, path: readonly string[], value: number): void {
  let node = data;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}
