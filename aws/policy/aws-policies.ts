/**
 * The MLServe pack's rules, importable without building a pack (mlserve-checks.ts builds it). One
 * rule per file in rules/, each a pure check of one L1 resource.
 *
 * They hold the same bar as the GCP pack (gcp/policy/gcp-policies.ts). A rule both clouds check
 * the same way has the same file name on both; where the clouds' resources differ, each names its
 * rule in its own vocabulary, and the security rule id ties them together:
 *
 * | security rule | AWS (rules/) | GCP (gcp/policy/rules/) |
 * |---|---|---|
 * | SRV-01 | production-min-replicas (SM1) | production-min-replicas |
 * | DATA-01 | production-protect-stateful (DATA1) | production-protect-stateful |
 * | SRV-03 | model-network-isolation (SM2) | vertex-endpoint-private |
 * | VEC-01 | vector-collection-private (AOSS1) | index-endpoint-not-public |
 * | VEC-02 | vector-collection-cmk (AOSS2) | vertex-cmek, datastore-cmek |
 * | VEC-04 | vector-access-named-principals (AOSS3) | none of its own: Vector Search access is IAM, which no-basic-roles and no-public-iam-members bound |
 * | OBS-01 | captured-data-encrypted (SM6) | datastore-cmek |
 * | CACHE-01, CACHE-02 | serverless-cache-protected (AEC1) | cache-cmek-tls-auth |
 * | Q-01 | queue-dead-letter-alarmed (SQS1) | subscription-dead-letter |
 * | DEP-01, DEP-02, DEP-04 | guarded-rollout (SM3), rollback-alarms (SM4), guardrail-compatible (SM5) | none: Vertex has no guarded rollout |
 */
import type { MLServeRule } from './mlserve-rule';
import {
  capturedDataEncrypted,
  guardedRollout,
  guardrailCompatible,
  modelNetworkIsolation,
  productionProtect,
  productionReplicas,
  queueDeadLetterAlarmed,
  rollbackAlarms,
  serverlessCacheProtected,
  vectorAccessNamedPrincipals,
  vectorCollectionCmk,
  vectorCollectionPrivate,
} from './rules';

export const MLSERVE_RULES: readonly MLServeRule[] = [
  productionReplicas,
  modelNetworkIsolation,
  guardedRollout,
  rollbackAlarms,
  guardrailCompatible,
  capturedDataEncrypted,
  serverlessCacheProtected,
  vectorCollectionPrivate,
  vectorCollectionCmk,
  vectorAccessNamedPrincipals,
  queueDeadLetterAlarmed,
  productionProtect,
];
