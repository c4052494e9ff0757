/** One customer-managed key per component, rotated, with the service grants its consumers need. */
import { Arn, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { cloudWatchAlarmSourceConditions } from './alarm-action';

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
 * repost.aws/knowledge-center/cloudwatch-configure-alarm-sns), on behalf of this account's alarms
 * only (`cloudWatchAlarmSourceConditions`). An imported key ignores this; its owner must add the
 * statement.
 */
export function allowCloudWatchAlarmsToPublishWith(key: kms.IKey): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: cloudWatchAlarmSourceConditions(key),
    }),
  );
}
