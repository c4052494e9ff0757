/**
 * SageMaker rejects an endpoint update that changes the instance type of a variant registered with
 * Application Auto Scaling, or removes such a variant, until the variant is deregistered (SageMaker
 * Developer Guide, "Update endpoints that use auto scaling"; changing only the model is allowed).
 * CloudFormation cannot deregister first: it deletes scalable targets only after every update. A
 * `Custom::SageMakerScalingRelease` the endpoint depends on can: when it is deployed already and its
 * update drops the variant's old instance type, it deregisters the variant before the endpoint updates.
 */
import { SCALING_RELEASE_RESOURCE_TYPE } from '../../private/scaling-release';
import { dependsOn, type CfnResource } from '../cfn-template';
import { registeredVariants } from '../sagemaker-endpoints';
import { endpointUpdates, type EndpointUpdate } from './endpoint-update';
import type { UpdateRule, UpdateRuleInput } from './update-rule';

export const autoscaledVariantChange: UpdateRule = {
  id: 'autoscaled-variant-change',
  source: 'https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html',
  check(input) {
    return endpointUpdates(input).flatMap((update) => {
      const registered = registeredVariants(input.before, update.name);
      const blocked = update.variantsBefore.flatMap((variant) => {
        if (!registered.has(variant.name)) return [];
        const next = update.variantsAfter.find((v) => v.name === variant.name);
        if (next && next.instanceType === variant.instanceType) return [];
        if (releasedBeforeUpdate(input, update, variant.name, variant.instanceType)) return [];
        return [next ? `changes variant ${variant.name} from ${variant.instanceType} to ${next.instanceType}` : `removes variant ${variant.name}`];
      });
      if (blocked.length === 0) return [];
      return [
        {
          logicalId: update.logicalId,
          reason: `the update ${blocked.join(' and ')}, which Application Auto Scaling still scales; SageMaker rejects it until the variant is deregistered`,
          remedy:
            'deregister the variant first (Application Auto Scaling DeregisterScalableTarget) and register it again after the update; ' +
            `ModelEndpoint does both when its scaling release (${SCALING_RELEASE_RESOURCE_TYPE}) is already deployed, so deploy once without this change to add it, then deploy the change`,
        },
      ];
    });
  },
};

/** Whether a scaling release deployed in both templates, which the endpoint waits for, drops this variant's old instance type. */
function releasedBeforeUpdate({ before, after }: UpdateRuleInput, update: EndpointUpdate, variant: string, instanceType: string): boolean {
  return dependsOn(update.after).some((id) => {
    const was = before.Resources[id];
    const is = after.Resources[id];
    if (was?.Type !== SCALING_RELEASE_RESOURCE_TYPE || is?.Type !== SCALING_RELEASE_RESOURCE_TYPE) return false;
    if (releaseEndpoint(was) !== update.name || releaseEndpoint(is) !== update.name) return false;
    return listsVariant(was, variant, instanceType) && !listsVariant(is, variant, instanceType);
  });
}

function releaseEndpoint(release: CfnResource): unknown {
  return release.Properties?.EndpointName;
}

function listsVariant(release: CfnResource, variant: string, instanceType: string): boolean {
  const variants = release.Properties?.Variants;
  return Array.isArray(variants) && variants.some((v: { VariantName?: unknown; InstanceType?: unknown }) => v.VariantName === variant && v.InstanceType === instanceType);
}
