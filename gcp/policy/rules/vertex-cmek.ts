/** vertex-cmek: Vertex AI endpoints, indexes, index endpoints and model deployments use a customer-managed key. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes, get, nonEmpty } from '../private/props';
import { TYPES } from '../resource-types';

export const vertexCmek: ResourceValidationPolicy = {
  name: 'vertex-cmek',
  description: 'Vertex AI endpoints, indexes, index endpoints and model deployments encrypt with a customer-managed key (SRV-02, VEC-02, CKV2_GCP_24).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.aiEndpoint, TYPES.aiIndex, TYPES.aiIndexEndpoint, TYPES.modelDeployment], (props, report, args) => {
    const key = args.type === TYPES.modelDeployment ? props.encryptionKmsKeyName : get(props, 'encryptionSpec.kmsKeyName');
    if (!nonEmpty(key)) report(`${args.type} has no customer-managed key: set ${args.type === TYPES.modelDeployment ? 'encryptionKmsKeyName' : 'encryptionSpec.kmsKeyName'}.`);
  }),
};
