/**
 * `ServingMonitoring`: the alarm topic every alarm of the serving stack notifies (OBS-02) and the
 * dashboard operators open first.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { ResolvedTopology } from '../constructs';
import { cloudWatchAlarmSourceConditions } from './private/alarm-action';
import { allowCloudWatchAlarmsToPublishWith, newComponentKey } from './private/component-key';

export interface ServingMonitoringProps {
  /** Who gets alarm e-mails. */
  readonly monitoring: ResolvedTopology['monitoring'];
  /**
   * Dashboard name; CloudWatch dashboard names are unique per account across regions.
   * @default - a generated name
   */
  readonly dashboardName?: string;
  /**
   * Key the alarm topic is encrypted with.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the topic key when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class ServingMonitoring extends Construct {
  /** The topic alarms notify; e-mail subscribers come from `monitoring.alarmEmails`. */
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: ServingMonitoringProps) {
    super(scope, id);
    this.encryptionKey =
      props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} alarm topic`, props.removalPolicy ?? RemovalPolicy.RETAIN);
    // Alarm actions publish as the CloudWatch service, which must be able to use the topic's key.
    allowCloudWatchAlarmsToPublishWith(this.encryptionKey);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { masterKey: this.encryptionKey, enforceSSL: true });
    // enforceSSL gives the topic an AWS::SNS::TopicPolicy, which replaces SNS's default policy: without
    // this statement CloudWatch may not publish and every alarm action fails (SNS Developer Guide,
    // "Amazon SNS access control", and CloudWatch User Guide, "Using Amazon CloudWatch alarms").
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: cloudWatchAlarmSourceConditions(this),
      }),
    );
    for (const email of props.monitoring.alarmEmails) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
  }

  /** A dashboard row showing the state of `alarms`. */
  addAlarmStatus(title: string, alarms: readonly cloudwatch.IAlarm[]): void {
    if (alarms.length === 0) return;
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title, alarms: [...alarms], width: 24 }));
  }
}
