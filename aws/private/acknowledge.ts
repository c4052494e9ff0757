/**
 * Acknowledging a policy finding (cdk-nag v3 or the built-in validator) on one construct, with a
 * reason a reviewer can check. Security rule SUP-01 asks for a specific reason of at least 20
 * characters on the narrowest construct (../shared/reference/security-rules.md §1).
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Shortest reason accepted for an acknowledgment (security rule SUP-01). */
export const MIN_ACKNOWLEDGMENT_REASON_LENGTH = 20;

export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  if (reason.trim().length < MIN_ACKNOWLEDGMENT_REASON_LENGTH) {
    throw new Error(
      `${scope.node.path}: the acknowledgment of ${ruleId} needs a specific reason of at least ${MIN_ACKNOWLEDGMENT_REASON_LENGTH} characters, got "${reason}"`,
    );
  }
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}
