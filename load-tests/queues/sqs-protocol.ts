/**
 * Amazon SQS on the wire, AWS JSON 1.0 protocol as `@aws-sdk/client-sqs` speaks it: `POST /` with
 * `X-Amz-Target: AmazonSQS.<Action>` and `Content-Type: application/x-amz-json-1.0`. The SDK sends
 * to its `endpoint` (with no endpoint, to the `QueueUrl`'s origin: middleware-sdk-sqs
 * `queueUrlMiddleware`), always at path `/`, and names the queue by `QueueUrl` in the body.
 *
 * Errors are `{ __type: "com.amazonaws.sqs#<Shape>", message }` with the Query-era code in the
 * `x-amzn-query-error: <Code>;Sender` header, which the SDK turns into the error's `name`
 * (codes and HTTP statuses from the SQS Smithy model's `awsQueryError` traits, as shipped in
 * `@aws-sdk/client-sqs`). Limits are the API reference's
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html,
 * API_ReceiveMessage.html, API_ChangeMessageVisibility.html).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorRequest } from '../emulator/emulator-service';
import { MessageQueue, type Delivery } from './message-queue';
import type { QueueSet, SqsAttributeValue, SqsPayload, SqsQueueEntry } from './queue-set';
import { md5OfBody, md5OfMessageAttributes } from './sqs-digests';

export const SQS_TARGET_PREFIX = 'AmazonSQS.';

/** The account in local queue URLs and ARNs. */
export const LOCAL_ACCOUNT = '000000000000';

export const SQS_LIMITS = {
  /** Message size, and the sum over a batch: 1 MiB since August 2025 (was 256 KiB). */
  maxMessageBytes: 1_048_576,
  maxBatchBytes: 1_048_576,
  maxBatchEntries: 10,
  maxReceiveMessages: 10,
  maxWaitTimeSeconds: 20,
  /** 12 hours. */
  maxVisibilityTimeoutSeconds: 43_200,
  maxDelaySeconds: 900,
  maxMessageAttributes: 10,
} as const;

export interface SqsContext {
  readonly queues: QueueSet;
  readonly region: string;
}

export function sqsQueueUrl(baseUrl: string, queueName: string): string {
  return `${baseUrl}/${LOCAL_ACCOUNT}/${queueName}`;
}

/** An error SQS answers with: the shape, its Query code, the HTTP status. */
class SqsError extends Error {
  constructor(
    readonly shape: string,
    readonly queryCode: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const invalidParameter = (name: string, value: unknown, reason: string) =>
  new SqsError('InvalidParameterValue', 'InvalidParameterValue', 400, `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);
const missingParameter = (name: string) => new SqsError('MissingParameter', 'MissingParameter', 400, `The request must contain the parameter ${name}.`);
const queueDoesNotExist = () => new SqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 400, 'The specified queue does not exist.');
const receiptHandleIsInvalid = (handle: string) =>
  new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', 404, `The input receipt handle "${handle}" is not a valid receipt handle.`);

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

export async function handleSqs(context: SqsContext, request: EmulatorRequest, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const action = target.slice(SQS_TARGET_PREFIX.length);
    if (request.body === 'too-large') throw new SqsError('BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong', 400, `The request is larger than ${SQS_LIMITS.maxBatchBytes} bytes.`);
    let input: Input;
    try {
      const parsed: unknown = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      input = parsed as Input;
    } catch {
      throw new SqsError('InvalidParameterValue', 'InvalidParameterValue', 400, 'The request body is not a JSON object.');
    }
    const host = String(request.headers.host ?? '127.0.0.1');
    const output = await dispatch(context, action, input, `http://${host}`);
    write(res, 200, output, requestId);
  } catch (e) {
    if (!(e instanceof SqsError)) throw e;
    write(res, e.status, { __type: `com.amazonaws.sqs#${e.shape}`, message: e.message }, requestId, `${e.queryCode};Sender`);
  }
}

export function writeSqsInternalError(res: ServerResponse): void {
  write(res, 500, { __type: 'com.amazonaws.sqs#InternalError', message: 'We encountered an internal error. Please try again.' }, randomUUID(), 'InternalError;Receiver');
}

function write(res: ServerResponse, status: number, body: Output, requestId: string, queryError?: string): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': requestId,
    ...(queryError ? { 'x-amzn-query-error': queryError } : {}),
  });
  res.end(payload);
}

