/**
 * The NDJSON body of `_bulk`: an action line (`index`, `create`, `delete`, `update`) followed, except
 * for `delete`, by a document line (https://docs.opensearch.org/latest/api-reference/document-apis/bulk/).
 * A line that is not JSON or not an action fails the whole request, as OpenSearch's parser does;
 * per-item problems are left to the collection, which answers them item by item.
 */
import { illegalArgument } from './opensearch-error';

export type BulkActionType = 'index' | 'create' | 'delete' | 'update';

export interface BulkAction {
  readonly type: BulkActionType;
  /** The action's `_index`, or the path's index, or undefined (an item error). */
  readonly index?: string;
  /** A custom `_id`: rejected for index/create on a vector collection. */
  readonly id?: string;
  /** The document (index/create) or the update body (`{ doc }`, `{ doc_as_upsert }`, `{ upsert }`). */
  readonly body?: Record<string, unknown>;
}

const TYPES: readonly BulkActionType[] = ['index', 'create', 'delete', 'update'];

export function parseBulk(text: string, pathIndex: string | undefined): BulkAction[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else if (lines.length > 0) throw illegalArgument('The bulk request must be terminated by a newline [\\n]');
  const actions: BulkAction[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const action = parseLine(lines[i], i + 1);
    if (!isObject(action) || Object.keys(action).length !== 1) {
      throw illegalArgument(`Malformed action/metadata line [${i + 1}], expected START_OBJECT with one action`);
    }
    const [type, meta] = Object.entries(action)[0];
    if (!TYPES.includes(type as BulkActionType)) {
      throw illegalArgument(`Malformed action/metadata line [${i + 1}], expected one of [${TYPES.join(', ')}] but found [${type}]`);
    }
    if (!isObject(meta)) throw illegalArgument(`Malformed action/metadata line [${i + 1}], expected START_OBJECT after [${type}]`);
    const index = typeof meta._index === 'string' ? meta._index : pathIndex;
    const id = meta._id === undefined ? undefined : String(meta._id);
    if (type === 'delete') {
      actions.push({ type, index, id });
      continue;
    }
    i++;
    if (i >= lines.length) throw illegalArgument(`Validation Failed: 1: no document source for the [${type}] action of line [${i}];`);
    const body = parseLine(lines[i], i + 1);
    if (!isObject(body)) throw illegalArgument(`Malformed document line [${i + 1}]: expected a JSON object`);
    actions.push({ type: type as BulkActionType, index, id, body });
  }
  if (actions.length === 0) throw illegalArgument('Validation Failed: 1: no requests added;');
  return actions;
}

function parseLine(line: string, lineNumber: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw illegalArgument(`Malformed action/metadata line [${lineNumber}], expected a JSON object: ${line.slice(0, 80)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
