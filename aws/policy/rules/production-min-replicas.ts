/**
 * production-min-replicas, MLServe-SM1: production variants run on at least two instances, so one
 * instance or one zone can fail without an outage (SRV-01; AWS Config
 * `sagemaker-endpoint-config-prod-instance-count`).
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnScalableTarget } from 'aws-cdk-lib/aws-applicationautoscaling';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { isInProductionScope } from '../production-scope';
import { field, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const MIN_PRODUCTION_INSTANCES = 2;

export const productionReplicas: MLServeRule = {
  id: 'SM1',
  info: 'A production SageMaker variant starts with, or may scale in to, fewer than 2 instances.',
  explanation: 'Two instances are spread over two zones; one is a single point of failure (security rule SRV-01).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!isInProductionScope(node)) return NagRuleCompliance.NOT_APPLICABLE;
    if (node instanceof CfnEndpointConfig) {
      const variants = resolve(node, node.productionVariants) as unknown[];
      const provisioned = variants.filter((v) => field(v, 'serverlessConfig') === undefined);
      if (provisioned.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
      return provisioned.every((v) => Number(field(v, 'initialInstanceCount')) >= MIN_PRODUCTION_INSTANCES)
        ? NagRuleCompliance.COMPLIANT
        : NagRuleCompliance.NON_COMPLIANT;
    }
    if (node instanceof CfnScalableTarget) {
      if (resolve(node, node.scalableDimension) !== 'sagemaker:variant:DesiredInstanceCount') return NagRuleCompliance.NOT_APPLICABLE;
      return Number(resolve(node, node.minCapacity)) >= MIN_PRODUCTION_INSTANCES ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  },
};
