/**
 * A role as a grantee whose grants land in a customer-managed policy instead of the role's inline
 * default policy (NIST 800-53 IAMNoInlinePolicy), so constructs' own `grantXxx` methods can be used:
 * they state the exact actions, and key grants come with them.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

export class ManagedPolicyGrantee implements iam.IPrincipal {
  readonly grantPrincipal: iam.IPrincipal = this;
  readonly assumeRoleAction: string;
  readonly policyFragment: iam.PrincipalPolicyFragment;
  readonly principalAccount: string | undefined;

  constructor(
    readonly role: iam.IRole,
    readonly policy: iam.ManagedPolicy,
  ) {
    this.assumeRoleAction = role.assumeRoleAction;
    this.policyFragment = role.policyFragment;
    this.principalAccount = role.principalAccount;
  }

  addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }
}
