/**
 * cdk-nag's HIPAA Security and PCI DSS 3.2.1 packs over every environment's serving stack (synthesis
 * runs AwsSolutions and NIST 800-53 R5; regulated users run these too). Every finding is fixed or
 * acknowledged with its reason on the narrowest construct; the packs demonstrably report violations.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { HIPAASecurityChecks, PCIDSS321Checks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { ServingStack } from '../../aws';
import { MIN_ACKNOWLEDGMENT_REASON_LENGTH } from '../../aws/private/acknowledge';
import { acknowledgments, ENVIRONMENTS, policyFindings, servingApps, type EnvironmentName } from './support';

const compliancePacks = () => [new HIPAASecurityChecks(), new PCIDSS321Checks()];
let apps: Record<EnvironmentName, App>;
beforeAll(() => {
  apps = servingApps();
});

describe('HIPAA Security and PCI DSS 3.2.1', () => {
  it.each(ENVIRONMENTS)('%s: both packs report nothing unacknowledged', (env) => {
    expect(policyFindings(apps[env], compliancePacks())).toEqual([]);
  });

  it('positive control: both packs report an unencrypted, unversioned, unlogged bucket', () => {
    const app = new App();
    new s3.Bucket(new Stack(app, 'Canary'), 'Plain');
    const rules = policyFindings(app, compliancePacks()).map((f) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'HIPAA.Security-S3BucketReplicationEnabled',
        'HIPAA.Security-S3DefaultEncryptionKMS',
        'PCI.DSS.321-S3BucketReplicationEnabled',
        'PCI.DSS.321-S3DefaultEncryptionKMS',
      ]),
    );
  });

  it.each(ENVIRONMENTS)('%s: every HIPAA and PCI acknowledgment has a specific reason and sits on a construct below the stack', (env) => {
    const acks = acknowledgments(apps[env]).filter((a) => /^(HIPAA\.Security|PCI\.DSS\.321)-/.test(a.rule));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason.trim().length, `${ack.path} ${ack.rule}`).toBeGreaterThanOrEqual(MIN_ACKNOWLEDGMENT_REASON_LENGTH);
      expect(ack.path.split('/').length, `${ack.path} ${ack.rule}`).toBeGreaterThan(1);
    }
  });

  it('prod: the findings the packs reported before are acknowledged where they arise, with the NIST reason', () => {
    const acks = acknowledgments(apps.prod);
    const where = (rule: string) => acks.filter((a) => a.rule === rule).map((a) => a.path.replace(/^news-prod-serving\//, '')).sort();
    for (const prefix of ['HIPAA.Security', 'PCI.DSS.321']) {
      expect(where(`${prefix}-S3BucketReplicationEnabled`)).toEqual(['AccessLogs', 'RankerEndpoint/DataBucket', 'RerankerEndpoint/DataBucket']);
      expect(where(`${prefix}-S3DefaultEncryptionKMS`)).toEqual(['AccessLogs']);
      expect(where(`${prefix}-SageMakerEndpointConfigurationKMSKeyConfigured`)).toEqual(['EmbedderEndpoint/Config', 'RerankerEndpoint/Config']);
    }
  });

  it.each(ENVIRONMENTS)('%s: the VPC default security group is closed, not acknowledged', (env) => {
    const stack = apps[env].node.children.find((c): c is ServingStack => c instanceof ServingStack)!;
    const createsVpc = stack.network.cidr !== undefined;
    expect(stack.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider') !== undefined).toBe(createsVpc);
    expect(acknowledgments(apps[env]).filter((a) => a.rule.endsWith('VPCDefaultSecurityGroupClosed'))).toEqual([]);
  });
});
