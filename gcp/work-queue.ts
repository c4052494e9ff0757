/**
 * `WorkQueue`: a CMEK Pub/Sub topic and subscription with a dead-letter topic, a retry policy
 * with backoff, a subscription on the dead-letter topic (a topic without one loses what it
 * receives), the grants the Pub/Sub service agent needs to dead-letter, and a
 * consumer identity.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ResolvedQueue } from '../constructs';
import { serviceAccountId } from './gcp-names';
import { statefulOptions } from './stateful-options';

/** Never expire for inactivity: Pub/Sub's default deletes a subscription idle for 31 days. */
export const NEVER_EXPIRE = { ttl: '' } as const;

export interface WorkQueueArgs {
  readonly queue: ResolvedQueue;
  readonly topologyName: string;
  readonly environment: string;
  readonly project: string;
  readonly kmsKeyName: pulumi.Input<string>;
  readonly keyGrants: readonly pulumi.Resource[];
  /** `serviceAccount:service-{number}@gcp-sa-pubsub.iam.gserviceaccount.com` */
  readonly pubsubServiceAgent: pulumi.Input<string>;
  /** What makes the agent exist: its grants wait for it. */
  readonly pubsubServiceAgentExists: readonly pulumi.Resource[];
  readonly labels: Readonly<Record<string, string>>;
  readonly retainData: boolean;
}

export class WorkQueue extends pulumi.ComponentResource {
  readonly topic: gcp.pubsub.Topic;
  readonly subscription: gcp.pubsub.Subscription;
  readonly deadLetterTopic: gcp.pubsub.Topic;
  readonly deadLetterSubscription: gcp.pubsub.Subscription;
  readonly consumerServiceAccount: gcp.serviceaccount.Account;

  constructor(name: string, args: WorkQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mlserve:gcp:WorkQueue', name, {}, opts);
    const q = args.queue;
    const labels = { ...args.labels, queue: q.name, purpose: q.purpose };
    const retain = (kind: Parameters<typeof statefulOptions>[0]) => statefulOptions(kind, args.retainData);

    this.topic = new gcp.pubsub.Topic(
      `${name}-topic`,
      { project: args.project, name: q.gcp.topicName, kmsKeyName: args.kmsKeyName, labels },
      { parent: this, dependsOn: [...args.keyGrants], ...retain('topic') },
    );
    this.deadLetterTopic = new gcp.pubsub.Topic(
      `${name}-dead-letter`,
      { project: args.project, name: q.gcp.deadLetterTopicName, kmsKeyName: args.kmsKeyName, labels: { ...labels, role: 'dead-letter' } },
      { parent: this, dependsOn: [...args.keyGrants], ...retain('dead-letter-topic') },
    );
    const retryPolicy = { minimumBackoff: `${q.gcp.minimumBackoffSeconds}s`, maximumBackoff: `${q.gcp.maximumBackoffSeconds}s` };
    this.subscription = new gcp.pubsub.Subscription(
      `${name}-sub`,
      {
        project: args.project,
        name: q.gcp.subscriptionName,
        topic: this.topic.id,
        ackDeadlineSeconds: q.ackTimeoutSeconds,
        messageRetentionDuration: `${q.retentionHours * 3600}s`,
        deadLetterPolicy: { deadLetterTopic: this.deadLetterTopic.id, maxDeliveryAttempts: q.maxDeliveryAttempts },
        retryPolicy,
        expirationPolicy: NEVER_EXPIRE,
        labels,
      },
      { parent: this, ...retain('subscription') },
    );
    // No dead-letter policy here: a dead letter of a dead letter would only move the message
    // again. Messages wait for inspection and replay; an alert fires on any backlog.
    this.deadLetterSubscription = new gcp.pubsub.Subscription(
      `${name}-dead-letter-sub`,
      {
        project: args.project,
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
      { project: args.project, topic: this.deadLetterTopic.name, role: 'roles/pubsub.publisher', member: args.pubsubServiceAgent },
      { parent: this, dependsOn: [...args.pubsubServiceAgentExists] },
    );
    new gcp.pubsub.SubscriptionIAMMember(
      `${name}-source-subscriber`,
      { project: args.project, subscription: this.subscription.name, role: 'roles/pubsub.subscriber', member: args.pubsubServiceAgent },
      { parent: this, dependsOn: [...args.pubsubServiceAgentExists] },
    );

    this.consumerServiceAccount = new gcp.serviceaccount.Account(
      `${name}-consumer`,
      {
        project: args.project,
        accountId: serviceAccountId([args.topologyName, args.environment, 'q', q.name]),
        displayName: `Consumers of the ${q.name} queue`,
      },
      { parent: this },
    );
    new gcp.pubsub.SubscriptionIAMMember(
      `${name}-consumer-subscriber`,
      {
        project: args.project,
        subscription: this.subscription.name,
        role: 'roles/pubsub.subscriber',
        member: pulumi.interpolate`serviceAccount:${this.consumerServiceAccount.email}`,
      },
      { parent: this },
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
