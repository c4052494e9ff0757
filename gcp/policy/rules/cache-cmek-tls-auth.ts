/** cache-cmek-tls-auth: Memorystore with a customer-managed key, TLS and authentication. */
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { forTypes, nonEmpty } from '../private/props';
import { TYPES } from '../resource-types';

export const cacheCmekAndTransport: ResourceValidationPolicy = {
  name: 'cache-cmek-tls-auth',
  description: 'Memorystore encrypts at rest with a customer-managed key, in transit with TLS, and requires authentication (CACHE-01, CACHE-02).',
  enforcementLevel: 'mandatory',
  validateResource: forTypes([TYPES.valkey, TYPES.redis], (props, report, args) => {
    const valkey = args.type === TYPES.valkey;
    if (!nonEmpty(valkey ? props.kmsKey : props.customerManagedKey)) report(`Memorystore without a customer-managed key: set ${valkey ? 'kmsKey' : 'customerManagedKey'}.`);
    if (props.transitEncryptionMode !== 'SERVER_AUTHENTICATION') report(`Memorystore transitEncryptionMode is ${String(props.transitEncryptionMode)}: set SERVER_AUTHENTICATION.`);
    if (valkey ? props.authorizationMode !== 'IAM_AUTH' : props.authEnabled !== true) {
      report(valkey ? 'Memorystore for Valkey without IAM_AUTH authorizationMode.' : 'Memorystore for Redis without authEnabled.');
    }
  }),
};
