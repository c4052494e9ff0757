/**
 * The GCP policy pack's policies, importable without starting a pack (index.ts starts it). They
 * mirror the AWS bar (aws/policy): CMEK everywhere, Private Service Connect endpoints, no public
 * index endpoint, a dead letter on every subscription, production replicas, zones, protection and
 * deletion protection, KMS rotation, no basic roles. One rule per file in rules/.
 *
 * Each rule is a plain function over `args.type` and `args.props` (the resource's inputs), so a
 * unit test calls `validateResource` / `validateStack` with hand-built args, and the mocks bridge
 * feeds it every resource of a mocked program run.
 *
 * Values not known at preview: a rule that reads one (a key's name on the first preview, before
 * the key exists) cannot run. The policy engine (@pulumi/policy `unknownCheckingProxy`) stops the
 * rule for that resource and reports an advisory "can't run policy ... during preview"; it neither
 * passes nor fails the preview. `pulumi up` runs it again before creating the resource, when the
 * value is known, and a mandatory violation stops the update there.
 */
import {
  cacheCmekAndTransport,
  datastoreCmek,
  kmsRotation,
  noBasicRoles,
  noPublicMembers,
  privateEndpoints,
  privateIndexEndpoint,
  productionDeletionProtection,
  productionMultiZoneCache,
  productionProtect,
  productionReplicas,
  pubsubCmek,
  subscriptionDeadLetter,
  vertexCmek,
} from './rules';

export const GCP_POLICIES = [
  vertexCmek,
  pubsubCmek,
  cacheCmekAndTransport,
  datastoreCmek,
  privateEndpoints,
  privateIndexEndpoint,
  subscriptionDeadLetter,
  kmsRotation,
  noBasicRoles,
  noPublicMembers,
  productionReplicas,
  productionMultiZoneCache,
  productionDeletionProtection,
  productionProtect,
];