async function dispatch(context: SqsContext, action: string, input: Input, baseUrl: string): Promise<Output> {
  const { queues } = context;
  switch (action) {
    case 'GetQueueUrl': {
      const name = requiredString(input, 'QueueName');
      if (!queues.sqs.has(name)) throw queueDoesNotExist();
      return { QueueUrl: sqsQueueUrl(baseUrl, name) };
    }
    case 'ListQueues': {
      const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
      return { QueueUrls: [...queues.sqs.keys()].filter((n) => n.startsWith(prefix)).map((n) => sqsQueueUrl(baseUrl, n)) };
    }
    case 'SendMessage': {
      const entry = queueOf(context, input);
      return sendResult(send(context, entry, input, ''));
    }
    case 'SendMessageBatch': {
      const entry = queueOf(context, input);
      const entries = batchEntries(input);
      const total = entries.reduce((sum, e) => sum + messageSize(e), 0);
      if (total > SQS_LIMITS.maxBatchBytes) {
        throw new SqsError('BatchRequestTooLong', 'AWS.SimpleQueueService.BatchRequestTooLong', 400, `Batch requests cannot be longer than ${SQS_LIMITS.maxBatchBytes} bytes. You have sent ${total} bytes.`);
      }
      return perEntry(entries, (e) => {
        return sendResult(send(context, entry, e, `SendMessageBatchRequestEntry.${String(e.Id)}.`));
      });
    }
    case 'ReceiveMessage':
      return receive(context, queueOf(context, input), input);
    case 'DeleteMessage': {
      const entry = queueOf(context, input);
      deleteOne(entry, requiredString(input, 'ReceiptHandle'));
      return {};
    }
    case 'DeleteMessageBatch': {
      const entry = queueOf(context, input);
      return perEntry(batchEntries(input), (e) => {
        deleteOne(entry, requiredString(e, 'ReceiptHandle'));
        return {};
      });
    }
    case 'ChangeMessageVisibility': {
      const entry = queueOf(context, input);
      changeVisibility(context, entry, requiredString(input, 'ReceiptHandle'), input.VisibilityTimeout, 'VisibilityTimeout');
      return {};
    }
    case 'ChangeMessageVisibilityBatch': {
      const entry = queueOf(context, input);
      return perEntry(batchEntries(input), (e) => {
        changeVisibility(context, entry, requiredString(e, 'ReceiptHandle'), e.VisibilityTimeout, 'VisibilityTimeout');
        return {};
      });
    }
    case 'GetQueueAttributes':
      return { Attributes: queueAttributes(context, queueOf(context, input), input.AttributeNames) };
    default:
      throw new SqsError(
        'UnsupportedOperation',
        'AWS.SimpleQueueService.UnsupportedOperation',
        400,
        `${action || '(no X-Amz-Target action)'} is not served by the local queues: the topology creates the queues; GetQueueUrl, ListQueues, SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility(Batch) and GetQueueAttributes are served.`,
      );
  }
}

function sendResult(sent: ReturnType<typeof send>): Output {
  return {
    MessageId: sent.id,
    MD5OfMessageBody: sent.payload.md5OfBody,
    ...(sent.payload.md5OfMessageAttributes ? { MD5OfMessageAttributes: sent.payload.md5OfMessageAttributes } : {}),
    ...(sent.sequenceNumber ? { SequenceNumber: sent.sequenceNumber } : {}),
  };
}

