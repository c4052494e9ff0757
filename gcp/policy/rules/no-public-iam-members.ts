/** no-public-iam-members: nothing granted to allUsers or allAuthenticatedUsers. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { isIamGrant, type Props } from '../private/props';

export const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'] as const;

export const noPublicMembers: ResourceValidationPolicy = {
  name: 'no-public-iam-members',
  description: 'Nothing is granted to allUsers or allAuthenticatedUsers (Q-05, CKV_GCP_99).',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (!isIamGrant(args.type)) return;
    const props = args.props as Props;
    const members = [props.member, ...(Array.isArray(props.members) ? props.members : [])].map(String);
    for (const m of members) if ((PUBLIC_MEMBERS as readonly string[]).includes(m)) report(`${m} granted ${String(props.role)}: grant named identities only.`);
  },
};
