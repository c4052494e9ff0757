/** Every alarm notifies a topic when it fires and when it recovers (OBS-02). */
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';

export function notifyTopic(alarm: cloudwatch.Alarm, topic: sns.ITopic): void {
  const action = new cloudwatchActions.SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
}
