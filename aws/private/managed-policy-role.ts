/**
 * A role whose grants land in one customer-managed policy instead of an inline default policy
 * (NIST 800-53 R5 IAMNoInlinePolicy), so aws-cdk-lib's grants (`grantInvoke`, a bucket's
 * `grantReadWrite`, the task definition's image pull and log writes) can be used as they are.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface ManagedPolicyRoleProps extends iam.RoleProps {
  /** Description of the policy the grants go to. */
  readonly policyDescription: string;
}

export class ManagedPolicyRole extends iam.Role {
  /** Every statement granted to this role. */
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ManagedPolicyRoleProps) {
    const { policyDescription, ...roleProps } = props;
    super(scope, id, roleProps);
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description: policyDescription, roles: [this] });
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
