/** A logical id keeps its resource type for life: CloudFormation rejects an update that changes it ("Update of resource type is not permitted"). */
import type { UpdateRule } from './update-rule';

export const resourceTypeChange: UpdateRule = {
  id: 'resource-type-change',
  source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html',
  check({ changes }) {
    return [...changes.values()].flatMap((change) =>
      change.before && change.after && change.before.Type !== change.after.Type
        ? [
            {
              logicalId: change.logicalId,
              reason: `the logical id changes type from ${change.before.Type} to ${change.after.Type}, which CloudFormation does not permit`,
              remedy: 'give the new resource its own logical id (construct id) so the old one is deleted and the new one created',
            },
          ]
        : [],
    );
  },
};
