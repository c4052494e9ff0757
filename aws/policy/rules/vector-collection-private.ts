/**
 * MLServe-AOSS1: OpenSearch Serverless network policies never allow public access and name the VPC
 * endpoints (or AWS services) that may connect (VEC-01).
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnSecurityPolicy } from 'aws-cdk-lib/aws-opensearchserverless';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { field, parseJsonProperty, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const vectorCollectionPrivate: MLServeRule = {
  id: 'AOSS1',
  info: 'An OpenSearch Serverless network policy allows public access or names no VPC endpoint.',
  explanation: 'A vector collection reachable from the internet is one leaked credential away from exposing the corpus (security rule VEC-01).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnSecurityPolicy) || resolve(node, node.type) !== 'network') return NagRuleCompliance.NOT_APPLICABLE;
    const statements = parseJsonProperty(node, node.policy);
    if (!Array.isArray(statements) || statements.length === 0) return NagRuleCompliance.NON_COMPLIANT;
    const isPrivate = (s: unknown): boolean => {
      if (field(s, 'AllowFromPublic') !== false) return false;
      const sources = [field(s, 'SourceVPCEs'), field(s, 'SourceServices')].filter(Array.isArray) as unknown[][];
      return sources.some((list) => list.length > 0);
    };
    return statements.every(isPrivate) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
