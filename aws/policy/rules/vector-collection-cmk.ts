/** MLServe-AOSS2: OpenSearch Serverless encryption policies use a customer-managed key (VEC-02). */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnSecurityPolicy } from 'aws-cdk-lib/aws-opensearchserverless';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { field, parseJsonProperty, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const vectorCollectionCmk: MLServeRule = {
  id: 'AOSS2',
  info: 'An OpenSearch Serverless encryption policy uses an AWS-owned key.',
  explanation: 'With a customer-managed key the account controls, audits and can revoke access to the vectors (security rule VEC-02).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnSecurityPolicy) || resolve(node, node.type) !== 'encryption') return NagRuleCompliance.NOT_APPLICABLE;
    const policy = parseJsonProperty(node, node.policy);
    return field(policy, 'AWSOwnedKey') === false && typeof field(policy, 'KmsARN') === 'string' && field(policy, 'KmsARN') !== ''
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
