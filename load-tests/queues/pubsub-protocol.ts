/**
 * Google Cloud Pub/Sub REST v1 as `@google-cloud/pubsub` 5.3 sends it in REST fallback mode
 * (`fallback: true`; its `PUBSUB_EMULATOR_HOST` mode speaks gRPC, which this server does not):
 *
 * - `POST /v1/projects/{p}/topics/{t}:publish` `{ messages: [{ data, attributes, orderingKey }] }` → `{ messageIds }`
 * - `GET /v1/projects/{p}/topics/{t}`, `GET /v1/projects/{p}/subscriptions/{s}`
 * - `POST /v1/projects/{p}/subscriptions/{s}:pull` `{ maxMessages, returnImmediately }` → `{ receivedMessages }`
 * - `:acknowledge` `{ ackIds }`, `:modifyAckDeadline` `{ ackIds, ackDeadlineSeconds }` (0 is a nack)
 * - `:modifyPushConfig` `{ pushConfig: { pushEndpoint } }` turns the subscription into a push subscription
 *
 * The client appends `?$alt=json;enum-encoding=int`, which is ignored. Any project is accepted;
 * topics and subscriptions are the topology's (their resolved Pub/Sub names). Errors are
 * `google.rpc.Status` JSON, written by the Vertex protocol's `writeStatus` so Google's protocols fail
 * alike. Limits: https://cloud.google.com/pubsub/quotas#resource_limits.
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorRequest } from '../emulator/emulator-service';
import { writeStatus } from '../emulator/vertex-protocol';
import { deliveryAttemptField, restMessage, retryBackoffMs } from './pubsub-message';
import type { PubsubSubscriptionEntry, QueueSet } from './queue-set';

export const PUBSUB_PATH = /^\/v1\/projects\/([^/]+)\/(topics|subscriptions)\/([^/:]+)(?::([A-Za-z]+))?$/;

export const PUBSUB_LIMITS = {
  /** Publish request size and messages per publish request. */
  maxRequestBytes: 10_000_000,
  maxMessagesPerPublish: 1000,
  maxAttributes: 100,
  maxAttributeKeyBytes: 256,
  maxAttributeValueBytes: 1024,
  maxAckDeadlineSeconds: 600,
  /** How long a pull without `returnImmediately` waits for a message before answering empty (this emulator's choice). */
  pullWaitMs: 10_000,
} as const;

export interface PubsubContext {
  readonly queues: QueueSet;
  /** Called when a subscription's push endpoint changes, to start or stop its push delivery. */
  readonly onPushConfig: (subscription: PubsubSubscriptionEntry) => void;
}

/** The google.rpc.Status codes `writeStatus` answers with. */
type RpcStatus = Parameters<typeof writeStatus>[1];

