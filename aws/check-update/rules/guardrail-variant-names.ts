/**
 * With a deployment configuration (blue/green or rolling), "your new endpoint configuration must have
 * the same variant name as the old endpoint configuration" (SageMaker Developer Guide, deployment
 * guardrails, "Exclusions").
 */
import { variantNamesDiffer } from '../sagemaker-endpoints';
import { endpointUpdates } from './endpoint-update';
import type { UpdateRule } from './update-rule';

export const guardrailVariantNames: UpdateRule = {
  id: 'guardrail-variant-names',
  source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html',
  check(input) {
    return endpointUpdates(input).flatMap((update) => {
      const deployment = update.after.Properties?.DeploymentConfig as { BlueGreenUpdatePolicy?: unknown; RollingUpdatePolicy?: unknown } | undefined;
      if (!deployment?.BlueGreenUpdatePolicy && !deployment?.RollingUpdatePolicy) return [];
      if (!variantNamesDiffer(update.variantsBefore, update.variantsAfter)) return [];
      const names = (variants: typeof update.variantsBefore) => variants.map((v) => v.name).join(', ');
      return [
        {
          logicalId: update.logicalId,
          reason: `the update moves ${update.name} from variants [${names(update.variantsBefore)}] to [${names(update.variantsAfter)}] under a deployment configuration, and SageMaker deployment guardrails need the same variant names in the old and new configuration`,
          remedy:
            'create the new variant set as a new endpoint (ModelEndpoint names endpoints by mode and variant names, so the set change creates one and deletes the old one after the update), or update without DeploymentConfig',
        },
      ];
    });
  },
};
