/** pubsub-topic-cmek: Pub/Sub topics, dead-letter topics included, use a customer-managed key. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes, nonEmpty } from '../private/props';
import { TYPES } from '../resource-types';

export const pubsubCmek: ResourceValidationPolicy = {
  name: 'pubsub-topic-cmek',
  description: 'Pub/Sub topics, dead-letter topics included, encrypt with a customer-managed key (Q-04, CKV_GCP_83).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.topic], (props, report) => {
    if (!nonEmpty(props.kmsKeyName)) report('Pub/Sub topic without kmsKeyName: set a Cloud KMS key.');
  }),
};
