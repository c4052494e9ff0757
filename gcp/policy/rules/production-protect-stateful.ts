/** production-protect-stateful: production resources that hold data carry the protect option. */
import { productionPolicy } from '../production-scope';
import { STATEFUL_TYPES } from '../resource-types';

export const productionProtect = productionPolicy(
  'production-protect-stateful',
  'In production, resources that hold data (keys, topics, subscriptions, caches, indexes, datasets, databases) are protected: a delete or a replacement fails (DATA-01).',
  (resources, report) => {
    for (const r of resources) {
      if (STATEFUL_TYPES.includes(r.type) && !r.opts.protect) report(`${r.name} (${r.type}) holds data but is not protected: set the protect resource option in production.`, r.urn);
    }
  },
);
