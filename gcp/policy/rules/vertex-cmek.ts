/** vertex-cmek: Vertex AI endpoints, indexes, index endpoints, model deployments and deployment resource pools use a customer-managed key. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes, get, nonEmpty } from '../private/props';
import { TYPES } from '../resource-types';

export const vertexCmek: ResourceValidationPolicy = {
  name: 'vertex-cmek',
  description: 'Vertex AI endpoints, indexes, index endpoints, model deployments and deployment resource pools encrypt with a customer-managed key (SRV-02, VEC-02, CKV2_GCP_24).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.aiEndpoint, TYPES.aiIndex, TYPES.aiIndexEndpoint, TYPES.modelDeployment, TYPES.deploymentResourcePool], (props, report, args) => {
    const ours = args.type === TYPES.modelDeployment || args.type === TYPES.deploymentResourcePool;
    const key = ours ? props.encryptionKmsKeyName : get(props, 'encryptionSpec.kmsKeyName');
    if (!nonEmpty(key)) report(`${args.type} has no customer-managed key: set ${ours ? 'encryptionKmsKeyName' : 'encryptionSpec.kmsKeyName'}.`);
  }),
};
