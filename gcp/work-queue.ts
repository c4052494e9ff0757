/**
 * `WorkQueue`: a CMEK Pub/Sub topic and subscription with a dead-letter topic, a retry policy
 * with backoff, a subscription on the dead-letter topic (a topic without one loses what it
 * receives), the grants the Pub/Sub service agent needs to dead-letter, a consumer identity, and
 * an alert as soon as a message is dead-lettered.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedQueue } from '../constructs';
import { newAlertPolicy, thresholdCondition } from './private/alert-policy';
import { serviceAccountWithRoles } from './private/service-account';
import { statefulOptions } from './private/stateful-options';
import type { ComponentKey, ServiceAgentGrantee, ServingContext } from './serving-context';
import type { AlertDestination } from './serving-monitoring';

/** Never expire for inactivity: Pub/Sub's default deletes a subscription idle for 31 days. */
export const NEVER_EXPIRE = { ttl: '' } as const;

export const DEAD_LETTER_BACKLOG_METRIC = 'pubsub.googleapis.com/subscription/num_undelivered_messages';

export interface WorkQueueArgs {
  readonly queue: ResolvedQueue;
  /** Topics and subscriptions are kept on delete and refuse replacement when the context retains data. */
  readonly context: ServingContext;
  readonly key: ComponentKey;
  /** The Pub/Sub service agent, which dead-letters: `serviceAccount:service-{number}@gcp-sa-pubsub.iam.gserviceaccount.com`. */
  readonly pubsubAgent: ServiceAgentGrantee;
  /** Where the dead-letter alert notifies. */
  readonly alerts: AlertDestination;
  /**
   * Deliver by push to this HTTPS endpoint, with an OIDC token of this service account (audience: the
   * endpoint). @default - a pull subscription
   */
  readonly push?: { readonly endpoint: pulumi.Input<string>; readonly serviceAccountEmail: pulumi.Input<string> };
}

export class WorkQueue extends pulumi.ComponentResource {
  readonly topic: gcp.pubsub.Topic;
  readonly subscription: gcp.pubsub.Subscription;
  readonly deadLetterTopic: gcp.pubsub.Topic;
  readonly deadLetterSubscription: gcp.pubsub.Subscription;
  readonly consumerServiceAccount: gcp.serviceaccount.Account;
  /** Fires on any message waiting on the dead-letter subscription. */
  readonly deadLetterAlert: gcp.monitoring.AlertPolicy;

