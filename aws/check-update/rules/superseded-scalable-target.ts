/**
 * One registration per variant: a scalable target is identified by its resource id, dimension and
 * namespace (its primary identifier in the resource specification), so two resources for one variant
 * share it. CloudFormation deletes a resource that leaves the template in the clean-up phase, after
 * creating its successor: when both name the same variant, that delete deregisters the successor
 * (Application Auto Scaling DeregisterScalableTarget), and the variant silently stops scaling.
 */
import { renderString, type CfnResource, type CfnTemplate } from '../cfn-template';
import type { UpdateRule } from './update-rule';

const SCALABLE_TARGET = 'AWS::ApplicationAutoScaling::ScalableTarget';

export const supersededScalableTarget: UpdateRule = {
  id: 'superseded-scalable-target',
  source: 'https://docs.aws.amazon.com/autoscaling/application/APIReference/API_DeregisterScalableTarget.html',
  check({ before, after, changes }) {
    const owners = new Map<string, string[]>();
    for (const [id, resource] of Object.entries(after.Resources)) {
      const key = resource.Type === SCALABLE_TARGET ? targetKey(resource, after) : undefined;
      if (key) owners.set(key, [...(owners.get(key) ?? []), id]);
    }
    return [...changes.values()].flatMap((change) => {
      if (change.type !== SCALABLE_TARGET) return [];
      if (change.action === 'remove' && change.before && change.before.DeletionPolicy !== 'Retain') {
        const key = targetKey(change.before, before);
        const successor = key ? owners.get(key)?.[0] : undefined;
        if (!successor) return [];
        return [
          {
            logicalId: change.logicalId,
            reason: `${successor} registers the same variant (${key}); CloudFormation deletes ${change.logicalId} after creating it, and the delete deregisters the variant, which then stops scaling`,
            remedy: 'retain the superseded target (DeletionPolicy Retain), as ModelEndpoint does, so its removal leaves the registration alone',
          },
        ];
      }
      if (change.action === 'add' && change.after) {
        const key = targetKey(change.after, after);
        const others = key ? (owners.get(key) ?? []).filter((id) => id !== change.logicalId && before.Resources[id]) : [];
        if (others.length === 0) return [];
        return [
          {
            logicalId: change.logicalId,
            reason: `${others.join(', ')} already registers the same variant (${key}); two resources cannot own one scalable target`,
            remedy: 'keep one scalable target per variant',
          },
        ];
      }
      return [];
    });
  },
};

/** `namespace|dimension|resource id`, when the resource id is known before deployment. */
function targetKey(resource: CfnResource, template: CfnTemplate): string | undefined {
  const properties = resource.Properties ?? {};
  const resourceId = renderString(properties.ResourceId, template);
  return resourceId ? `${String(properties.ServiceNamespace)}|${String(properties.ScalableDimension)}|${resourceId}` : undefined;
}
