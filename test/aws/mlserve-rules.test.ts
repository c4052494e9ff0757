/**
 * The MLServe cdk-nag pack, rule by rule: each has a compliant and a non-compliant fixture, checked
 * through the pack exactly as synthesis runs it (`validateScope`).
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearchserverless from 'aws-cdk-lib/aws-opensearchserverless';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { markProduction, MLSERVE_RULES } from '../../aws';
import { mlserveFindings } from './support';

/** A stack to put one fixture in; production-only rules see it only when `production`. */
function fixture(production = true): Stack {
  const stack = new Stack(new App(), 'Fixture');
  if (production) markProduction(stack);
  return stack;
}

const variant = (overrides: Partial<sagemaker.CfnEndpointConfig.ProductionVariantProperty> = {}) => ({
  variantName: 'primary',
  modelName: 'model',
  instanceType: 'ml.m5.xlarge',
  initialInstanceCount: 2,
  ...overrides,
});

function endpointConfig(stack: Stack, props: Partial<sagemaker.CfnEndpointConfigProps> = {}): sagemaker.CfnEndpointConfig {
  return new sagemaker.CfnEndpointConfig(stack, 'Config', { productionVariants: [variant()], ...props });
}

function endpoint(stack: Stack, deploymentConfig?: sagemaker.CfnEndpoint.DeploymentConfigProperty): sagemaker.CfnEndpoint {
  return new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointConfigName: 'config', deploymentConfig });
}

const canary = (extra: Partial<sagemaker.CfnEndpoint.BlueGreenUpdatePolicyProperty> = {}): sagemaker.CfnEndpoint.DeploymentConfigProperty => ({
  blueGreenUpdatePolicy: {
    trafficRoutingConfiguration: { type: 'CANARY', canarySize: { type: 'CAPACITY_PERCENT', value: 10 }, waitIntervalInSeconds: 600 },
    maximumExecutionTimeoutInSeconds: 3000,
    terminationWaitInSeconds: 600,
    ...extra,
  },
  autoRollbackConfiguration: { alarms: [{ alarmName: 'latency' }] },
});

const findingsOf = (stack: Stack) => mlserveFindings(stack.node.root);

describe('MLServe pack', () => {
  it('registers every rule under the MLServe- prefix', () => {
    expect(MLSERVE_RULES.map((r) => r.id)).toEqual(['SM1', 'SM2', 'SM3', 'SM4', 'SM5', 'SM6', 'AEC1', 'AOSS1', 'AOSS2', 'AOSS3', 'SQS1', 'DATA1']);
  });
});

describe('MLServe-SM1: production variants run on >= 2 instances', () => {
  it('compliant: two instances in production', () => {
    const stack = fixture();
    endpointConfig(stack);
    expect(findingsOf(stack)).not.toContain('MLServe-SM1');
  });

  it('non-compliant: one instance in production', () => {
    const stack = fixture();
    endpointConfig(stack, { productionVariants: [variant({ initialInstanceCount: 1 })] });
    expect(findingsOf(stack)).toContain('MLServe-SM1');
  });

  it('non-compliant: a production scaling target may scale in to one instance', () => {
    const stack = fixture();
    new appscaling.CfnScalableTarget(stack, 'Target', {
      serviceNamespace: 'sagemaker',
      resourceId: 'endpoint/e/variant/primary',
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity: 1,
      maxCapacity: 4,
    });
    expect(findingsOf(stack)).toContain('MLServe-SM1');
  });

  it('not applicable: one instance outside production', () => {
    const stack = fixture(false);
    endpointConfig(stack, { productionVariants: [variant({ initialInstanceCount: 1 })] });
    expect(findingsOf(stack)).not.toContain('MLServe-SM1');
  });
});

