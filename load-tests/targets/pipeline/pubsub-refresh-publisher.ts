/**
 * Publishes to the Pub/Sub source topic with `@google-cloud/pubsub` (`Topic.publishMessage`, message
 * ordering on, `orderingKey` = the document id), as EMBEDDING-REFRESH-FORMAT.md tells producers to.
 * Deployed: gRPC with Application Default Credentials. The local Pub/Sub speaks REST, so there the
 * client runs in its REST fallback mode, as load-tests/pipeline/pubsub-consumer.ts does. A failed
 * publish pauses its ordering key in the client; it is resumed so the next version can go.
 */
import { PubSub, type Topic } from '@google-cloud/pubsub';
import { OAuth2Client } from 'google-auth-library';
import { pubsubOrderingKey } from '../../../pipelines/embedding-refresh/message-routing';
import type { UpsertMessage } from '../../../pipelines/embedding-refresh/refresh-message';
import { classifyGoogleError, type ClassifiedError } from '../error-classification';
import { isLoopbackUrl } from '../loopback';
import type { PubsubSourceQueue } from './pipeline-target-spec';
import type { RefreshPublisher } from './refresh-publisher';

const PUBSUB_VERSION: string = require('@google-cloud/pubsub/package.json').version;
const TOPIC_PATH = /^projects\/([^/]+)\/topics\/[^/]+$/;

type PubSubOptions = NonNullable<ConstructorParameters<typeof PubSub>[0]>;

export class PubsubRefreshPublisher implements RefreshPublisher {
  readonly client: string;
  readonly queue: string;
  private readonly pubsub: PubSub;
  private readonly topic: Topic;

  constructor(spec: PubsubSourceQueue) {
    const project = TOPIC_PATH.exec(spec.topic)?.[1];
    if (!project) throw new Error(`topic ${JSON.stringify(spec.topic)}: expected projects/PROJECT/topics/TOPIC`);
    const local = spec.apiUrl !== undefined && isLoopbackUrl(spec.apiUrl);
    this.pubsub = new PubSub({ projectId: project, ...(spec.apiUrl ? endpointOptions(new URL(spec.apiUrl), local) : {}) });
    this.topic = this.pubsub.topic(spec.topic, { messageOrdering: true });
    this.client = `@google-cloud/pubsub ${PUBSUB_VERSION} (Topic.publishMessage, ordering keys${local ? ', REST fallback' : ''})`;
    this.queue = spec.topic;
  }

  async warmUp(): Promise<void> {
    await this.topic.getMetadata();
  }

  async publish(message: UpsertMessage): Promise<void> {
    const orderingKey = pubsubOrderingKey(message);
    try {
      await this.topic.publishMessage({ data: Buffer.from(JSON.stringify(message)), orderingKey });
    } catch (e) {
      this.topic.resumePublishing(orderingKey);
      throw e;
    }
  }

  classify(error: unknown): ClassifiedError {
    return classifyGoogleError(error);
  }

  async close(): Promise<void> {
    await this.pubsub.close();
  }
}

function endpointOptions(url: URL, local: boolean): PubSubOptions {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (!local) return { apiEndpoint: `${url.hostname}:${port}` };
  // Any bearer token will do for the local endpoints; they serve REST only.
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 24 * 3600_000 });
  return { apiEndpoint: `${url.hostname}:${port}`, authClient: authClient as unknown as PubSubOptions['authClient'], ...{ fallback: true, protocol: 'http' } };
}
