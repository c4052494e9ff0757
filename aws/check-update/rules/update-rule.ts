/** A rule CloudFormation's own diff does not know: a planned change the service will reject, with why and what to do instead. */
import type { CfnTemplate } from '../cfn-template';
import type { PlannedChange } from '../planned-changes';

export interface UpdateRuleInput {
  readonly before: CfnTemplate;
  readonly after: CfnTemplate;
  /** Planned changes by logical id. */
  readonly changes: ReadonlyMap<string, PlannedChange>;
}

export interface Rejection {
  /** The resource whose change fails. */
  readonly logicalId: string;
  readonly reason: string;
  readonly remedy: string;
}

export interface UpdateRule {
  readonly id: string;
  /** Where the rule comes from: a document a user can open. */
  readonly source: string;
  check(input: UpdateRuleInput): Rejection[];
}