class PubsubError extends Error {
  constructor(
    readonly status: RpcStatus,
    message: string,
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;

export async function handlePubsub(context: PubsubContext, request: EmulatorRequest, res: ServerResponse): Promise<void> {
  const match = PUBSUB_PATH.exec(request.path);
  try {
    if (!match) throw new PubsubError('NOT_FOUND', `No Pub/Sub route for ${request.method} ${request.path}.`);
    const [, project, kind, name, verb] = match;
    const output = kind === 'topics' ? topicRoute(context, request, project, name, verb) : await subscriptionRoute(context, request, project, name, verb);
    const payload = JSON.stringify(output);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
  } catch (e) {
    if (!(e instanceof PubsubError)) throw e;
    writeStatus(res, e.status, e.message);
  }
}

function body(request: EmulatorRequest): Input {
  if (request.body === 'too-large') throw new PubsubError('INVALID_ARGUMENT', `Request payload size exceeds the limit: ${PUBSUB_LIMITS.maxRequestBytes} bytes.`);
  if (request.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(request.body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Input;
  } catch {
    // Answered below.
  }
  throw new PubsubError('INVALID_ARGUMENT', 'Invalid JSON payload received.');
}

function notAllowed(request: EmulatorRequest, verb: string | undefined): PubsubError {
  return new PubsubError('NOT_FOUND', `${request.method} ${verb ? `:${verb}` : '(resource)'} is not served by the local Pub/Sub; see GET /emulator.`);
}

function topicRoute(context: PubsubContext, request: EmulatorRequest, project: string, name: string, verb: string | undefined): unknown {
  const topic = context.queues.topics.get(name);
  const resource = `projects/${project}/topics/${name}`;
  if (!topic) throw new PubsubError('NOT_FOUND', `Resource not found (resource=${name}).`);
  if (request.method === 'GET' && verb === undefined) return { name: resource };
  if (request.method !== 'POST' || verb !== 'publish') throw notAllowed(request, verb);

  const messages = body(request).messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new PubsubError('INVALID_ARGUMENT', 'The value for message_count is too small. You passed 0 in the request, but the minimum value is 1.');
  }
  if (messages.length > PUBSUB_LIMITS.maxMessagesPerPublish) {
    throw new PubsubError('INVALID_ARGUMENT', `The value for message_count is too large. You passed ${messages.length} in the request, but the maximum value is ${PUBSUB_LIMITS.maxMessagesPerPublish}.`);
  }
  // Validate every message before publishing any: a rejected request publishes nothing.
  const valid = messages.map((m: unknown, i) => publishable(m, i));
  const now = context.queues.now();
  return { messageIds: valid.map((m) => context.queues.publish(name, m, now)) };
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function publishable(raw: unknown, index: number): { data: string; attributes: Record<string, string>; orderingKey: string } {
  const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Input;
  const data = m.data ?? '';
  if (typeof data !== 'string' || !BASE64.test(data)) throw new PubsubError('INVALID_ARGUMENT', `Invalid value at 'messages[${index}].data' (TYPE_BYTES), Base64 decoding failed.`);
  const attributes = (m.attributes ?? {}) as Record<string, unknown>;
  if (typeof attributes !== 'object' || Array.isArray(attributes)) throw new PubsubError('INVALID_ARGUMENT', `Invalid value at 'messages[${index}].attributes': must be a map of strings.`);
  const entries = Object.entries(attributes);
  if (data === '' && entries.length === 0) throw new PubsubError('INVALID_ARGUMENT', 'Some messages are empty. Please provide message data or attributes.');
  if (entries.length > PUBSUB_LIMITS.maxAttributes) {
    throw new PubsubError('INVALID_ARGUMENT', `The value for the number of attributes of messages[${index}] is too large. You passed ${entries.length}, but the maximum value is ${PUBSUB_LIMITS.maxAttributes}.`);
  }
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw new PubsubError('INVALID_ARGUMENT', `Invalid value at 'messages[${index}].attributes[${key}]' (TYPE_STRING).`);
    if (Buffer.byteLength(key) > PUBSUB_LIMITS.maxAttributeKeyBytes) throw new PubsubError('INVALID_ARGUMENT', `The attribute key of messages[${index}] is longer than ${PUBSUB_LIMITS.maxAttributeKeyBytes} bytes: ${key.slice(0, 40)}…`);
    if (Buffer.byteLength(value) > PUBSUB_LIMITS.maxAttributeValueBytes) throw new PubsubError('INVALID_ARGUMENT', `The value of attribute ${key} of messages[${index}] is longer than ${PUBSUB_LIMITS.maxAttributeValueBytes} bytes.`);
  }
  const orderingKey = m.orderingKey ?? '';
  if (typeof orderingKey !== 'string') throw new PubsubError('INVALID_ARGUMENT', `Invalid value at 'messages[${index}].ordering_key' (TYPE_STRING).`);
  return { data, attributes: attributes as Record<string, string>, orderingKey };
}

async function subscriptionRoute(context: PubsubContext, request: EmulatorRequest, project: string, name: string, verb: string | undefined): Promise<unknown> {
  const { queues } = context;
  const subscription = queues.subscriptions.get(name);
  if (!subscription) throw new PubsubError('NOT_FOUND', `Resource not found (resource=${name}).`);
  if (request.method === 'GET' && verb === undefined) return describe(subscription, project);
  if (request.method !== 'POST') throw notAllowed(request, verb);
  const input = body(request);
  switch (verb) {
    case 'pull':
      return { receivedMessages: await pull(context, subscription, input) };
    case 'acknowledge':
      for (const ack of ackIds(subscription, input)) subscription.queue.settle(ack.id, ack.delivery);
      return {};
    case 'modifyAckDeadline': {
      const seconds = input.ackDeadlineSeconds ?? 0;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > PUBSUB_LIMITS.maxAckDeadlineSeconds) {
        throw new PubsubError('INVALID_ARGUMENT', `Invalid ack deadline given: ${JSON.stringify(seconds)}; ack_deadline_seconds must be between 0 and ${PUBSUB_LIMITS.maxAckDeadlineSeconds}.`);
      }
      const now = queues.now();
      for (const ack of ackIds(subscription, input)) {
        // 0 is a nack: redelivered after the retry policy's backoff; an expired ack id changes nothing.
        if (seconds === 0) {
          const attempt = subscription.queue.peek(ack.id)?.receiveCount ?? 1;
          subscription.queue.hide(ack.id, ack.delivery, retryBackoffMs(subscription, attempt), false, now);
        } else {
          subscription.queue.hide(ack.id, ack.delivery, seconds * 1000, true, now);
        }
      }
      return {};
    }
    case 'modifyPushConfig': {
      const pushConfig = input.pushConfig as Input | undefined;
      const endpoint = pushConfig?.pushEndpoint;
      // Unwrapped payloads are a different wire format for the endpoint: refused rather than sent wrapped.
      if (pushConfig?.noWrapper !== undefined) {
        throw new PubsubError('INVALID_ARGUMENT', 'pushConfig.noWrapper (unwrapped push payloads) is not served by the local Pub/Sub; push delivers the wrapped envelope.');
      }
      if (endpoint !== undefined && (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint))) {
        throw new PubsubError('INVALID_ARGUMENT', `Invalid push endpoint given (endpoint=${String(endpoint)}). Refer to https://cloud.google.com/pubsub/docs/create-push-subscription#create_a_push_subscription.`);
      }
      queues.setPushConfig(subscription, endpoint ? { endpoint, project } : undefined);
      context.onPushConfig(subscription);
      return {};
    }
    default:
      throw notAllowed(request, verb);
  }
}

