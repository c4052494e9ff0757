/** Construct-level prop validation: collect every problem, then throw once (CDK design guidelines). */
import type { IConstruct } from 'constructs';
import { ServingPropsError } from '../serving-props-error';

export interface PropProblem {
  /** The prop path, e.g. `endpoint.mode`. */
  readonly path: string;
  readonly message: string;
}

export function throwIfProblems(scope: IConstruct, problems: readonly PropProblem[]): void {
  if (problems.length === 0) return;
  const noun = problems.length === 1 ? 'problem' : 'problems';
  throw new ServingPropsError(`${scope.node.path}: ${problems.length} ${noun}\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
}
