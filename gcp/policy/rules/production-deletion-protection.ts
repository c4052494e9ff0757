/** production-deletion-protection: production Memorystore and AlloyDB refuse deletion. */
import { productionPolicy } from '../production-scope';
import { TYPES } from '../resource-types';

export const productionDeletionProtection = productionPolicy(
  'production-deletion-protection',
  'In production, stateful data services refuse deletion (DATA-04): Memorystore, AlloyDB.',
  (resources, report) => {
    const field: Record<string, string> = { [TYPES.valkey]: 'deletionProtectionEnabled', [TYPES.redis]: 'deletionProtection', [TYPES.alloydbCluster]: 'deletionProtection' };
    for (const r of resources) {
      const name = field[r.type];
      if (name && r.props[name] !== true) report(`${r.name}: set ${name} to true in production.`, r.urn);
    }
  },
);
