/**
 * Names of the load generator's resources that two stacks must agree on without referencing each
 * other: the serving stack's S3 gateway endpoint admits the results bucket by name, and the fleet
 * stack, which depends on the serving stack for its VPC, creates it; a reference the other way
 * would be a cycle.
 */
import { createHash } from 'node:crypto';
import { Aws } from 'aws-cdk-lib';
import type { ResolvedTopology } from '../../constructs';

/** S3 bucket names are at most 63 characters (Amazon S3 User Guide, "General purpose bucket naming rules"). */
const TOPOLOGY_PART_MAX = 24;

/** The stack id (and name) of a topology's load generator stack: `<name>-<environment>-loadgen`. */
export function loadGeneratorStackId(topology: Pick<ResolvedTopology, 'name' | 'environment'>): string {
  return `${topology.name}-${topology.environment}-loadgen`;
}

/**
 * `<name>-<environment>-loadgen-<account>-<region>`, with `<name>-<environment>` shortened to 24
 * characters by a hash when longer, so the whole name fits 63 characters in every region (the
 * longest region names have 14). The account and region make it globally unique.
 */
export function loadGeneratorBucketName(topology: Pick<ResolvedTopology, 'name' | 'environment' | 'regions'>): string {
  let base = `${topology.name}-${topology.environment}`;
  if (base.length > TOPOLOGY_PART_MAX) {
    const hash = createHash('sha256').update(base).digest('hex').slice(0, 6);
    base = `${base.slice(0, TOPOLOGY_PART_MAX - 7).replace(/-+$/, '')}-${hash}`;
  }
  return `${base}-loadgen-${Aws.ACCOUNT_ID}-${topology.regions.aws}`;
}
