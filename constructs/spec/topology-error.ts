/** One problem in a topology: where, what was there, and what is allowed. */
export interface TopologyProblem {
  /** Path in the user's document, e.g. `endpoints[1].scaling.min`. */
  readonly path: string;
  readonly message: string;
  /** The offending value as written (undefined when the field is missing). */
  readonly value?: unknown;
}

/**
 * The single error a bad topology produces: every problem, each with its path, the bad value and
 * what is allowed. Callers print `message` and exit 1; no stack trace is a user's business.
 */
export class TopologyError extends Error {
  readonly problems: readonly TopologyProblem[];
  readonly source: string;

  constructor(source: string, problems: readonly TopologyProblem[]) {
    super(formatProblems(source, problems));
    this.name = 'TopologyError';
    this.source = source;
    this.problems = problems;
  }
}

export function formatProblems(source: string, problems: readonly TopologyProblem[]): string {
  const noun = problems.length === 1 ? 'problem' : 'problems';
  const lines = problems.map((p) => `  ${p.path || '(document)'}: ${p.message}${describeValue(p.value)}`);
  return `${source}: ${problems.length} ${noun}\n${lines.join('\n')}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'object' && value !== null) return '';
  return `, got ${JSON.stringify(value)}`;
}

export function isTopologyError(e: unknown): e is TopologyError {
  return e instanceof TopologyError;
}
