/**
 * MLServe-SM5: production endpoint configurations avoid features that make SageMaker fall back to
 * all-at-once updates without baking: Inf1 instances (DEP-04; SageMaker deployment guardrails
 * exclusions). Marketplace containers are the other exclusion; this stack never uses them.
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { isInProductionScope } from '../production-scope';
import { field, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const guardrailCompatible: MLServeRule = {
  id: 'SM5',
  info: 'A production SageMaker endpoint configuration uses Inf1 instances, which deployment guardrails do not support.',
  explanation: 'Guardrail-incompatible features silently turn a canary or linear rollout into all-at-once (security rule DEP-04).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpointConfig) || !isInProductionScope(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const variants = resolve(node, node.productionVariants) as unknown[];
    return variants.some((v) => String(field(v, 'instanceType') ?? '').startsWith('ml.inf1.'))
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;
  },
};