function queueOf(context: SqsContext, input: Input): SqsQueueEntry {
  const url = requiredString(input, 'QueueUrl');
  let name: string | undefined;
  try {
    const parts = new URL(url).pathname.split('/').filter(Boolean);
    if (parts.length === 2) name = parts[1];
  } catch {
    // Not a URL: answered below.
  }
  if (name === undefined) throw new SqsError('InvalidAddress', 'InvalidAddress', 404, `The address ${url} is not valid for this endpoint.`);
  const entry = context.queues.sqs.get(name);
  if (!entry) throw queueDoesNotExist();
  return entry;
}

function requiredString(input: Input, name: string): string {
  const value = input[name];
  if (value === undefined || value === null) throw missingParameter(name);
  if (typeof value !== 'string') throw invalidParameter(name, JSON.stringify(value), 'must be a string.');
  return value;
}

/** An optional integer in [min, max]; SQS names the parameter, the value and the range. */
function optionalInteger(input: Input, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(name, value, `Must be between ${min} and ${max}, if provided.`);
  }
  return value;
}

/** XML 1.0 characters, the only ones a message may hold. */
const INVALID_BODY_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)(?![Aa][Ww][Ss]\.)(?![Aa][Mm][Aa][Zz][Oo][Nn]\.)[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]{1,250})?$/;

function messageAttributes(input: Input, prefix: string): Record<string, SqsAttributeValue> | undefined {
  const raw = input.MessageAttributes;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParameter(`${prefix}MessageAttributes`, JSON.stringify(raw), 'must be a map.');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  if (entries.length > SQS_LIMITS.maxMessageAttributes) {
    throw invalidParameter(`${prefix}MessageAttributes`, entries.length, `Number of message attributes [${entries.length}] exceeds the allowed maximum [${SQS_LIMITS.maxMessageAttributes}].`);
  }
  const out: Record<string, SqsAttributeValue> = {};
  for (const [name, value] of entries) {
    const path = `${prefix}MessageAttribute.${name}`;
    if (!ATTRIBUTE_NAME.test(name)) throw invalidParameter(`${prefix}MessageAttributes`, name, 'Message attribute name is invalid (A-Z, a-z, 0-9, _ - ., no leading, trailing or double period, no AWS. or Amazon. prefix, up to 256 characters).');
    const v = value as Partial<SqsAttributeValue> | null;
    if (!v || typeof v.DataType !== 'string') throw missingParameter(`${path}.DataType`);
    if (!DATA_TYPE.test(v.DataType)) throw invalidParameter(`${path}.DataType`, v.DataType, 'must be String, Number or Binary, optionally followed by a custom type (String.x).');
    const binary = v.DataType.startsWith('Binary');
    if (binary ? typeof v.BinaryValue !== 'string' : typeof v.StringValue !== 'string') {
      throw invalidParameter(path, name, `Message attribute '${name}' must contain a non-empty message attribute value for message attribute type '${v.DataType}'.`);
    }
    if (!binary && v.DataType.startsWith('Number') && !Number.isFinite(Number(v.StringValue))) {
      throw invalidParameter(path, v.StringValue, `Can't parse value '${v.StringValue}' of message attribute '${name}' as a number.`);
    }
    out[name] = binary ? { DataType: v.DataType, BinaryValue: v.BinaryValue } : { DataType: v.DataType, StringValue: v.StringValue };
  }
  return out;
}

