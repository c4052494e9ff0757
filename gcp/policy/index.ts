/**
 * The GCP policy pack: `pulumi preview --stack prod --policy-pack gcp/policy`. Every policy is
 * mandatory: a violation fails the preview. The policies are listed in gcp-policies.ts, one rule
 * per file in rules/, so tests import them without starting a pack.
 */
import { PolicyPack } from '@pulumi/policy';
import { GCP_POLICIES } from './gcp-policies';

new PolicyPack('ml-serving-gcp', { enforcementLevel: 'mandatory', policies: GCP_POLICIES });
