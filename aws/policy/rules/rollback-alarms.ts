/**
 * MLServe-SM4: production endpoints roll back automatically on at least one alarm (DEP-02;
 * SageMaker AutoRollbackConfiguration takes 1–10 alarms).
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnEndpoint } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { isInProductionScope } from '../production-scope';
import { field, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const MAX_ROLLBACK_ALARMS = 10;

export const rollbackAlarms: MLServeRule = {
  id: 'SM4',
  info: 'A production SageMaker endpoint has no auto-rollback alarm.',
  explanation: 'Without alarms a deployment bakes blind: a latency or error regression reaches all traffic (security rule DEP-02).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpoint) || !isInProductionScope(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const alarms = field(field(resolve(node, node.deploymentConfig), 'autoRollbackConfiguration'), 'alarms');
    return Array.isArray(alarms) && alarms.length >= 1 && alarms.length <= MAX_ROLLBACK_ALARMS
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
