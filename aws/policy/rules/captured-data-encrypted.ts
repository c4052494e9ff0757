/**
 * MLServe-SM6: captured requests and async results are encrypted with a customer-managed key
 * (OBS-01). Findings: DataCaptureUnencrypted, AsyncOutputUnencrypted.
 */
import type { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { field, resolve } from '../private/props';
import type { MLServeRule } from '../mlserve-rule';

export const capturedDataEncrypted: MLServeRule = {
  id: 'SM6',
  info: 'A SageMaker endpoint configuration captures requests or writes async results without a KMS key.',
  explanation: 'Captured payloads are production data: they need the same customer-managed encryption as the data they copy (security rule OBS-01).',
  level: NagMessageLevel.ERROR,
  check(node: CfnResource) {
    if (!(node instanceof CfnEndpointConfig)) return NagRuleCompliance.NOT_APPLICABLE;
    const capture = resolve(node, node.dataCaptureConfig);
    const output = field(resolve(node, node.asyncInferenceConfig), 'outputConfig');
    if (capture === undefined && output === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const findings: string[] = [];
    if (capture !== undefined && field(capture, 'enableCapture') !== false && !field(capture, 'kmsKeyId')) findings.push('DataCaptureUnencrypted');
    if (output !== undefined && !field(output, 'kmsKeyId')) findings.push('AsyncOutputUnencrypted');
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
