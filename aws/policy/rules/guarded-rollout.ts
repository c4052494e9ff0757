/**
 * MLServe-SM3: production endpoints update blue/green with canary or linear traffic shifting, within
 * SageMaker's bounds (DEP-01; SageMaker deployment guardrails): MaximumExecutionTimeoutInSeconds
 * 600–28800 and above the total wait (every step's WaitIntervalInSeconds plus
 * TerminationWaitInSeconds), TerminationWaitInSeconds 0–3600, a capacity-percent CanarySize at most
 * 50 % and a LinearStepSize of 10–50 % (SageMaker API reference, BlueGreenUpdatePolicy and
 * TrafficRoutingConfig).
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnEndpoint } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { rolloutSteps, SAGEMAKER_BLUE_GREEN_LIMITS } from '../../../constructs';
import { isInProductionScope } from '../production-scope';
import { field, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const GUARDED_TRAFFIC_ROUTING = ['CANARY', 'LINEAR'] as const;

export const guardedRollout: MLServeRule = {
  id: 'SM3',
  info: 'A production SageMaker endpoint updates all at once, or its blue/green steps or timeouts are outside SageMaker\'s bounds.',
  explanation: 'Canary or linear traffic shifting exposes a bad model to a slice of traffic before all of it (security rule DEP-01).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpoint) || !isInProductionScope(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const policy = field(resolve(node, node.deploymentConfig), 'blueGreenUpdatePolicy');
    const routing = field(policy, 'trafficRoutingConfiguration');
    const type = field(routing, 'type');
    if (!GUARDED_TRAFFIC_ROUTING.includes(type as (typeof GUARDED_TRAFFIC_ROUTING)[number])) return NagRuleCompliance.NON_COMPLIANT;
    const limits = SAGEMAKER_BLUE_GREEN_LIMITS;
    const timeout = field(policy, 'maximumExecutionTimeoutInSeconds');
    const termination = field(policy, 'terminationWaitInSeconds');
    if (timeout !== undefined && (Number(timeout) < limits.executionTimeoutSeconds.min || Number(timeout) > limits.executionTimeoutSeconds.max)) return NagRuleCompliance.NON_COMPLIANT;
    if (termination !== undefined && (Number(termination) < 0 || Number(termination) > limits.maxTerminationWaitSeconds)) return NagRuleCompliance.NON_COMPLIANT;
    const size = field(routing, type === 'CANARY' ? 'canarySize' : 'linearStepSize');
    if (field(size, 'type') !== 'CAPACITY_PERCENT') return NagRuleCompliance.COMPLIANT;
    const percent = Number(field(size, 'value'));
    if (type === 'CANARY' && percent > limits.maxCanaryPercent) return NagRuleCompliance.NON_COMPLIANT;
    if (type === 'LINEAR' && (percent < limits.linearPercent.min || percent > limits.linearPercent.max)) return NagRuleCompliance.NON_COMPLIANT;
    const steps = rolloutSteps({ strategy: type === 'CANARY' ? 'canary' : 'linear', stepPercent: percent, bakeSeconds: 0 }).length;
    const totalWait = steps * Number(field(routing, 'waitIntervalInSeconds') ?? 0) + Number(termination ?? 0);
    return timeout !== undefined && Number(timeout) <= totalWait ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
