/** production-multi-zone-cache: the production feature cache spans zones with a replica. */
import { get } from '../private/props';
import { productionPolicy } from '../production-scope';
import { TYPES } from '../resource-types';

export const productionMultiZoneCache = productionPolicy(
  'production-multi-zone-cache',
  'In production, the feature cache spans zones with a replica to fail over to (CACHE-03).',
  (resources, report) => {
    for (const r of resources) {
      if (r.type === TYPES.valkey) {
        if (get(r.props, 'zoneDistributionConfig.mode') !== 'MULTI_ZONE') report(`${r.name}: set zoneDistributionConfig.mode MULTI_ZONE.`, r.urn);
        if (typeof r.props.replicaCount !== 'number' || r.props.replicaCount < 1) report(`${r.name}: replicaCount must be at least 1 to fail over.`, r.urn);
      }
      if (r.type === TYPES.redis && r.props.tier !== 'STANDARD_HA') report(`${r.name}: tier ${String(r.props.tier)}, production needs STANDARD_HA.`, r.urn);
    }
  },
);
