/**
 * Acknowledging a policy finding (cdk-nag v3 or the built-in validator) on one construct, with a
 * reason a reviewer can check. Security rule SUP-01 asks for a specific reason of at least 20
 * characters on the narrowest construct.
 *
 * The compliance packs (NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1) run the same rules, named
 * after AWS Config rules, under their own prefixes (cdk-nag RULES.md): a reason about a resource
 * holds for every framework, so acknowledging a compliance rule acknowledges it in all three.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Shortest reason accepted for an acknowledgment (security rule SUP-01). */
export const MIN_ACKNOWLEDGMENT_REASON_LENGTH = 20;

/** Rule-id prefixes of the compliance packs the serving stacks run. */
export const COMPLIANCE_PACK_PREFIXES = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'] as const;

const COMPLIANCE_RULE = new RegExp(`^(?:${COMPLIANCE_PACK_PREFIXES.map((p) => p.replace(/\./g, '\\.')).join('|')})-(.+)$`);

export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  const complianceRule = COMPLIANCE_RULE.exec(ruleId);
  if (complianceRule) {
    acknowledgeCompliance(scope, complianceRule[1], reason);
    return;
  }
  acknowledgeOne(scope, ruleId, reason);
}

/** Acknowledges compliance rule `rule` (e.g. `S3BucketReplicationEnabled`) in every compliance pack. */
export function acknowledgeCompliance(scope: IConstruct, rule: string, reason: string): void {
  for (const prefix of COMPLIANCE_PACK_PREFIXES) acknowledgeOne(scope, `${prefix}-${rule}`, reason);
}

function acknowledgeOne(scope: IConstruct, ruleId: string, reason: string): void {
  if (reason.trim().length < MIN_ACKNOWLEDGMENT_REASON_LENGTH) {
    throw new Error(
      `${scope.node.path}: the acknowledgment of ${ruleId} needs a specific reason of at least ${MIN_ACKNOWLEDGMENT_REASON_LENGTH} characters, got "${reason}"`,
    );
  }
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}
