/** production-min-replicas: production deployed models, deployment resource pools and deployed indexes keep at least 2 replicas. */
import { get, type Props } from '../private/props';
import { productionPolicy } from '../production-scope';
import { TYPES } from '../resource-types';

export const productionReplicas = productionPolicy(
  'production-min-replicas',
  'In production, every deployed model, deployment resource pool and deployed index keeps at least 2 replicas (SRV-01, VEC-03).',
  (resources, report) => {
    for (const r of resources) {
      if (r.type === TYPES.modelDeployment) {
        const variants = Array.isArray(r.props.variants) ? (r.props.variants as Props[]) : [];
        for (const v of variants) {
          // A pooled model's replicas are its pool's, checked below.
          if (v.sharedResources !== undefined) continue;
          if (typeof v.minReplicaCount !== 'number' || v.minReplicaCount < 2) {
            report(`Variant ${String(v.name)} of ${r.name} has minReplicaCount ${String(v.minReplicaCount)}: production needs at least 2.`, r.urn);
          }
        }
      }
      if (r.type === TYPES.deploymentResourcePool && (typeof r.props.minReplicaCount !== 'number' || r.props.minReplicaCount < 2)) {
        report(`Deployment resource pool ${r.name} has minReplicaCount ${String(r.props.minReplicaCount)}: production needs at least 2.`, r.urn);
      }
      if (r.type === TYPES.deployedIndex) {
        const min = get(r.props, 'automaticResources.minReplicaCount') ?? get(r.props, 'dedicatedResources.minReplicaCount');
        if (typeof min !== 'number' || min < 2) report(`Deployed index ${r.name} has minReplicaCount ${String(min)}: production needs at least 2.`, r.urn);
      }
    }
  },
);
