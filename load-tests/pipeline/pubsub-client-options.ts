/**
 * Options of an `@google-cloud/pubsub` v1 client: Pub/Sub itself with Application Default Credentials,
 * or, given an endpoint, REST fallback to it (the local queues serve REST; the client's emulator-host
 * mode speaks gRPC). Both libraries sit on google-gax, so the options are the aiplatform clients'.
 */
import type { v1 } from '@google-cloud/pubsub';
import { aiplatformClientOptions } from '../vertex-api/aiplatform-client-options';

export type PubsubClientOptions = NonNullable<ConstructorParameters<typeof v1.SubscriberClient>[0]>;

export function pubsubClientOptions(endpoint?: string): PubsubClientOptions {
  return endpoint === undefined ? {} : (aiplatformClientOptions(endpoint) as PubsubClientOptions);
}