describe('MLServe-SM2: models run in the VPC with network isolation', () => {
  const model = (stack: Stack, props: Partial<sagemaker.CfnModelProps>) =>
    new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: 'arn:aws:iam::123456789012:role/r', primaryContainer: { image: 'i' }, ...props });

  it('compliant: private subnets, security group, isolation', () => {
    const stack = fixture(false);
    model(stack, { enableNetworkIsolation: true, vpcConfig: { subnets: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'] } });
    expect(findingsOf(stack)).toEqual([]);
  });

  it('non-compliant: no VPC and no isolation, reported as two specific findings', () => {
    const stack = fixture(false);
    model(stack, {});
    expect(findingsOf(stack)).toEqual(['MLServe-SM2[NoVpcConfig]', 'MLServe-SM2[NetworkIsolationOff]']);
  });

  it('non-compliant: in the VPC but with isolation off', () => {
    const stack = fixture(false);
    model(stack, { enableNetworkIsolation: false, vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-1'] } });
    expect(findingsOf(stack)).toEqual(['MLServe-SM2[NetworkIsolationOff]']);
  });
});

describe('MLServe-SM3: production endpoints roll out canary or linear', () => {
  it('compliant: canary within SageMaker bounds', () => {
    const stack = fixture();
    endpoint(stack, canary());
    expect(findingsOf(stack)).not.toContain('MLServe-SM3');
  });

  it('non-compliant: all at once in production', () => {
    const stack = fixture();
    endpoint(stack, { ...canary(), blueGreenUpdatePolicy: { trafficRoutingConfiguration: { type: 'ALL_AT_ONCE', waitIntervalInSeconds: 0 } } });
    expect(findingsOf(stack)).toContain('MLServe-SM3');
  });

  it('non-compliant: no deployment config in production', () => {
    const stack = fixture();
    endpoint(stack);
    expect(findingsOf(stack)).toContain('MLServe-SM3');
  });

  it('non-compliant: an execution timeout below 600 s', () => {
    const stack = fixture();
    endpoint(stack, canary({ maximumExecutionTimeoutInSeconds: 300 }));
    expect(findingsOf(stack)).toContain('MLServe-SM3');
  });

  it('non-compliant: an execution timeout that does not cover every bake and the termination wait', () => {
    // Two canary steps × 600 s + 600 s termination wait = 1800 s.
    const stack = fixture();
    endpoint(stack, canary({ maximumExecutionTimeoutInSeconds: 1800 }));
    expect(findingsOf(stack)).toContain('MLServe-SM3');
  });

  it.each([
    ['a canary of more than 50 %', { type: 'CANARY', canarySize: { type: 'CAPACITY_PERCENT', value: 60 }, waitIntervalInSeconds: 60 }],
    ['a linear step under 10 %', { type: 'LINEAR', linearStepSize: { type: 'CAPACITY_PERCENT', value: 5 }, waitIntervalInSeconds: 60 }],
    ['a linear step over 50 %', { type: 'LINEAR', linearStepSize: { type: 'CAPACITY_PERCENT', value: 60 }, waitIntervalInSeconds: 60 }],
  ])('non-compliant: %s', (_, trafficRoutingConfiguration) => {
    const stack = fixture();
    endpoint(stack, canary({ trafficRoutingConfiguration }));
    expect(findingsOf(stack)).toContain('MLServe-SM3');
  });

  it('compliant: a linear rollout of 25 % steps whose timeout covers its waits', () => {
    const stack = fixture();
    endpoint(stack, canary({ trafficRoutingConfiguration: { type: 'LINEAR', linearStepSize: { type: 'CAPACITY_PERCENT', value: 25 }, waitIntervalInSeconds: 300 }, terminationWaitInSeconds: 300, maximumExecutionTimeoutInSeconds: 3300 }));
    expect(findingsOf(stack)).not.toContain('MLServe-SM3');
  });
});

describe('MLServe-SM4: production endpoints roll back on >= 1 alarm', () => {
  it('compliant: one rollback alarm', () => {
    const stack = fixture();
    endpoint(stack, canary());
    expect(findingsOf(stack)).not.toContain('MLServe-SM4');
  });

  it('non-compliant: canary without rollback alarms', () => {
    const stack = fixture();
    endpoint(stack, { blueGreenUpdatePolicy: canary().blueGreenUpdatePolicy });
    expect(findingsOf(stack)).toContain('MLServe-SM4');
  });
});

describe('MLServe-SM5: production configs avoid guardrail exclusions', () => {
  it('compliant: general-purpose instances', () => {
    const stack = fixture();
    endpointConfig(stack);
    expect(findingsOf(stack)).not.toContain('MLServe-SM5');
  });

  it('non-compliant: Inf1 instances in production', () => {
    const stack = fixture();
    endpointConfig(stack, { productionVariants: [variant({ instanceType: 'ml.inf1.xlarge' })] });
    expect(findingsOf(stack)).toContain('MLServe-SM5');
  });
});

describe('MLServe-SM6: captured data and async results are encrypted', () => {
  const capture = (kmsKeyId?: string): sagemaker.CfnEndpointConfig.DataCaptureConfigProperty => ({
    enableCapture: true,
    initialSamplingPercentage: 5,
    destinationS3Uri: 's3://bucket/capture',
    kmsKeyId,
    captureOptions: [{ captureMode: 'Input' }],
  });

  it('compliant: capture and async output with a KMS key', () => {
    const stack = fixture(false);
    endpointConfig(stack, {
      dataCaptureConfig: capture('arn:aws:kms:us-east-1:123456789012:key/k'),
      asyncInferenceConfig: { outputConfig: { s3OutputPath: 's3://bucket/out', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k' } },
    });
    expect(findingsOf(stack)).toEqual([]);
  });

  it('non-compliant: capture without a key', () => {
    const stack = fixture(false);
    endpointConfig(stack, { dataCaptureConfig: capture() });
    expect(findingsOf(stack)).toEqual(['MLServe-SM6[DataCaptureUnencrypted]']);
  });

  it('non-compliant: async output without a key', () => {
    const stack = fixture(false);
    endpointConfig(stack, { asyncInferenceConfig: { outputConfig: { s3OutputPath: 's3://bucket/out' } } });
    expect(findingsOf(stack)).toEqual(['MLServe-SM6[AsyncOutputUnencrypted]']);
  });
});

describe('MLServe-AEC1: serverless caches are private, authenticated, CMK-encrypted and snapshotted', () => {
  it('compliant: every protection set', () => {
    const stack = fixture(false);
    new elasticache.CfnServerlessCache(stack, 'Cache', {
      serverlessCacheName: 'c',
      engine: 'valkey',
      securityGroupIds: ['sg-1'],
      subnetIds: ['subnet-1', 'subnet-2'],
      userGroupId: 'users',
      kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k',
      snapshotRetentionLimit: 1,
      dailySnapshotTime: '04:00',
    });
    expect(findingsOf(stack)).toEqual([]);
  });

  it('non-compliant: a bare serverless cache, every gap reported', () => {
    const stack = fixture(false);
    new elasticache.CfnServerlessCache(stack, 'Cache', { serverlessCacheName: 'c', engine: 'valkey' });
    expect(findingsOf(stack)).toEqual([
      'MLServe-AEC1[NoSecurityGroups]',
      'MLServe-AEC1[NoSubnets]',
      'MLServe-AEC1[NoUserGroup]',
      'MLServe-AEC1[NoCustomerManagedKey]',
      'MLServe-AEC1[NoDailySnapshots]',
    ]);
  });
});

describe('MLServe-AOSS1/2/3: vector collections are private, CMK-encrypted and named-principal only', () => {
  const securityPolicy = (stack: Stack, type: string, policy: unknown) =>
    new opensearchserverless.CfnSecurityPolicy(stack, `${type}Policy`, { name: `p-${type}`, type, policy: stack.toJsonString(policy) });
  const accessPolicy = (stack: Stack, principals: string[]) =>
    new opensearchserverless.CfnAccessPolicy(stack, 'Access', {
      name: 'access',
      type: 'data',
      policy: stack.toJsonString([{ Rules: [{ ResourceType: 'index', Resource: ['index/c/i'], Permission: ['aoss:ReadDocument'] }], Principal: principals }]),
    });

  it('compliant: VPC endpoint only, customer-managed key (a reference), a role ARN', () => {
    const stack = fixture(false);
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const vpce = new opensearchserverless.CfnVpcEndpoint(stack, 'Vpce', { name: 'vpce', vpcId: 'vpc-1', subnetIds: ['subnet-1'] });
    securityPolicy(stack, 'network', [{ Rules: [{ ResourceType: 'collection', Resource: ['collection/c'] }], AllowFromPublic: false, SourceVPCEs: [vpce.attrId] }]);
    securityPolicy(stack, 'encryption', { Rules: [{ ResourceType: 'collection', Resource: ['collection/c'] }], AWSOwnedKey: false, KmsARN: key.keyArn });
    accessPolicy(stack, ['arn:aws:iam::123456789012:role/indexer']);
    expect(findingsOf(stack).filter((r) => r.startsWith('MLServe-AOSS'))).toEqual([]);
  });

  it('non-compliant: public network access (AOSS1)', () => {
    const stack = fixture(false);
    securityPolicy(stack, 'network', [{ Rules: [{ ResourceType: 'collection', Resource: ['collection/c'] }], AllowFromPublic: true }]);
    expect(findingsOf(stack)).toEqual(['MLServe-AOSS1']);
  });

  it('non-compliant: private but no VPC endpoint named (AOSS1)', () => {
    const stack = fixture(false);
    securityPolicy(stack, 'network', [{ Rules: [{ ResourceType: 'collection', Resource: ['collection/c'] }], AllowFromPublic: false }]);
    expect(findingsOf(stack)).toEqual(['MLServe-AOSS1']);
  });

  it('non-compliant: an AWS-owned key (AOSS2)', () => {
    const stack = fixture(false);
    securityPolicy(stack, 'encryption', { Rules: [{ ResourceType: 'collection', Resource: ['collection/c'] }], AWSOwnedKey: true });
    expect(findingsOf(stack)).toEqual(['MLServe-AOSS2']);
  });

  it('non-compliant: a wildcard principal (AOSS3)', () => {
    const stack = fixture(false);
    accessPolicy(stack, ['*']);
    expect(findingsOf(stack)).toEqual(['MLServe-AOSS3']);
  });

  it('non-compliant: a principal pattern with a wildcard (AOSS3)', () => {
    const stack = fixture(false);
    accessPolicy(stack, ['arn:aws:iam::123456789012:role/*']);
    expect(findingsOf(stack)).toEqual(['MLServe-AOSS3']);
  });
});

describe('MLServe-SQS1: every queue has a dead-letter queue, and it is alarmed', () => {
  function queues(stack: Stack, alarm: 'none' | 'no-action' | 'with-action') {
    const dlq = new sqs.Queue(stack, 'Dlq');
    new sqs.Queue(stack, 'Work', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
    if (alarm === 'none') return;
    const a = new cloudwatch.Alarm(stack, 'DlqAlarm', {
      metric: dlq.metricApproximateNumberOfMessagesVisible(),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    if (alarm === 'with-action') a.addAlarmAction(new cloudwatchActions.SnsAction(new sns.Topic(stack, 'Topic')));
  }

  it('compliant: redrive to a dead-letter queue whose alarm has an action', () => {
    const stack = fixture(false);
    queues(stack, 'with-action');
    expect(findingsOf(stack)).toEqual([]);
  });

  it('non-compliant: a queue without a dead-letter queue', () => {
    const stack = fixture(false);
    new sqs.Queue(stack, 'Lonely');
    expect(findingsOf(stack)).toEqual(['MLServe-SQS1[NoDeadLetterQueue]']);
  });

  it('non-compliant: a dead-letter queue nobody alarms on', () => {
    const stack = fixture(false);
    queues(stack, 'none');
    expect(findingsOf(stack)).toEqual(['MLServe-SQS1[DeadLetterQueueNotAlarmed]']);
  });

  it('non-compliant: a dead-letter alarm without an action', () => {
    const stack = fixture(false);
    queues(stack, 'no-action');
    expect(findingsOf(stack)).toEqual(['MLServe-SQS1[DeadLetterQueueNotAlarmed]']);
  });
});

describe('MLServe-DATA1: production stateful resources survive delete and replacement', () => {
  it('compliant: retained cache, key, bucket and dead-letter queue in production', () => {
    const stack = fixture();
    new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.RETAIN });
    const cache = new elasticache.CfnServerlessCache(stack, 'Cache', { serverlessCacheName: 'c', engine: 'valkey' });
    cache.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    const dlq = new sqs.Queue(stack, 'Dlq', { removalPolicy: RemovalPolicy.RETAIN });
    // The work queue itself is not stateful for this rule: destroying it is allowed.
    new sqs.Queue(stack, 'Work', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 }, removalPolicy: RemovalPolicy.DESTROY });
    expect(findingsOf(stack)).not.toContain('MLServe-DATA1');
  });

  it('non-compliant: a production key deleted with the stack', () => {
    const stack = fixture();
    new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    expect(findingsOf(stack)).toContain('MLServe-DATA1');
  });

  it('non-compliant: retained on delete but not on replacement', () => {
    const stack = fixture();
    const collection = new opensearchserverless.CfnCollection(stack, 'Collection', { name: 'c', type: 'VECTORSEARCH' });
    collection.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    collection.cfnOptions.updateReplacePolicy = undefined;
    expect(findingsOf(stack)).toContain('MLServe-DATA1');
  });

  it('non-compliant: a production dead-letter queue deleted with the stack', () => {
    const stack = fixture();
    const dlq = new sqs.Queue(stack, 'Dlq', { removalPolicy: RemovalPolicy.DESTROY, retentionPeriod: Duration.days(14) });
    new sqs.Queue(stack, 'Work', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 }, removalPolicy: RemovalPolicy.RETAIN });
    expect(findingsOf(stack)).toContain('MLServe-DATA1');
  });

  it('not applicable: deleted outside production', () => {
    const stack = fixture(false);
    new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY });
    expect(findingsOf(stack)).not.toContain('MLServe-DATA1');
  });
});
