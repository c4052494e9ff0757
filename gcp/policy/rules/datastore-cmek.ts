/** datastore-cmek: BigQuery logging datasets and AlloyDB clusters use a customer-managed key. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes, get, nonEmpty } from '../private/props';
import { TYPES } from '../resource-types';

export const datastoreCmek: ResourceValidationPolicy = {
  name: 'datastore-cmek',
  description: 'BigQuery datasets (request/response logs) and AlloyDB clusters encrypt with a customer-managed key (OBS-01, VEC-02).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.dataset, TYPES.alloydbCluster], (props, report, args) => {
    const path = args.type === TYPES.dataset ? 'defaultEncryptionConfiguration.kmsKeyName' : 'encryptionConfig.kmsKeyName';
    if (!nonEmpty(get(props, path))) report(`${args.type} without a customer-managed key: set ${path}.`);
  }),
};
