/**
 * `ScalingRelease`: a custom resource an endpoint depends on, so CloudFormation updates it before the
 * endpoint. It deregisters, from Application Auto Scaling, the variants whose instance type is about
 * to change or that are about to be removed, which SageMaker requires before such an update (SageMaker
 * Developer Guide, "Update endpoints that use auto scaling"). The handler is
 * `scaling-release-handler.js`, shipped as inline code.
 *
 * CloudFormation alone cannot order this: it deletes resources that leave the template, and replaced
 * resources, only in the clean-up phase after every update, so a scalable target that goes away is
 * still registered while the endpoint updates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Arn, ArnFormat, type CfnResource, CustomResource, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledge';
import { allowLogGroupEncryption } from './component-key';
import { wildcardResourceFinding } from './policy-findings';

/** The custom resource type, which `check-update` recognises as the release that precedes an endpoint update. */
export const SCALING_RELEASE_RESOURCE_TYPE = 'Custom::SageMakerScalingRelease';

export interface ScalingReleaseProps {
  /** The SageMaker endpoint whose variants are released. */
  readonly endpointName: string;
  /** Every variant of the endpoint's new configuration with its instance type. */
  readonly variants: readonly { readonly variantName: string; readonly instanceType: string }[];
  /** Encrypts the handler's log group. */
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Of the handler's log group. */
  readonly removalPolicy: RemovalPolicy;
}

export class ScalingRelease extends Construct {
  readonly resource: CustomResource;
  readonly handler: lambda.CfnFunction;

  constructor(scope: Construct, id: string, props: ScalingReleaseProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroupName = `/aws/lambda/${props.endpointName}-scaling-release`;
    allowLogGroupEncryption(props.encryptionKey, logGroupName);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      encryptionKey: props.encryptionKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    const scalingAlarms = Arn.format(
      { service: 'cloudwatch', resource: 'alarm', resourceName: `TargetTracking-endpoint/${props.endpointName}/variant/*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME },
      stack,
    );
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Releases ${props.endpointName} variants from Application Auto Scaling before an endpoint update`,
    });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `What the scaling release of ${props.endpointName} may do`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({ sid: 'WriteLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
        // Scalable targets have no resource-level permissions by endpoint (their ARNs carry a generated
        // id), so the condition keys pin the grant to SageMaker variant instance counts.
        new iam.PolicyStatement({
          sid: 'DeregisterVariants',
          actions: ['application-autoscaling:DeregisterScalableTarget'],
          resources: ['*'],
          conditions: {
            StringEquals: {
              'application-autoscaling:service-namespace': 'sagemaker',
              'application-autoscaling:scalable-dimension': 'sagemaker:variant:DesiredInstanceCount',
            },
          },
        }),
        // Deregistering deletes the target-tracking policies and their alarms, named after the variant.
        new iam.PolicyStatement({ sid: 'DeleteScalingAlarms', actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DeleteAlarms'], resources: [scalingAlarms] }),
      ],
    });
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      'Application Auto Scaling scalable targets have no per-endpoint ARNs (they carry a generated id); the grant is one action, pinned by the service-namespace and scalable-dimension condition keys to SageMaker variant instance counts.',
    );
    acknowledge(
      policy,
      wildcardResourceFinding(this, scalingAlarms),
      'Target-tracking alarms get generated suffixes from Application Auto Scaling; the wildcard is confined to the alarms of this endpoint\'s variants.',
    );

    // The L1 function: the L2 adds a DependsOn on its role, which the role's GetAtt already implies.
    this.handler = new lambda.CfnFunction(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X.name,
      handler: 'index.handler',
      code: { zipFile: readFileSync(join(__dirname, 'scaling-release-handler.js'), 'utf8') },
      role: role.roleArn,
      timeout: Duration.minutes(2).toSeconds(),
      memorySize: 256,
      // CloudFormation sends one request at a time per resource.
      reservedConcurrentExecutions: 1,
      loggingConfig: { logGroup: logGroup.logGroupName },
      description: `Deregisters ${props.endpointName} variants from Application Auto Scaling before updates SageMaker rejects otherwise`,
    });
    // Its permissions must be attached before CloudFormation first invokes it.
    this.handler.addResourceDependency(policy.node.defaultChild as CfnResource);
    acknowledge(
      this.handler,
      'NIST.800.53.R5-LambdaInsideVPC',
      'The function calls the Application Auto Scaling API and answers CloudFormation on a pre-signed S3 URL; the isolated serving VPC reaches neither, and the function touches no serving data.',
    );
    acknowledge(
      this.handler,
      'NIST.800.53.R5-LambdaDLQ',
      'CloudFormation invokes it per stack operation and waits for the answer on the pre-signed URL; a failed invocation fails the stack operation, which rolls back, so a dead-letter queue would hold nothing anyone replays.',
    );

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.handler.attrArn,
      resourceType: SCALING_RELEASE_RESOURCE_TYPE,
      properties: {
        EndpointName: props.endpointName,
        Variants: props.variants.map((v) => ({ VariantName: v.variantName, InstanceType: v.instanceType })),
      },
    });
  }
}
