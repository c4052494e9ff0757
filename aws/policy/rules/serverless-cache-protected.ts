/**
 * MLServe-AEC1: an ElastiCache Serverless cache is private, authenticated, encrypted with a
 * customer-managed key and snapshotted daily (CACHE-01, CACHE-02, CACHE-04). cdk-nag's ElastiCache
 * rules cover only clusters and replication groups.
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnServerlessCache } from 'aws-cdk-lib/aws-elasticache';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const serverlessCacheProtected: MLServeRule = {
  id: 'AEC1',
  info: 'An ElastiCache Serverless cache lacks security groups, subnets, a user group, a customer-managed key or daily snapshots.',
  explanation: 'A serverless cache holds production features: it must be private, authenticated, CMK-encrypted and backed up (security rules CACHE-01, CACHE-02, CACHE-04).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnServerlessCache)) return NagRuleCompliance.NOT_APPLICABLE;
    const findings: string[] = [];
    const nonEmpty = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
    if (!nonEmpty(resolve(node, node.securityGroupIds))) findings.push('NoSecurityGroups');
    if (!nonEmpty(resolve(node, node.subnetIds))) findings.push('NoSubnets');
    if (!resolve(node, node.userGroupId)) findings.push('NoUserGroup');
    if (!resolve(node, node.kmsKeyId)) findings.push('NoCustomerManagedKey');
    if (!(Number(resolve(node, node.snapshotRetentionLimit)) >= 1) || !resolve(node, node.dailySnapshotTime)) findings.push('NoDailySnapshots');
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