function describe(s: PubsubSubscriptionEntry, project: string): unknown {
  return {
    name: `projects/${project}/subscriptions/${s.name}`,
    topic: `projects/${project}/topics/${s.topic}`,
    pushConfig: s.push ? { pushEndpoint: s.push.endpoint } : {},
    ackDeadlineSeconds: s.ackDeadlineSeconds,
    messageRetentionDuration: `${s.retentionSeconds}s`,
    ...(s.deadLetter ? { deadLetterPolicy: { deadLetterTopic: `projects/${project}/topics/${s.deadLetter.topic}`, maxDeliveryAttempts: s.deadLetter.maxDeliveryAttempts } } : {}),
    retryPolicy: { minimumBackoff: `${s.retryPolicy.minimumBackoffSeconds}s`, maximumBackoff: `${s.retryPolicy.maximumBackoffSeconds}s` },
    state: 'ACTIVE',
  };
}

export function ackId(subscription: string, id: string, delivery: number): string {
  return Buffer.from(JSON.stringify([subscription, id, delivery])).toString('base64');
}

function ackIds(subscription: PubsubSubscriptionEntry, input: Input): Array<{ id: string; delivery: number }> {
  const ids = input.ackIds;
  if (!Array.isArray(ids) || ids.length === 0) throw new PubsubError('INVALID_ARGUMENT', 'No ack ids specified.');
  return ids.map((raw: unknown) => {
    try {
      const [sub, id, delivery] = JSON.parse(Buffer.from(String(raw), 'base64').toString('utf8')) as [unknown, unknown, unknown];
      if (sub === subscription.name && typeof id === 'string' && typeof delivery === 'number') return { id, delivery };
    } catch {
      // Answered below.
    }
    throw new PubsubError('INVALID_ARGUMENT', `You have passed an invalid ack ID to the service (ack_id=${String(raw)}).`);
  });
}

async function pull(context: PubsubContext, subscription: PubsubSubscriptionEntry, input: Input): Promise<unknown[]> {
  const max = input.maxMessages;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    throw new PubsubError('INVALID_ARGUMENT', `The value for max_messages is too small. You passed ${JSON.stringify(max ?? 0)} in the request, but the minimum value is 1.`);
  }
  const { queues } = context;
  const holdMs = subscription.ackDeadlineSeconds * 1000;
  const deadline = queues.now() + (input.returnImmediately === true ? 0 : PUBSUB_LIMITS.pullWaitMs);
  let deliveries = subscription.queue.receive(max, holdMs, queues.now());
  while (deliveries.length === 0 && (await queues.waitForChange(subscription.queue, deadline)) === 'change') {
    deliveries = subscription.queue.receive(max, holdMs, queues.now());
  }
  return deliveries.map((d) => ({
    ackId: ackId(subscription.name, d.message.id, d.delivery),
    message: restMessage(d.message),
    ...deliveryAttemptField(subscription, d.message),
  }));
}
