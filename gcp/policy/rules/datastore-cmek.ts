/** datastore-cmek: BigQuery logging datasets, AlloyDB clusters and Cloud Storage buckets use a customer-managed key. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes, get, nonEmpty } from '../private/props';
import { TYPES } from '../resource-types';

/** Where each type names its default key. */
const KEY_PATHS: Readonly<Record<string, string>> = {
  [TYPES.dataset]: 'defaultEncryptionConfiguration.kmsKeyName',
  [TYPES.alloydbCluster]: 'encryptionConfig.kmsKeyName',
  [TYPES.bucket]: 'encryption.defaultKmsKeyName',
};

export const datastoreCmek: ResourceValidationPolicy = {
  name: 'datastore-cmek',
  description:
    'BigQuery datasets (request/response logs), AlloyDB clusters and Cloud Storage buckets (function sources, load-test results) encrypt with a customer-managed key (OBS-01, VEC-02; buckets: Trivy GCP-0066).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.dataset, TYPES.alloydbCluster, TYPES.bucket], (props, report, args) => {
    const path = KEY_PATHS[args.type];
    if (!nonEmpty(get(props, path))) report(`${args.type} without a customer-managed key: set ${path}.`);
  }),
};