  constructor(name: string, args: WorkQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:WorkQueue', name, {}, opts);
    const q = args.queue;
    const { project } = args.context;
    const key = args.key;
    const labels = { ...args.context.labels, queue: q.name, purpose: q.purpose };
    const retain = (kind: Parameters<typeof statefulOptions>[0]) => statefulOptions(kind, args.context.retainData);

    this.topic = new gcp.pubsub.Topic(
      `${name}-topic`,
      { project, name: q.gcp.topicName, kmsKeyName: key.kmsKeyName, labels },
      { parent: this, dependsOn: [...key.grants], ...retain('topic') },
    );
    this.deadLetterTopic = new gcp.pubsub.Topic(
      `${name}-dead-letter`,
      { project, name: q.gcp.deadLetterTopicName, kmsKeyName: key.kmsKeyName, labels: { ...labels, role: 'dead-letter' } },
      { parent: this, dependsOn: [...key.grants], ...retain('dead-letter-topic') },
    );
    const retryPolicy = { minimumBackoff: `${q.gcp.minimumBackoffSeconds}s`, maximumBackoff: `${q.gcp.maximumBackoffSeconds}s` };
    this.subscription = new gcp.pubsub.Subscription(
      `${name}-sub`,
      {
        project,
        name: q.gcp.subscriptionName,
        topic: this.topic.id,
        ackDeadlineSeconds: q.ackTimeoutSeconds,
        messageRetentionDuration: `${q.retentionHours * 3600}s`,
        deadLetterPolicy: { deadLetterTopic: this.deadLetterTopic.id, maxDeliveryAttempts: q.maxDeliveryAttempts },
        retryPolicy,
        expirationPolicy: NEVER_EXPIRE,
        labels,
        // An ordered queue delivers each ordering key's messages one at a time, in order.
        ...(q.ordered && { enableMessageOrdering: true }),
        ...(args.push && {
          pushConfig: { pushEndpoint: args.push.endpoint, oidcToken: { serviceAccountEmail: args.push.serviceAccountEmail, audience: args.push.endpoint } },
        }),
      },
      { parent: this, ...retain('subscription') },
    );
    // No dead-letter policy here: a dead letter of a dead letter would only move the message
    // again. Messages wait for inspection and replay; an alert fires on any backlog.
    this.deadLetterSubscription = new gcp.pubsub.Subscription(
      `${name}-dead-letter-sub`,
      {
        project,
        name: q.gcp.deadLetterSubscriptionName,
        topic: this.deadLetterTopic.id,
        ackDeadlineSeconds: 600,
        messageRetentionDuration: `${q.deadLetterRetentionHours * 3600}s`,
        retryPolicy,
        expirationPolicy: NEVER_EXPIRE,
        labels: { ...labels, role: 'dead-letter' },
      },
      { parent: this, ...retain('dead-letter-subscription') },
    );

    // Dead-lettering runs as the Pub/Sub service agent: it publishes to the dead-letter topic and
    // acknowledges on the source subscription (cloud.google.com/pubsub/docs/dead-letter-topics).
    new gcp.pubsub.TopicIAMMember(
      `${name}-dead-letter-publisher`,
      { project, topic: this.deadLetterTopic.name, role: 'roles/pubsub.publisher', member: args.pubsubAgent.member },
      { parent: this, dependsOn: [...args.pubsubAgent.after] },
    );
    new gcp.pubsub.SubscriptionIAMMember(
      `${name}-source-subscriber`,
      { project, subscription: this.subscription.name, role: 'roles/pubsub.subscriber', member: args.pubsubAgent.member },
      { parent: this, dependsOn: [...args.pubsubAgent.after] },
    );

    this.consumerServiceAccount = serviceAccountWithRoles(this, `${name}-consumer`, {
      project,
      accountId: q.gcp.consumerServiceAccountId,
      displayName: `Consumers of the ${q.name} queue`,
      projectRoles: {},
    });
    new gcp.pubsub.SubscriptionIAMMember(
      `${name}-consumer-subscriber`,
      {
        project,
        subscription: this.subscription.name,
        role: 'roles/pubsub.subscriber',
        member: pulumi.interpolate`serviceAccount:${this.consumerServiceAccount.email}`,
      },
      { parent: this },
    );

    const deadLetters = q.gcp.deadLetterSubscriptionName;
    this.deadLetterAlert = newAlertPolicy(
      this,
      name,
      {
        suffix: 'dead-letters',
        formerId: `${q.name}-dead-letters`,
        displayName: `${q.name}: messages dead-lettered`,
        condition: thresholdCondition({
          displayName: `undelivered messages on ${deadLetters} > 0`,
          filter: `resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "${deadLetters}" AND metric.type = "${DEAD_LETTER_BACKLOG_METRIC}"`,
          aggregation: { perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_SUM' },
          thresholdValue: 0,
          evaluation: q.deadLetterAlarmEvaluation,
        }),
        runbook: `Messages of ${q.name} failed every delivery attempt and wait on ${deadLetters}. Inspect them, fix the consumer, then replay.`,
      },
      args.alerts,
      args.context,
    );
    this.registerOutputs({
      topic: this.topic.id,
      subscription: this.subscription.id,
      deadLetterTopic: this.deadLetterTopic.id,
      deadLetterSubscription: this.deadLetterSubscription.id,
      consumerServiceAccount: this.consumerServiceAccount.email,
    });
  }
}
