/** vertex-endpoint-private: Vertex endpoints are reached through Private Service Connect (or inside a declared VPC Service Controls perimeter). */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes, get, nonEmpty } from '../private/props';
import { TYPES } from '../resource-types';

/** Config of the endpoint rule: a dedicated endpoint is private only inside a VPC Service Controls perimeter. */
export interface EndpointPolicyConfig {
  readonly vpcServiceControls?: boolean;
}

export const privateEndpoints: ResourceValidationPolicy = {
  name: 'vertex-endpoint-private',
  description:
    'Vertex endpoints are private: Private Service Connect with named projects, never VPC peering (no TLS, traffic split or logging there). A dedicated endpoint alone has a public DNS name; it counts only with vpcServiceControls: true, for a project inside a VPC Service Controls perimeter (SRV-03).',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      vpcServiceControls: { type: 'boolean', default: false, description: 'The project is inside a VPC Service Controls perimeter that covers aiplatform.googleapis.com.' },
    },
  },
  validateResource: forTypes([TYPES.aiEndpoint], (props, report, args) => {
    if (nonEmpty(props.network)) report(`Vertex endpoint peered with ${String(props.network)}: use privateServiceConnectConfig instead of network.`);
    const psc = get(props, 'privateServiceConnectConfig.enablePrivateServiceConnect') === true;
    const perimeter = args.getConfig<EndpointPolicyConfig>().vpcServiceControls === true;
    if (!psc && props.dedicatedEndpointEnabled === true && !perimeter) {
      report('Vertex dedicated endpoint without Private Service Connect is reachable from the internet: enable privateServiceConnectConfig, or declare the VPC Service Controls perimeter (policy config vpcServiceControls: true).');
    } else if (!psc && props.dedicatedEndpointEnabled !== true) {
      report('Vertex endpoint without Private Service Connect is a shared public endpoint: set privateServiceConnectConfig.enablePrivateServiceConnect.');
    }
    const allowlist = get(props, 'privateServiceConnectConfig.projectAllowlists');
    if (psc && !(Array.isArray(allowlist) && allowlist.length > 0)) report('Private Service Connect endpoint without projectAllowlists: name the projects that may connect.');
  }),
};
