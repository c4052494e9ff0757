/**
 * Every failed call lands in one class, decided by the error's NAME (AWS) or google.rpc status
 * (Google), not by HTTP status alone: SageMaker throttles with HTTP 400, the same status as a
 * validation error (https://github.com/aws/api-models-aws/blob/main/models/sagemaker-runtime/service/2017-05-13/sagemaker-runtime-2017-05-13.json;
 * https://github.com/opensearch-project/ml-commons/issues/2429), and Vertex folds quota and capacity into 429.
 */

export const ERROR_CLASSES = ['throttled', 'modelError', 'other4xx', 'server5xx', 'timeout', 'client'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export interface ClassifiedError {
  readonly errorClass: ErrorClass;
  /** The error's name as the service or client gave it: `ThrottlingException`, `RESOURCE_EXHAUSTED`, `ECONNREFUSED`, `HTTP 502`. */
  readonly name: string;
  readonly httpStatus?: number;
  readonly message?: string;
}

/**
 * The AWS SDK's throttling names (smithy-typescript `service-error-classification/constants.ts`,
 * THROTTLING_ERROR_CODES: https://github.com/smithy-lang/smithy-typescript/blob/main/packages/service-error-classification/src/constants.ts).
 */
const AWS_THROTTLING_NAMES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** Same source, TRANSIENT_ERROR_CODES: the SDK's own request timeouts. */
const AWS_TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/** Node network failures that never reached a server answer (same source, NODEJS_*_ERROR_CODES). */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** google.rpc.Code numbers (googleapis `google/rpc/code.proto`). */
export const RPC_CODE_NAMES: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** Vertex statuses by class (https://github.com/googleapis/googleapis/blob/master/google/rpc/code.proto): 429 RESOURCE_EXHAUSTED is quota, capacity or warm-up. */
const RPC_CLASS: Readonly<Record<string, ErrorClass>> = {
  RESOURCE_EXHAUSTED: 'throttled',
  DEADLINE_EXCEEDED: 'timeout',
  UNAVAILABLE: 'server5xx',
  INTERNAL: 'server5xx',
  UNKNOWN: 'server5xx',
  DATA_LOSS: 'server5xx',
  UNIMPLEMENTED: 'server5xx',
  CANCELLED: 'client',
};

/** An error thrown by `@aws-sdk/client-sagemaker-runtime` (or any AWS SDK v3 client). */
export function classifyAwsError(error: unknown): ClassifiedError {
  const e = asRecord(error);
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const metadata = asRecord(e.$metadata);
  const httpStatus = typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  const message = typeof e.message === 'string' ? e.message : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (httpStatus === undefined && code && NETWORK_CODES.has(code)) return { errorClass: 'client', name: code, message };
  return { errorClass: classifyAwsName(name, httpStatus), name, httpStatus, message };
}

export function classifyAwsName(name: string, httpStatus: number | undefined): ErrorClass {
  // ModelNotReadyException is HTTP 429, which the SDK also classes as throttling (by status:
  // https://github.com/smithy-lang/smithy-typescript/blob/main/packages/service-error-classification/src/index.ts).
  if (AWS_THROTTLING_NAMES.has(name) || httpStatus === 429) return 'throttled';
  if (name === 'ModelError') return 'modelError';
  if (AWS_TIMEOUT_NAMES.has(name)) return 'timeout';
  if (httpStatus === undefined) return 'client';
  if (httpStatus >= 500) return 'server5xx';
  if (httpStatus >= 400) return 'other4xx';
  return 'client';
}

/**
 * An error from `@google-cloud/aiplatform` or a plain REST call to Vertex. Three shapes occur:
 * a gax `GoogleError` whose numeric `code` is a google.rpc.Code (gRPC transport); a `GaxiosError`
 * whose `status`/`code` is the HTTP status and whose message is the google.rpc.Status JSON
 * (REST fallback with gaxios 7, googleapis/gax-nodejs #1803); or a network error with a string code.
 */
export function classifyGoogleError(error: unknown): ClassifiedError {
  const e = asRecord(error);
  const message = typeof e.message === 'string' ? e.message : undefined;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return { errorClass: 'client', name: e.code, message };
  const body = message ? parseRpcStatus(message) : undefined;
  const httpStatus = typeof e.status === 'number' ? e.status : body?.code ?? (isGaxios(e) && typeof e.code === 'number' ? e.code : undefined);
  let rpcStatus = body?.status ?? (typeof e.status === 'string' && RPC_CODE_NAMES.includes(e.status) ? e.status : undefined);
  if (!rpcStatus && !isGaxios(e) && typeof e.code === 'number' && e.code < RPC_CODE_NAMES.length) rpcStatus = RPC_CODE_NAMES[e.code];
  return classifyRpc(rpcStatus, httpStatus, body?.message ?? message);
}

/**
 * `@opensearch-project/opensearch` errors: a `ResponseError` carries the HTTP status and
 * OpenSearch's `{error: {type, reason}}` body (429 when OpenSearch Serverless throttles,
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-scaling.html);
 * `TimeoutError` is the client's request timeout; `ConnectionError` never reached an answer.
 */
export function classifyOpenSearchError(error: unknown): ClassifiedError {
  const e = asRecord(error);
  const message = typeof e.message === 'string' ? e.message : undefined;
  if (e.name === 'TimeoutError') return { errorClass: 'timeout', name: 'TimeoutError', message };
  if (e.name !== 'ResponseError') return { errorClass: 'client', name: typeof e.name === 'string' ? e.name : 'Error', message };
  const meta = asRecord(e.meta);
  const httpStatus = typeof meta.statusCode === 'number' ? meta.statusCode : undefined;
  const type = asRecord(asRecord(meta.body).error).type;
  const classified = classifyRpc(undefined, httpStatus, message);
  return typeof type === 'string' ? { ...classified, name: type } : classified;
}

/** An HTTP answer from any server: by `X-Amzn-ErrorType`, else by google.rpc.Status body, else by status. */
export function classifyHttpResponse(httpStatus: number, awsErrorType: string | undefined, body: string): ClassifiedError {
  if (awsErrorType) {
    // restJson1 error types may carry a namespace or URI suffix: keep the bare name, as the SDK does.
    const name = awsErrorType.split(':')[0].split('#').pop() ?? awsErrorType;
    return { errorClass: classifyAwsName(name, httpStatus), name, httpStatus, message: body.slice(0, 500) };
  }
  const status = parseRpcStatus(body);
  if (status?.status) return classifyRpc(status.status, httpStatus, status.message);
  return classifyRpc(undefined, httpStatus, body.slice(0, 500));
}

function classifyRpc(rpcStatus: string | undefined, httpStatus: number | undefined, message: string | undefined): ClassifiedError {
  if (rpcStatus) {
    const errorClass = RPC_CLASS[rpcStatus] ?? (httpStatus !== undefined && httpStatus >= 500 ? 'server5xx' : 'other4xx');
    return { errorClass, name: rpcStatus, httpStatus, message };
  }
  if (httpStatus === undefined) return { errorClass: 'client', name: 'Error', message };
  const errorClass: ErrorClass = httpStatus === 429 ? 'throttled' : httpStatus >= 500 ? 'server5xx' : httpStatus >= 400 ? 'other4xx' : 'client';
  return { errorClass, name: `HTTP ${httpStatus}`, httpStatus, message };
}

/** `{"error": {"code": 429, "message": "…", "status": "RESOURCE_EXHAUSTED"}}`, or undefined. */
function parseRpcStatus(text: string): { code?: number; status?: string; message?: string } | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const error = asRecord(asRecord(JSON.parse(text)).error);
    return {
      code: typeof error.code === 'number' ? error.code : undefined,
      status: typeof error.status === 'string' ? error.status : undefined,
      message: typeof error.message === 'string' ? error.message : undefined,
    };
  } catch {
    return undefined;
  }
}

function isGaxios(e: Record<string, unknown>): boolean {
  return 'response' in e || 'config' in e;
}

function asRecord(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
}
