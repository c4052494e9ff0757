/**
 * Every alarm notifies a topic when it fires and when it recovers (OBS-02), and CloudWatch may act
 * for this account's alarms only.
 */
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';

export function notifyTopic(alarm: cloudwatch.Alarm, topic: sns.ITopic): void {
  const action = new cloudwatchActions.SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
}

/**
 * The condition block that limits `cloudwatch.amazonaws.com` to alarms of the scope's own account
 * and region. CloudWatch names the acting alarm's ARN in aws:SourceArn and its account in
 * aws:SourceAccount (AWS Knowledge Center, repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger);
 * without them any account's alarm could make CloudWatch publish or use the key (confused deputy,
 * IAM User Guide, "The confused deputy problem"). Account and region stay tokens, so synthesis is
 * environment-agnostic.
 */
export function cloudWatchAlarmSourceConditions(scope: IConstruct): Record<string, Record<string, unknown>> {
  const stack = Stack.of(scope);
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': Arn.format({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack) },
  };
}
