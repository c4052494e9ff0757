/**
 * `WorkQueue`: an SQS queue with a dead-letter queue, both encrypted with a customer-managed key
 * and TLS-only, and an alarm that fires as soon as a message is dead-lettered.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ResolvedQueue } from '../constructs';
import { notifyTopic } from './private/alarm-action';
import { newComponentKey } from './private/component-key';

/** The parts of a resolved queue SQS needs. */
export type WorkQueueSpec = Pick<ResolvedQueue, 'name' | 'maxDeliveryAttempts' | 'retentionHours' | 'ackTimeoutSeconds' | 'deadLetterRetentionHours' | 'deadLetterAlarmEvaluation' | 'aws'> &
  Partial<Pick<ResolvedQueue, 'ordered'>>;

/**
 * An ordered queue is FIFO, and so is its dead-letter queue (SQS requires it). High-throughput mode
 * (deduplication and throughput per message group) because every document is its own group; producers
 * set MessageDeduplicationId themselves (pipelines/EMBEDDING-REFRESH-FORMAT.md).
 */
const FIFO_SETTINGS = {
  fifo: true,
  contentBasedDeduplication: false,
  deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
  fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
} as const;

export interface WorkQueueProps {
  /** Names, retention, acknowledgement timeout and delivery attempts. */
  readonly queue: WorkQueueSpec;
  /** Topic the dead-letter alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Key both queues are encrypted with.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the queues and the key when they leave the stack. Retained by default: the
   * dead-letter queue holds the only copy of messages that failed.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class WorkQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** Fires when any message reaches the dead-letter queue. */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    const spec = props.queue;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey ?? newComponentKey(this, 'Key', `${this.node.path} queue and dead-letter queue`, removalPolicy);

    const ordering = spec.ordered ? FIFO_SETTINGS : {};
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...(spec.ordered ? { fifo: true } : {}),
      queueName: spec.aws.deadLetterQueueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.hours(spec.deadLetterRetentionHours),
      removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Resource', {
      ...ordering,
      queueName: spec.aws.queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.hours(spec.retentionHours),
      visibilityTimeout: Duration.seconds(spec.ackTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: spec.maxDeliveryAttempts },
      removalPolicy,
    });

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription: `${spec.name}: messages failed ${spec.maxDeliveryAttempts} deliveries and were dead-lettered to ${spec.aws.deadLetterQueueName}`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.seconds(spec.deadLetterAlarmEvaluation.periodSeconds), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: spec.deadLetterAlarmEvaluation.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    notifyTopic(this.deadLetterAlarm, props.alarmTopic);
  }

  /**
   * Lets `grantee` send messages: `sqs:SendMessage`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl`
   * on the queue, and `kms:GenerateDataKey`, `kms:Decrypt` on its key (SQS SSE-KMS producers need both).
   */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resourceArns: [this.queue.queueArn],
    });
    this.encryptionKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    return grant;
  }

  /**
   * Lets `grantee` consume messages: `sqs:ReceiveMessage`, `sqs:DeleteMessage`,
   * `sqs:ChangeMessageVisibility`, `sqs:GetQueueAttributes`, `sqs:GetQueueUrl` on the queue, and
   * `kms:Decrypt` on its key.
   */
  grantConsume(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resourceArns: [this.queue.queueArn],
    });
    this.encryptionKey.grant(grantee, 'kms:Decrypt');
    return grant;
  }
}
