/**
 * MLServe-SM2: models run in the VPC's private subnets with network isolation (SRV-03; AWS Config
 * `sagemaker-model-in-vpc`, `sagemaker-model-isolation-enabled`; Checkov CKV_AWS_370). A container
 * that must reach the network at start-up is acknowledged per model, with its reason.
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { field, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const modelNetworkIsolation: MLServeRule = {
  id: 'SM2',
  info: 'A SageMaker model runs outside a VPC (NoVpcConfig) or without network isolation (NetworkIsolationOff).',
  explanation: 'Models in private subnets with network isolation cannot exfiltrate data or be reached from outside (security rule SRV-03).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnModel)) return NagRuleCompliance.NOT_APPLICABLE;
    const findings: string[] = [];
    const vpcConfig = resolve(node, node.vpcConfig);
    const subnets = field(vpcConfig, 'subnets');
    const groups = field(vpcConfig, 'securityGroupIds');
    if (!Array.isArray(subnets) || subnets.length === 0 || !Array.isArray(groups) || groups.length === 0) findings.push('NoVpcConfig');
    if (resolve(node, node.enableNetworkIsolation) !== true) findings.push('NetworkIsolationOff');
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
