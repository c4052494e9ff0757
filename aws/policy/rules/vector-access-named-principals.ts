/**
 * MLServe-AOSS3: OpenSearch Serverless data access policies name specific principals, never a
 * wildcard (VEC-04).
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnAccessPolicy } from 'aws-cdk-lib/aws-opensearchserverless';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { field, parseJsonProperty, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const vectorAccessNamedPrincipals: MLServeRule = {
  id: 'AOSS3',
  info: 'An OpenSearch Serverless data access policy grants a wildcard principal or names none.',
  explanation: 'Data access must be limited to the roles that need it; a wildcard lets any principal with aoss:APIAccessAll read the corpus (security rule VEC-04).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnAccessPolicy) || resolve(node, node.type) !== 'data') return NagRuleCompliance.NOT_APPLICABLE;
    const statements = parseJsonProperty(node, node.policy);
    if (!Array.isArray(statements) || statements.length === 0) return NagRuleCompliance.NON_COMPLIANT;
    const named = (s: unknown): boolean => {
      const principals = field(s, 'Principal');
      return Array.isArray(principals) && principals.length > 0 && principals.every((p) => typeof p === 'string' && p.length > 0 && !p.includes('*'));
    };
    return statements.every(named) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
