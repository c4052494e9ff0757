/**
 * Publishes to the SQS FIFO source queue with `@aws-sdk/client-sqs` SendMessage, as
 * EMBEDDING-REFRESH-FORMAT.md tells producers to: `MessageGroupId` = the document id (per-document
 * order), `MessageDeduplicationId` = hex SHA-256 of the document id and version. Retries are off:
 * retries, when asked for, are the generator's, counted.
 */
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { sqsFifoRouting } from '../../../pipelines/embedding-refresh/message-routing';
import type { UpsertMessage } from '../../../pipelines/embedding-refresh/refresh-message';
import { classifyAwsError, type ClassifiedError } from '../error-classification';
import { targetAwsClientConfig } from '../aws-client-config';
import type { RefreshPublisher } from './refresh-publisher';
import type { SqsSourceQueue } from './pipeline-target-spec';

const SQS_VERSION: string = require('@aws-sdk/client-sqs/package.json').version;

export class SqsRefreshPublisher implements RefreshPublisher {
  readonly client = `@aws-sdk/client-sqs ${SQS_VERSION}`;
  readonly queue: string;
  private readonly sqs: SQSClient;

  constructor(
    private readonly spec: SqsSourceQueue,
    maxSockets: number,
  ) {
    this.sqs = new SQSClient(targetAwsClientConfig(spec.region, spec.endpointUrl, maxSockets));
    this.queue = spec.queueUrl;
  }

  async warmUp(): Promise<void> {
    await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.spec.queueUrl, AttributeNames: ['FifoQueue'] }));
  }

  async publish(message: UpsertMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.spec.queueUrl,
        MessageBody: JSON.stringify(message),
        ...sqsFifoRouting(message),
      }),
    );
  }

  classify(error: unknown): ClassifiedError {
    return classifyAwsError(error);
  }

  async close(): Promise<void> {
    this.sqs.destroy();
  }
}
