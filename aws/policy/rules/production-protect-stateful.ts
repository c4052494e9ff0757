/**
 * production-protect-stateful, MLServe-DATA1: in production, stateful resources survive both stack
 * deletion and replacement: `DeletionPolicy` and `UpdateReplacePolicy` are Retain or Snapshot
 * (DATA-01). `DeletionPolicy` alone does not cover replacement (CloudFormation `UpdateReplacePolicy`
 * attribute).
 */
import { CfnDeletionPolicy, type CfnResource } from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { isInProductionScope } from '../production-scope';
import type { MLServeRule } from '../mlserve-rule';
import { STATEFUL_TYPES } from '../resource-types';
import { isDeadLetterQueue } from './queue-dead-letter-alarmed';

const KEEPS_ON_DELETE: readonly CfnDeletionPolicy[] = [CfnDeletionPolicy.RETAIN, CfnDeletionPolicy.SNAPSHOT, CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE];
const KEEPS_ON_REPLACE: readonly CfnDeletionPolicy[] = [CfnDeletionPolicy.RETAIN, CfnDeletionPolicy.SNAPSHOT];

export const productionProtect: MLServeRule = {
  id: 'DATA1',
  info: 'A production stateful resource (cache, vector store, database, key, bucket or dead-letter queue) is deleted on stack deletion or on replacement.',
  explanation: 'Deleting a cache, an index, a key or a dead-letter queue loses data a rollback cannot bring back (security rule DATA-01).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!isInProductionScope(node)) return NagRuleCompliance.NOT_APPLICABLE;
    const stateful = STATEFUL_TYPES.includes(node.cfnResourceType) || (node instanceof CfnQueue && isDeadLetterQueue(node));
    if (!stateful) return NagRuleCompliance.NOT_APPLICABLE;
    const { deletionPolicy, updateReplacePolicy } = node.cfnOptions;
    return deletionPolicy && KEEPS_ON_DELETE.includes(deletionPolicy) && updateReplacePolicy && KEEPS_ON_REPLACE.includes(updateReplacePolicy)
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
};
