/**
 * `ServingMonitoring`: where alerts go (a CMEK Pub/Sub alerts topic, the counterpart of the AWS
 * SNS alarm topic, plus one email channel per address) and the alert policies: p99 latency
 * against each endpoint's SLO, error rate against its budget, and any backlog on a dead-letter
 * subscription. Every policy notifies at least the alerts topic, so no alert goes nowhere.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { statefulOptions } from './stateful-options';

/** Vertex online-prediction metrics on the `aiplatform.googleapis.com/Endpoint` resource (Cloud Monitoring metrics list). */
export const VERTEX_ALERT_METRICS = {
  latency: 'aiplatform.googleapis.com/prediction/online/prediction_latencies',
  errors: 'aiplatform.googleapis.com/prediction/online/error_count',
  predictions: 'aiplatform.googleapis.com/prediction/online/prediction_count',
} as const;

export const DEAD_LETTER_BACKLOG_METRIC = 'pubsub.googleapis.com/subscription/num_undelivered_messages';

export interface MonitoredEndpoint {
  readonly name: string;
  readonly displayName: string;
  /** Numeric Vertex endpoint id. */
  readonly endpointId: string;
  readonly slo: { readonly p99Ms: number; readonly errorRate: number };
}

export interface MonitoredQueue {
  readonly name: string;
  readonly deadLetterSubscriptionName: string;
}

export interface ServingMonitoringArgs {
  readonly project: string;
  /** Name of the alerts topic. */
  readonly alertsTopicName: string;
  readonly endpoints: readonly MonitoredEndpoint[];
  readonly queues: readonly MonitoredQueue[];
  readonly alarmEmails: readonly string[];
  readonly kmsKeyName: pulumi.Input<string>;
  readonly keyGrants: readonly pulumi.Resource[];
  /** `serviceAccount:service-{number}@gcp-sa-monitoring-notification.iam.gserviceaccount.com` */
  readonly monitoringServiceAgent: pulumi.Input<string>;
  /** What makes the agent exist: the grant waits for it. */
  readonly monitoringServiceAgentExists: readonly pulumi.Resource[];
  readonly labels: Readonly<Record<string, string>>;
  readonly retainData: boolean;
}

export class ServingMonitoring extends pulumi.ComponentResource {
  readonly alertsTopic: gcp.pubsub.Topic;
  readonly channels: readonly gcp.monitoring.NotificationChannel[];
  readonly policies: Readonly<Record<string, gcp.monitoring.AlertPolicy>>;

  constructor(name: string, args: ServingMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:ServingMonitoring', name, {}, opts);
    this.alertsTopic = new gcp.pubsub.Topic(
      `${name}-alerts`,
      { project: args.project, name: args.alertsTopicName, kmsKeyName: args.kmsKeyName, labels: { ...args.labels, role: 'alerts' } },
      { parent: this, dependsOn: [...args.keyGrants], ...statefulOptions('topic', args.retainData) },
    );
    const publisher = new gcp.pubsub.TopicIAMMember(
      `${name}-alerts-publisher`,
      { project: args.project, topic: this.alertsTopic.name, role: 'roles/pubsub.publisher', member: args.monitoringServiceAgent },
      { parent: this, dependsOn: [...args.monitoringServiceAgentExists] },
    );
    const topicChannel = new gcp.monitoring.NotificationChannel(
      `${name}-alerts-channel`,
      { project: args.project, type: 'pubsub', displayName: `${args.alertsTopicName} (Pub/Sub)`, labels: { topic: this.alertsTopic.id }, userLabels: args.labels },
      { parent: this, dependsOn: [publisher] },
    );
    const emailChannels = args.alarmEmails.map(
      (email) =>
        new gcp.monitoring.NotificationChannel(
          `${name}-email-${email.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
          { project: args.project, type: 'email', displayName: email, labels: { email_address: email }, userLabels: args.labels },
          { parent: this },
        ),
    );
    this.channels = [topicChannel, ...emailChannels];
    const notificationChannels = this.channels.map((c) => c.id);

    const policies: Record<string, gcp.monitoring.AlertPolicy> = {};
    const policy = (id: string, displayName: string, condition: gcp.types.input.monitoring.AlertPolicyCondition, runbook: string) => {
      policies[id] = new gcp.monitoring.AlertPolicy(
        `${name}-${id}`,
        {
          project: args.project,
          displayName,
          combiner: 'OR',
          severity: 'ERROR',
          conditions: [condition],
          notificationChannels,
          documentation: { mimeType: 'text/markdown', content: runbook },
          userLabels: args.labels,
        },
        { parent: this },
      );
    };
    for (const e of args.endpoints) {
      const resource = `resource.type = "aiplatform.googleapis.com/Endpoint" AND resource.labels.endpoint_id = "${e.endpointId}"`;
      policy(
        `${e.name}-latency`,
        `${e.displayName}: p99 latency above ${e.slo.p99Ms} ms`,
        {
          displayName: `p99 prediction latency > ${e.slo.p99Ms} ms for 5 min`,
          conditionThreshold: {
            filter: `${resource} AND metric.type = "${VERTEX_ALERT_METRICS.latency}"`,
            aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_PERCENTILE_99', crossSeriesReducer: 'REDUCE_MAX' }],
            comparison: 'COMPARISON_GT',
            thresholdValue: e.slo.p99Ms,
            duration: '300s',
            trigger: { count: 1 },
          },
        },
        `The p99 latency of ${e.displayName} broke its SLO (${e.slo.p99Ms} ms). Check replica count against maxReplicaCount and the rollout in progress.`,
      );
      policy(
        `${e.name}-errors`,
        `${e.displayName}: error rate above ${e.slo.errorRate}`,
        {
          displayName: `errors / predictions > ${e.slo.errorRate} for 5 min`,
          conditionThreshold: {
            filter: `${resource} AND metric.type = "${VERTEX_ALERT_METRICS.errors}"`,
            aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' }],
            denominatorFilter: `${resource} AND metric.type = "${VERTEX_ALERT_METRICS.predictions}"`,
            denominatorAggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' }],
            comparison: 'COMPARISON_GT',
            thresholdValue: e.slo.errorRate,
            duration: '300s',
            trigger: { count: 1 },
          },
        },
        `The error rate of ${e.displayName} is above its budget (${e.slo.errorRate}). During a rollout, move traffic back to the previous model.`,
      );
    }
    for (const q of args.queues) {
      policy(
        `${q.name}-dead-letters`,
        `${q.name}: messages dead-lettered`,
        {
          displayName: `undelivered messages on ${q.deadLetterSubscriptionName} > 0`,
          conditionThreshold: {
            filter: `resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${q.deadLetterSubscriptionName}" AND metric.type = "${DEAD_LETTER_BACKLOG_METRIC}"`,
            aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_SUM' }],
            comparison: 'COMPARISON_GT',
            thresholdValue: 0,
            duration: '60s',
            trigger: { count: 1 },
          },
        },
        `Messages of ${q.name} failed every delivery attempt and wait on ${q.deadLetterSubscriptionName}. Inspect them, fix the consumer, then replay.`,
      );
    }
    this.policies = policies;
    this.registerOutputs({ alertsTopic: this.alertsTopic.id, channels: notificationChannels, policies: Object.values(policies).map((p) => p.name) });
  }
}
