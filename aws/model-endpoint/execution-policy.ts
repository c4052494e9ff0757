/**
 * The execution role's permissions, as a customer-managed policy (NIST IAMNoInlinePolicy): pull the
 * variants' images, read their artifacts, write the endpoint's logs and metrics, use its key, write
 * captures and async results, read async requests, publish async notifications, and manage the
 * network interfaces SageMaker puts in the VPC. Never AmazonSageMakerFullAccess.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { ResolvedEndpoint } from '../../constructs';
import { acknowledge } from '../private/acknowledge';
import { parseEcrImageUri } from '../private/ecr-image';
import { INSTANCE_NAMESPACE } from '../private/endpoint-metrics';
import { wildcardResourceFinding } from '../private/policy-findings';
import { parseS3Uri } from '../private/s3-location';
import { DATA_PREFIX, type AsyncTopics } from './endpoint-data';

export interface ExecutionPolicyProps {
  readonly spec: ResolvedEndpoint;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly encryptionKey: kms.IKey;
  readonly dataBucket?: s3.IBucket;
  readonly asyncTopics?: AsyncTopics;
  /** Whether the models attach to a VPC (then SageMaker manages network interfaces with the role). */
  readonly inVpc: boolean;
}

/** The policy, child `ExecutionPolicy` of `scope` (the endpoint), attached to `props.role`. */
export function newExecutionPolicy(scope: Construct, props: ExecutionPolicyProps): iam.ManagedPolicy {
  const { spec } = props;
  const stack = Stack.of(scope);
  const endpointName = spec.aws.endpointName;
  const statements: iam.PolicyStatement[] = [];
  const wildcardFindings: string[] = [];

  const repositories = [...new Set(spec.variants.map((v) => parseEcrImageUri(v.model.image.aws).repositoryArn))];
  statements.push(
    new iam.PolicyStatement({
      sid: 'PullModelImages',
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      resources: repositories,
    }),
    new iam.PolicyStatement({ sid: 'AuthenticateToEcr', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
  );

  const artifactObjects: string[] = [];
  const prefixListings: { bucketArn: string; prefix: string }[] = [];
  for (const variant of spec.variants) {
    const uri = variant.model.artifact?.aws;
    if (!uri) continue;
    const location = parseS3Uri(uri);
    const bucketArn = `arn:${stack.partition}:s3:::${location.bucket}`;
    if (location.isPrefix) {
      const objects = `${bucketArn}/${location.key}*`;
      artifactObjects.push(objects);
      wildcardFindings.push(wildcardResourceFinding(scope, objects));
      prefixListings.push({ bucketArn, prefix: location.key });
    } else {
      artifactObjects.push(`${bucketArn}/${location.key}`);
    }
  }
  if (artifactObjects.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'ReadModelArtifacts', actions: ['s3:GetObject'], resources: [...new Set(artifactObjects)] }));
  }
  for (const [i, { bucketArn, prefix }] of prefixListings.entries()) {
    statements.push(
      new iam.PolicyStatement({
        sid: `ListModelArtifacts${i}`,
        actions: ['s3:ListBucket'],
        resources: [bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      }),
    );
  }

  statements.push(
    new iam.PolicyStatement({
      sid: 'WriteEndpointLogs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [props.logGroup.logGroupArn],
    }),
    new iam.PolicyStatement({
      sid: 'PublishInstanceMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': INSTANCE_NAMESPACE } },
    }),
    new iam.PolicyStatement({
      sid: 'UseEndpointKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [props.encryptionKey.keyArn],
    }),
  );

  const bucket = props.dataBucket;
  if (bucket) {
    const async = spec.mode === 'async';
    const objects = (prefix: string): string => bucket.arnForObjects(`${prefix}/*`);
    const written = [...(spec.dataCapture ? [DATA_PREFIX.capture] : []), ...(async ? [DATA_PREFIX.asyncOutput, DATA_PREFIX.asyncFailures] : [])].map(objects);
    statements.push(new iam.PolicyStatement({ sid: 'WriteCapturesAndResults', actions: ['s3:PutObject'], resources: written }));
    wildcardFindings.push(...written.map((o) => wildcardResourceFinding(scope, o)));
    if (async) {
      // SageMaker reads each request from its InputLocation with this role (SageMaker Developer Guide,
      // async inference prerequisites). The bucket is encrypted with this endpoint's key, which
      // UseEndpointKey already lets the role decrypt with.
      const requests = objects(DATA_PREFIX.asyncInput);
      statements.push(new iam.PolicyStatement({ sid: 'ReadAsyncRequests', actions: ['s3:GetObject'], resources: [requests] }));
      wildcardFindings.push(wildcardResourceFinding(scope, requests));
    }
  }
  if (props.asyncTopics) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'PublishAsyncNotifications',
        actions: ['sns:Publish'],
        resources: [props.asyncTopics.success.topicArn, props.asyncTopics.error.topicArn],
      }),
    );
  }
  if (props.inVpc) {
    // The permissions SageMaker needs to attach models to the VPC; EC2 offers no resource-level
    // scoping for the Describe calls (SageMaker Developer Guide, "Give SageMaker AI hosted endpoints
    // access to resources in your Amazon VPC").
    statements.push(
      new iam.PolicyStatement({
        sid: 'AttachToVpc',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:CreateNetworkInterfacePermission',
          'ec2:DeleteNetworkInterface',
          'ec2:DeleteNetworkInterfacePermission',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeVpcs',
          'ec2:DescribeDhcpOptions',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
        ],
        resources: ['*'],
      }),
    );
  }

  const policy = new iam.ManagedPolicy(scope, 'ExecutionPolicy', {
    description: `What ${endpointName} needs to run its models`,
    statements,
    roles: [props.role],
  });
  acknowledge(
    policy,
    'AwsSolutions-IAM5[Resource::*]',
    'Only actions without resource-level permissions use "*": ecr:GetAuthorizationToken, cloudwatch:PutMetricData (pinned by the cloudwatch:namespace condition) and the EC2 network-interface calls SageMaker makes to attach models to the VPC.',
  );
  for (const finding of new Set(wildcardFindings)) {
    acknowledge(
      policy,
      finding,
      'SageMaker writes data-capture files and async results under generated object keys, reads async requests under the keys clients upload them to, and reads an uncompressed model directory by listing it; each wildcard is confined to one prefix of this endpoint.',
    );
  }
  return policy;
}
