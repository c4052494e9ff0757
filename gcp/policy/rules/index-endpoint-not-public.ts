/** index-endpoint-not-public: Vector Search index endpoints are private, behind Private Service Connect. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes, get } from '../private/props';
import { TYPES } from '../resource-types';

export const privateIndexEndpoint: ResourceValidationPolicy = {
  name: 'index-endpoint-not-public',
  description: 'Vector Search index endpoints are private: no public endpoint, reached through Private Service Connect (VEC-01, CKV2_GCP_34).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.aiIndexEndpoint], (props, report) => {
    if (props.publicEndpointEnabled === true) report('Index endpoint with publicEndpointEnabled: set it to false.');
    if (get(props, 'privateServiceConnectConfig.enablePrivateServiceConnect') !== true) {
      report('Index endpoint without Private Service Connect: set privateServiceConnectConfig.enablePrivateServiceConnect.');
    }
  }),
};
