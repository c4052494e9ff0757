/**
 * MLServe-SM3: production endpoints update blue/green with canary or linear traffic shifting, within
 * SageMaker's bounds (DEP-01; SageMaker deployment guardrails: MaximumExecutionTimeoutInSeconds
 * 600–28800, TerminationWaitInSeconds 0–3600).
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnEndpoint } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { isInProductionScope } from '../production-scope';
import { field, resolve } from '../private/template-values';
import type { MLServeRule } from './mlserve-rule';

export const GUARDED_TRAFFIC_ROUTING = ['CANARY', 'LINEAR'] as const;

export const guardedRollout: MLServeRule = {
  id: 'SM3',
  info: 'A production SageMaker endpoint updates all at once, or its blue/green timeouts are outside SageMaker\'s bounds.',
  explanation: 'Canary or linear traffic shifting exposes a bad model to a slice of traffic before all of it (security rule DEP-01).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpoint) || !isInProductionScope(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const policy = field(resolve(node, node.deploymentConfig), 'blueGreenUpdatePolicy');
    const type = field(field(policy, 'trafficRoutingConfiguration'), 'type');
    if (!GUARDED_TRAFFIC_ROUTING.includes(type as (typeof GUARDED_TRAFFIC_ROUTING)[number])) return NagRuleCompliance.NON_COMPLIANT;
    const timeout = field(policy, 'maximumExecutionTimeoutInSeconds');
    const termination = field(policy, 'terminationWaitInSeconds');
    if (timeout !== undefined && (Number(timeout) < 600 || Number(timeout) > 28_800)) return NagRuleCompliance.NON_COMPLIANT;
    if (termination !== undefined && (Number(termination) < 0 || Number(termination) > 3600)) return NagRuleCompliance.NON_COMPLIANT;
    return NagRuleCompliance.COMPLIANT;
  },
};
