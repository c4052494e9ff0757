/** no-basic-roles: no owner, editor or viewer grants. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { isIamGrant, type Props } from '../private/props';

export const BASIC_ROLES = ['roles/owner', 'roles/editor', 'roles/viewer'] as const;

export const noBasicRoles: ResourceValidationPolicy = {
  name: 'no-basic-roles',
  description: 'No basic roles (owner, editor, viewer) anywhere: grant predefined roles scoped to the resource (IAM-01, CKV_GCP_117).',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    if (!isIamGrant(args.type)) return;
    const role = (args.props as Props).role;
    if ((BASIC_ROLES as readonly string[]).includes(String(role))) report(`Basic role ${String(role)} granted: use a predefined role with only the permissions needed.`);
  },
};
