/** The shape of one MLServe rule: an id, what it checks, and a pure check of one L1 resource. */
import type { CfnResource } from 'aws-cdk-lib';
import type { NagMessageLevel, NagRuleResult } from 'cdk-nag';

export interface MLServeRule {
  /** Suffix of the rule id: `SM1` becomes `MLServe-SM1`. */
  readonly id: string;
  /** Why the rule was triggered. */
  readonly info: string;
  /** Why the rule exists, with the security rule it enforces. */
  readonly explanation: string;
  readonly level: NagMessageLevel;
  /** Compliant, non-compliant, not applicable, or a list of specific findings (`MLServe-SM2[NoVpcConfig]`). */
  readonly check: (node: CfnResource) => NagRuleResult;
}