/** SQS counts the body plus every attribute's name, type and value toward the message size. */
function messageSize(input: Input): number {
  const body = typeof input.MessageBody === 'string' ? Buffer.byteLength(input.MessageBody) : 0;
  const attributes = input.MessageAttributes && typeof input.MessageAttributes === 'object' ? Object.entries(input.MessageAttributes as Record<string, Partial<SqsAttributeValue>>) : [];
  return attributes.reduce(
    (sum, [name, v]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(String(v?.DataType ?? '')) + (v?.BinaryValue ? Buffer.from(v.BinaryValue, 'base64').length : Buffer.byteLength(String(v?.StringValue ?? ''))),
    body,
  );
}

function send(context: SqsContext, entry: SqsQueueEntry, input: Input, prefix: string): { id: string; payload: SqsPayload; sequenceNumber?: string } {
  const body = input.MessageBody;
  if (body === undefined || body === null) throw missingParameter(`${prefix}MessageBody`);
  if (typeof body !== 'string' || body.length === 0) throw invalidParameter(`${prefix}MessageBody`, JSON.stringify(body), 'Message must be at least one character.');
  if (INVALID_BODY_CHARACTER.test(body)) {
    throw new SqsError('InvalidMessageContents', 'InvalidMessageContents', 400, 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
  }
  const size = messageSize(input);
  if (size > SQS_LIMITS.maxMessageBytes) throw invalidParameter(`${prefix}MessageBody`, '(message)', `Message must be shorter than ${SQS_LIMITS.maxMessageBytes} bytes.`);
  const fifo = isFifo(entry);
  // Deduplication and per-message delays are for FIFO and standard queues respectively; a group id is
  // required on FIFO queues and accepted (fair queues) on standard ones.
  if (!fifo && input.MessageDeduplicationId !== undefined) {
    throw invalidParameter(`${prefix}MessageDeduplicationId`, input.MessageDeduplicationId, 'The request include parameter that is not valid for this queue type');
  }
  if (fifo && input.DelaySeconds !== undefined && input.DelaySeconds !== 0) {
    throw invalidParameter(`${prefix}DelaySeconds`, input.DelaySeconds, 'The request include parameter that is not valid for this queue type');
  }
  const group = input.MessageGroupId === undefined ? undefined : stringParameter(input, 'MessageGroupId', prefix);
  if (fifo && group === undefined) throw missingParameter(`${prefix}MessageGroupId`);
  const explicitDeduplicationId = input.MessageDeduplicationId === undefined ? undefined : stringParameter(input, 'MessageDeduplicationId', prefix);
  // The topology states no ContentBasedDeduplication; local FIFO queues have it on, so a send without an id deduplicates by body.
  const deduplicationId = fifo ? (explicitDeduplicationId ?? createHash('sha256').update(body, 'utf8').digest('hex')) : undefined;
  const delaySeconds = optionalInteger(input, 'DelaySeconds', 0, SQS_LIMITS.maxDelaySeconds) ?? 0;
  const attributes = messageAttributes(input, prefix);
  const payload: SqsPayload = {
    body,
    md5OfBody: md5OfBody(body),
    ...(attributes ? { messageAttributes: attributes, md5OfMessageAttributes: md5OfMessageAttributes(attributes) } : {}),
    senderId: 'AIDALOCALEMULATOR',
    ...(group === undefined ? {} : { messageGroupId: group }),
    ...(fifo ? { messageDeduplicationId: deduplicationId } : {}),
  };
  const sent = entry.queue.enqueue(randomUUID(), payload, context.queues.now(), { delayMs: delaySeconds * 1000, group: fifo ? group : undefined, deduplicationId });
  return { id: sent.id, payload, ...(fifo ? { sequenceNumber: MessageQueue.sequenceNumber(sent.seq) } : {}) };
}

/** FIFO queues are the ones whose name ends in .fifo, as SQS requires. */
function isFifo(entry: SqsQueueEntry): boolean {
  return entry.queue.name.endsWith('.fifo');
}

/** A group or deduplication id: 1–128 printable ASCII characters. */
function stringParameter(input: Input, name: string, prefix: string): string {
  const value = input[name];
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(value)) {
    throw invalidParameter(`${prefix}${name}`, JSON.stringify(value), `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
  return value;
}

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

function batchEntries(input: Input): Input[] {
  const raw = input.Entries;
  if (raw === undefined || raw === null) throw missingParameter('Entries');
  if (!Array.isArray(raw) || raw.length === 0) throw new SqsError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', 400, 'There should be at least one SendMessageBatchRequestEntry in the request.');
  if (raw.length > SQS_LIMITS.maxBatchEntries) {
    throw new SqsError('TooManyEntriesInBatchRequest', 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 400, `Maximum number of entries per request are ${SQS_LIMITS.maxBatchEntries}. You have sent ${raw.length}.`);
  }
  const seen = new Set<string>();
  for (const e of raw as Input[]) {
    const id = e?.Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) {
      throw new SqsError('InvalidBatchEntryId', 'AWS.SimpleQueueService.InvalidBatchEntryId', 400, `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long; got ${JSON.stringify(id)}.`);
    }
    if (seen.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 400, `Id ${id} repeated.`);
    seen.add(id);
  }
  return raw as Input[];
}

/** A batch answers 200 with each entry's outcome: its own errors go to `Failed`, never fail the batch. */
function perEntry(entries: Input[], run: (e: Input) => Output): Output {
  const Successful: Output[] = [];
  const Failed: Output[] = [];
  for (const e of entries) {
    try {
      Successful.push({ Id: e.Id, ...run(e) });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      Failed.push({ Id: e.Id, SenderFault: true, Code: error.queryCode, Message: error.message });
    }
  }
  return { Successful, Failed };
}

/** Opaque to clients, as SQS's are: the queue, the message and which delivery of it. */
function receiptHandle(queue: string, delivery: Delivery<SqsPayload>): string {
  return Buffer.from(JSON.stringify([queue, delivery.message.id, delivery.delivery])).toString('base64');
}

function parseReceiptHandle(entry: SqsQueueEntry, handle: string): { id: string; delivery: number } {
  try {
    const [queue, id, delivery] = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as [unknown, unknown, unknown];
    if (queue === entry.queue.name && typeof id === 'string' && typeof delivery === 'number') return { id, delivery };
  } catch {
    // Answered below.
  }
  throw receiptHandleIsInvalid(handle);
}

/**
 * A receipt handle of an earlier delivery deletes nothing and still succeeds, as SQS documents for
 * standard queues ("the request succeeds, but the message might not be deleted"); so does one of a
 * message already deleted.
 */
function deleteOne(entry: SqsQueueEntry, handle: string): void {
  const { id, delivery } = parseReceiptHandle(entry, handle);
  entry.queue.settle(id, delivery);
}

function changeVisibility(context: SqsContext, entry: SqsQueueEntry, handle: string, timeout: unknown, name: string): void {
  const { id, delivery } = parseReceiptHandle(entry, handle);
  if (timeout === undefined || timeout === null) throw missingParameter(name);
  const seconds = optionalInteger({ [name]: timeout }, name, 0, SQS_LIMITS.maxVisibilityTimeoutSeconds) as number;
  const outcome = entry.queue.hide(id, delivery, seconds * 1000, true, context.queues.now());
  if (outcome !== 'done') {
    throw invalidParameter('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');
  }
}

const SYSTEM_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SentTimestamp',
  'SenderId',
  'MessageGroupId',
  'MessageDeduplicationId',
  'SequenceNumber',
] as const;

function stringList(input: Input, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalidParameter(name, JSON.stringify(value), 'must be a list of strings.');
  return value as string[];
}

async function receive(context: SqsContext, entry: SqsQueueEntry, input: Input): Promise<Output> {
  const max = optionalInteger(input, 'MaxNumberOfMessages', 1, SQS_LIMITS.maxReceiveMessages) ?? 1;
  const visibility = optionalInteger(input, 'VisibilityTimeout', 0, SQS_LIMITS.maxVisibilityTimeoutSeconds) ?? entry.visibilityTimeoutSeconds;
  const waitSeconds = optionalInteger(input, 'WaitTimeSeconds', 0, SQS_LIMITS.maxWaitTimeSeconds) ?? 0;
  // MessageSystemAttributeNames replaced AttributeNames; the SDK sends either.
  const systemNames = [...stringList(input, 'AttributeNames'), ...stringList(input, 'MessageSystemAttributeNames')];
  const attributeNames = stringList(input, 'MessageAttributeNames');
  const { queues } = context;
  const deadline = queues.now() + waitSeconds * 1000;
  let deliveries = entry.queue.receive(max, visibility * 1000, queues.now());
  // Long polling: answer as soon as a message is available, or empty when the wait is over.
  while (deliveries.length === 0 && (await queues.waitForChange(entry.queue, deadline)) === 'change') {
    deliveries = entry.queue.receive(max, visibility * 1000, queues.now());
  }
  return {
    Messages: deliveries.map((d) => {
      const m = d.message;
      const system: Record<string, string | undefined> = {
        ApproximateReceiveCount: String(m.receiveCount),
        ApproximateFirstReceiveTimestamp: String(m.firstReceiveAtMs ?? 0),
        SentTimestamp: String(m.sentAtMs),
        SenderId: m.payload.senderId,
        MessageGroupId: m.payload.messageGroupId,
        MessageDeduplicationId: m.payload.messageDeduplicationId,
        SequenceNumber: isFifo(entry) ? MessageQueue.sequenceNumber(m.seq) : undefined,
      };
      const wantAll = systemNames.includes('All');
      const Attributes = Object.fromEntries(SYSTEM_ATTRIBUTES.filter((n) => (wantAll || systemNames.includes(n)) && system[n] !== undefined).map((n) => [n, system[n]]));
      const chosen = Object.entries(m.payload.messageAttributes ?? {}).filter(([name]) =>
        attributeNames.some((want) => want === 'All' || want === '.*' || want === name || (want.endsWith('.*') && name.startsWith(want.slice(0, -1)))),
      );
      return {
        MessageId: m.id,
        ReceiptHandle: receiptHandle(entry.queue.name, d),
        MD5OfBody: m.payload.md5OfBody,
        Body: m.payload.body,
        ...(Object.keys(Attributes).length > 0 ? { Attributes } : {}),
        ...(chosen.length > 0 ? { MessageAttributes: Object.fromEntries(chosen), MD5OfMessageAttributes: md5OfMessageAttributes(Object.fromEntries(chosen)) } : {}),
      };
    }),
  };
}

const QUEUE_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'QueueArn',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
] as const;

function queueAttributes(context: SqsContext, entry: SqsQueueEntry, names: unknown): Record<string, string> {
  const requested = stringList({ AttributeNames: names }, 'AttributeNames');
  for (const name of requested) {
    if (name !== 'All' && !(QUEUE_ATTRIBUTES as readonly string[]).includes(name)) {
      throw new SqsError('InvalidAttributeName', 'InvalidAttributeName', 400, `Unknown Attribute ${name}.`);
    }
  }
  const counts = entry.queue.counts(context.queues.now());
  const arn = (name: string) => `arn:aws:sqs:${context.region}:${LOCAL_ACCOUNT}:${name}`;
  const all: Record<string, string | undefined> = {
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: '0',
    LastModifiedTimestamp: '0',
    DelaySeconds: '0',
    MaximumMessageSize: String(SQS_LIMITS.maxMessageBytes),
    MessageRetentionPeriod: String(entry.retentionSeconds),
    QueueArn: arn(entry.queue.name),
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: String(entry.visibilityTimeoutSeconds),
    RedrivePolicy:
      entry.deadLetterQueueName === undefined
        ? undefined
        : JSON.stringify({ deadLetterTargetArn: arn(entry.deadLetterQueueName), maxReceiveCount: entry.queue.settings.maxDeliveries }),
    FifoQueue: isFifo(entry) ? 'true' : undefined,
    ContentBasedDeduplication: isFifo(entry) ? 'true' : undefined,
  };
  const wanted = requested.includes('All') ? QUEUE_ATTRIBUTES : requested;
  return Object.fromEntries(wanted.flatMap((n) => (all[n] === undefined ? [] : [[n, all[n] as string]])));
}
