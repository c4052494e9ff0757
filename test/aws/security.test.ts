/**
 * The security bar of issue 2: cdk-nag AwsSolutions, NIST 800-53 R5 and our MLServe pack report
 * nothing unacknowledged in any environment; every acknowledgment sits on a specific construct with
 * a specific reason; the packs and the template validator demonstrably catch violations.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_ACKNOWLEDGMENT_REASON_LENGTH } from '../../aws/private/acknowledge';
import { newServingApp, ServingStack } from '../../aws';
import { acknowledgments, ENVIRONMENTS, mlserveFindings, policyFindings, resolvedTopology, servingApps, type EnvironmentName } from './support';

let apps: Record<EnvironmentName, App>;
beforeAll(() => {
  apps = servingApps();
});

describe('policy packs', () => {
  it.each(ENVIRONMENTS)('%s: AwsSolutions, NIST 800-53 R5 and MLServe report nothing unacknowledged', (env) => {
    expect(policyFindings(apps[env])).toEqual([]);
  });

  it('positive control: a wildcard policy is reported by AwsSolutions and NIST, and an unguarded endpoint by MLServe', () => {
    const app = new App();
    const canary = new Stack(app, 'Canary');
    new iam.ManagedPolicy(canary, 'Admin', { statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
    new sagemaker.CfnModel(canary, 'OpenModel', { executionRoleArn: 'arn:aws:iam::123456789012:role/x', primaryContainer: { image: 'x' } });
    const rules = policyFindings(app).map((f) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'AwsSolutions-IAM5[Action::*]',
        'AwsSolutions-IAM5[Resource::*]',
        'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess',
        'MLServe-SM2[NoVpcConfig]',
        'MLServe-SM2[NetworkIsolationOff]',
      ]),
    );
  });
});

describe('acknowledgments', () => {
  it.each(ENVIRONMENTS)('%s: every policy-pack acknowledgment has a specific reason and sits below the stack', (env) => {
    const acks = acknowledgments(apps[env]).filter((a) => /^(AwsSolutions|NIST\.800\.53\.R5|MLServe)-/.test(a.rule));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.reason.trim().length, `${ack.path} ${ack.rule}`).toBeGreaterThanOrEqual(MIN_ACKNOWLEDGMENT_REASON_LENGTH);
      // Never on the app or a whole stack: the narrowest construct that needs it (SUP-01).
      expect(ack.path.split('/').length, `${ack.path} ${ack.rule}`).toBeGreaterThan(1);
    }
    const stackWideWildcards = acks.filter((a) => a.rule.startsWith('AwsSolutions-IAM5') && !a.path.includes('/'));
    expect(stackWideWildcards).toEqual([]);
  });

  it('acknowledges the NVMe KMS exception only on endpoint configs of local-NVMe instances (SRV-02)', () => {
    const nvme = acknowledgments(apps.prod).filter((a) => a.rule === 'NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured');
    expect(nvme.map((a) => a.path).sort()).toEqual(['news-prod-serving/EmbedderEndpoint/Config', 'news-prod-serving/RerankerEndpoint/Config']);
    expect(nvme[0].reason).toContain('ml.g6.xlarge');
    expect(nvme[0].reason).toContain('local NVMe');
  });

  it('the NVMe exception is needed: without it NIST reports the missing KMS key', () => {
    const app = newServingApp();
    const stack = new Stack(app, 'Nvme');
    new sagemaker.CfnEndpointConfig(stack, 'Config', {
      productionVariants: [{ variantName: 'primary', modelName: 'm', instanceType: 'ml.g6.xlarge', initialInstanceCount: 1 }],
    });
    expect(policyFindings(app).map((f) => f.rule)).toContain('NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured');
  });
});

describe('stack protection', () => {
  it.each(ENVIRONMENTS)('%s: termination protection is on exactly in production', (env) => {
    const stack = apps[env].node.children.find((c): c is ServingStack => c instanceof ServingStack)!;
    expect(stack.terminationProtection).toBe(env === 'prod');
  });
});

describe('MLServe production rules on the serving stack', () => {
  it('a prod stack with one instance per endpoint breaks MLServe-SM1', () => {
    const prod = resolvedTopology('prod');
    const topology = { ...prod, endpoints: prod.endpoints.map((e) => ({ ...e, scaling: { ...e.scaling, min: 1 } })) };
    const app = newServingApp();
    new ServingStack(app, 'OneInstance', { topology });
    expect(mlserveFindings(app)).toEqual(['MLServe-SM1']);
  });

  it('a prod stack that destroys its data breaks MLServe-DATA1', () => {
    const topology = { ...resolvedTopology('prod'), retainData: false };
    const app = newServingApp();
    new ServingStack(app, 'Destroys', { topology });
    expect(mlserveFindings(app)).toEqual(['MLServe-DATA1']);
  });
});
