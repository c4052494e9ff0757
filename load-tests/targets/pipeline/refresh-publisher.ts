/** Puts one refresh message on the pipeline's source queue, through the cloud's official client. */
import type { UpsertMessage } from '../../../pipelines/embedding-refresh/refresh-message';
import type { ClassifiedError } from '../error-classification';

export interface RefreshPublisher {
  /** The client library doing the calls, with its version. */
  readonly client: string;
  /** The queue, as addressed. */
  readonly queue: string;
  /** Checks the queue exists and answers, before any timing starts. */
  warmUp(): Promise<void>;
  /** Resolves once the queue has accepted the message. */
  publish(message: UpsertMessage): Promise<void>;
  classify(error: unknown): ClassifiedError;
  close(): Promise<void>;
}
