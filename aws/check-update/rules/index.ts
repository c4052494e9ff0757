import { autoscaledVariantChange } from './autoscaled-variant-change';
import { customNamedReplacement } from './custom-named-replacement';
import { guardrailVariantNames } from './guardrail-variant-names';
import { opensearchIndexMapping } from './opensearch-index-mapping';
import { resourceTypeChange } from './resource-type-change';
import { supersededScalableTarget } from './superseded-scalable-target';
import type { UpdateRule } from './update-rule';

export type { Rejection, UpdateRule, UpdateRuleInput } from './update-rule';

/** Rules CloudFormation's diff does not apply: its own update limits, SageMaker's, Application Auto Scaling's and OpenSearch's. */
export const UPDATE_RULES: readonly UpdateRule[] = [
  resourceTypeChange,
  customNamedReplacement,
  autoscaledVariantChange,
  guardrailVariantNames,
  supersededScalableTarget,
  opensearchIndexMapping,
];
