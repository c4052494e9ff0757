/** The endpoints a plan updates in place to a new configuration (UpdateEndpoint), with both configurations' variants. */
import { endpointName, endpointVariants, type ConfigVariant } from '../sagemaker-endpoints';
import type { CfnResource } from '../cfn-template';
import type { UpdateRuleInput } from './update-rule';

export interface EndpointUpdate {
  readonly logicalId: string;
  readonly name: string;
  readonly before: CfnResource;
  readonly after: CfnResource;
  readonly variantsBefore: readonly ConfigVariant[];
  readonly variantsAfter: readonly ConfigVariant[];
}

export function endpointUpdates({ before, after, changes }: UpdateRuleInput): EndpointUpdate[] {
  return [...changes.values()].flatMap((change) => {
    if (change.type !== 'AWS::SageMaker::Endpoint' || change.action !== 'update' || !change.before || !change.after) return [];
    if (!change.changedProperties.includes('EndpointConfigName')) return [];
    const name = endpointName(change.after);
    const variantsBefore = endpointVariants(before, change.before);
    const variantsAfter = endpointVariants(after, change.after);
    if (!name || !variantsBefore || !variantsAfter) return [];
    return [{ logicalId: change.logicalId, name, before: change.before, after: change.after, variantsBefore, variantsAfter }];
  });
}
