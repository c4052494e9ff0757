/** One customer-managed key per component, rotated, with the service grants its consumers need. */
import { Arn, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** KMS waits this long before deleting a scheduled key: the longest window, the most time to notice (KMS-01). */
const PENDING_WINDOW = Duration.days(30);

export function newComponentKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    pendingWindow: PENDING_WINDOW,
    removalPolicy,
  });
}

/**
 * Lets CloudWatch Logs encrypt one log group with `key`. The encryption context pins the grant to
 * that group (CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
 * An imported key ignores this; its owner must add the statement.
 */
export function allowLogGroupEncryption(key: kms.IKey, logGroupName: string): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn': Arn.format(
            { service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME },
            stack,
          ),
        },
      },
    }),
  );
}

/**
 * Lets CloudWatch alarm actions use `key` for the notifications they publish into a topic encrypted
 * with it: kms:Decrypt and kms:GenerateDataKey for cloudwatch.amazonaws.com (AWS Knowledge Center,
 * repost.aws/knowledge-center/cloudwatch-configure-alarm-sns). Only on behalf of alarms in the key's
 * own account and region, or any account's alarm could make CloudWatch use the key (confused
 * deputy): CloudWatch names the publishing alarm's ARN in aws:SourceArn (AWS Knowledge Center,
 * repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger), and AWS's Modern Data
 * Architecture Accelerator conditions this same KMS grant on aws:SourceAccount and aws:SourceArn
 * (`grantCloudWatchAlarmsTopicAccess`). The account is a token, so synthesis stays
 * environment-agnostic. An imported key ignores this; its owner must add the statement.
 */
export function allowCloudWatchAlarmsToPublishWith(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': Arn.format({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack),
        },
      },
    }),
  );
}
