/**
 * CloudFormation replaces a resource by creating the new one before deleting the old one, so it
 * cannot replace a resource whose physical name stays the same: "CloudFormation cannot update a stack
 * when a custom-named resource requires replacing" (CloudFormation User Guide, "Name type").
 */
import { physicalNameProperties } from '../resource-spec';
import type { UpdateRule } from './update-rule';

export const customNamedReplacement: UpdateRule = {
  id: 'custom-named-replacement',
  source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html',
  check({ changes }) {
    return [...changes.values()].flatMap((change) => {
      if (change.action !== 'replace' || !change.before || !change.after || change.before.Type !== change.after.Type) return [];
      const names = physicalNameProperties(change.type);
      const properties = change.after.Properties ?? {};
      if (names.length === 0 || names.some((n) => properties[n] === undefined || change.changedProperties.includes(n))) return [];
      const name = names.map((n) => `${n} ${JSON.stringify(properties[n])}`).join(', ');
      const causes = [...change.replacingProperties].join(', ');
      return [
        {
          logicalId: change.logicalId,
          reason: `${causes} ${change.certainReplacement ? (change.replacingProperties.length === 1 ? 'requires' : 'require') : 'may require (the resource specification cannot tell)'} replacing it, and its name (${name}) stays the same: CloudFormation cannot update a stack when a custom-named resource requires replacing`,
          remedy: `name it after what cannot change in place (for example a short hash of ${causes}), or leave the name to CloudFormation, so the replacement gets a new name`,
        },
      ];
    });
  },
};
