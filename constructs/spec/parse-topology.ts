/**
 * Topology input: YAML, JSON or a TypeScript object in, a validated `Topology` (static defaults
 * applied) or one `TopologyError` out. Nothing else escapes, whatever the input.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { core, ZodType } from 'zod';
import { topologySchema, type Topology, type TopologyInput } from './topology-schema';
import { TopologyError, type TopologyProblem } from './topology-error';

/** Validates an in-memory topology (a TypeScript object or parsed JSON/YAML). */
export function parseTopology(input: TopologyInput | unknown, source = 'topology'): Topology {
  const result = topologySchema.safeParse(input);
  if (result.success) return result.data;
  throw new TopologyError(source, result.error.issues.map((issue) => issueProblem(issue, input, topologySchema)));
}

/** Parses YAML or JSON text (JSON is YAML) and validates it. */
export function parseTopologyText(text: string, source = 'topology'): Topology {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const syntaxProblem = (message: string, offset?: number): TopologyProblem => {
    const at = offset === undefined ? undefined : lineCounter.linePos(offset);
    return { path: at ? `line ${at.line}, column ${at.col}` : '', message: `not valid YAML or JSON: ${message.split('\n')[0]}` };
  };
  // Only the first syntax error: the parser's later ones are mostly echoes of it (one per following token).
  const [firstError] = doc.errors;
  if (firstError) throw new TopologyError(source, [syntaxProblem(firstError.message, firstError.pos[0])]);
  let data: unknown;
  try {
    // Alias expansion is capped so a "billion laughs" document cannot exhaust memory.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new TopologyError(source, [syntaxProblem((e as Error).message)]);
  }
  return parseTopology(data, source);
}

/** Reads and validates a topology file. */
export function loadTopologyFile(path: string): Topology {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new TopologyError(path, [{ path: '', message: `cannot read the topology file: ${reason}` }]);
  }
  return parseTopologyText(text, path);
}

/** `endpoints[1].scaling.min` from `['endpoints', 1, 'scaling', 'min']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/** The value at `path` in a parsed document, or undefined where the path leaves it. */
export function valueAtPath(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** One zod issue as a problem: the path, the bad value as written, and what `schema` allows there. */
export function issueProblem(issue: core.$ZodIssue, input: unknown, schema: ZodType): TopologyProblem {
  const path = formatPath(issue.path);
  const value = valueAtPath(input, issue.path);
  switch (issue.code) {
    case 'invalid_value':
      return { path, value, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'invalid_type':
      return value === undefined
        ? { path, message: `required (${issue.expected})` }
        : { path, value, message: `must be ${article(issue.expected)}` };
    case 'too_small':
      return { path, value, message: boundMessage(issue.origin, '>=', '>', issue.minimum, issue.inclusive) };
    case 'too_big':
      return { path, value, message: boundMessage(issue.origin, '<=', '<', issue.maximum, issue.inclusive) };
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, issue.path);
      return {
        path,
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${known ? `; allowed: ${known}` : ''}`,
      };
    }
    case 'invalid_format':
      return { path, value, message: `must be ${issue.format === 'regex' ? issue.message : `a valid ${issue.format}`}` };
    case 'not_multiple_of':
      return { path, value, message: `must be a multiple of ${String(issue.divisor)}` };
    case 'invalid_union':
      return { path, value, message: 'matches none of the allowed forms' };
    case 'invalid_key':
      return { path, value: issue.input, message: `has an invalid key: ${issue.issues.map((i) => i.message).join('; ')}` };
    default:
      return { path, value, message: issue.message };
  }
}

function boundMessage(origin: string, inclusiveOp: string, exclusiveOp: string, bound: unknown, inclusive?: boolean): string {
  const op = inclusive === false ? exclusiveOp : inclusiveOp;
  if (origin === 'array' || origin === 'set') return `must have ${op} ${String(bound)} items`;
  if (origin === 'string') return `must have ${op} ${String(bound)} characters`;
  return `must be ${op} ${String(bound)}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** The field names the schema allows at a path, so a typo's message lists the right spelling. */
function knownKeysAt(root: ZodType, path: readonly PropertyKey[]): string | undefined {
  let schema: unknown = root;
  for (const key of path) {
    schema = unwrap(schema);
    const def = (schema as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown; valueType?: unknown } }).def;
    if (!def) return undefined;
    if (typeof key === 'number' && def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else if (def.type === 'object' && def.shape) schema = def.shape[String(key)];
    else return undefined;
  }
  const def = (unwrap(schema) as { def?: { shape?: Record<string, unknown> } }).def;
  return def?.shape ? Object.keys(def.shape).filter((k) => k !== '$schema').join(', ') : undefined;
}

function unwrap(schema: unknown): unknown {
  let current = schema as { def?: { type?: string; innerType?: unknown; in?: unknown } } | undefined;
  while (current?.def && ['optional', 'default', 'nullable', 'pipe', 'prefault'].includes(current.def.type ?? '')) {
    current = (current.def.innerType ?? current.def.in) as typeof current;
  }
  return current;
}
