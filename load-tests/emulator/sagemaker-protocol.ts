/**
 * SageMaker Runtime `InvokeEndpoint` on the wire, from the Smithy model
 * (https://github.com/aws/api-models-aws/blob/main/models/sagemaker-runtime/service/2017-05-13/sagemaker-runtime-2017-05-13.json):
 * `POST /endpoints/{EndpointName}/invocations`, raw body up to 6 MiB, restJson1 errors named in
 * `X-Amzn-ErrorType` with a JSON body, so `@aws-sdk/client-sagemaker-runtime` parses them into
 * its modelled exceptions unchanged.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { EmulatedEndpoint, EmulatedVariant, InvocationOutcome } from './emulated-endpoint';

/** InvokeEndpoint body limit, 6,291,456 bytes (Smithy model). */
export const SAGEMAKER_MAX_BODY_BYTES = 6 * 1024 * 1024;

/** Custom attributes are at most 1024 visible ASCII characters (Smithy model). */
const MAX_CUSTOM_ATTRIBUTES = 1024;

/** `EndpointName` / `TargetVariant` form (Smithy model). */
const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

/** The emulator's stand-in account, used in messages and ARNs. */
export const EMULATOR_ACCOUNT = '000000000000';

export const SAGEMAKER_PATH = /^\/endpoints\/([^/]+)\/invocations$/;

export interface SageMakerContext {
  readonly region: string;
  /** Endpoints that serve models as production variants, by SageMaker endpoint name. */
  readonly endpoints: ReadonlyMap<string, EmulatedEndpoint>;
  /**
   * Endpoints hosted as inference components (scale to zero, shared pools), by component name; a request
   * names the pool endpoint and the component (InvokeEndpoint InferenceComponentName).
   */
  readonly components: ReadonlyMap<string, EmulatedEndpoint>;
}

/**
 * What SageMaker answers a request to an inference component with no copy in service: ValidationError
 * (HTTP 400), verbatim from the AWS blog that introduced scale to zero
 * (https://aws.amazon.com/blogs/machine-learning/unlock-cost-savings-with-the-new-scale-down-to-zero-feature-in-sagemaker-inference/).
 * The request also counts in NoCapacityInvocationFailures, which wakes the component.
 */
export const NO_CAPACITY_MESSAGE =
  'Inference Component has no capacity to process this request. ApplicationAutoScaling may be in-progress (if configured) or try to increase the capacity by invoking UpdateInferenceComponentRuntimeConfig API.';

/** Errors the SageMaker runtime returns, with their HTTP status (Smithy model, but for ThrottlingException: see 'throttled'). */
type SageMakerErrorName = 'ValidationError' | 'ModelError' | 'ModelNotReadyException' | 'ServiceUnavailable' | 'ThrottlingException';

const STATUS: Readonly<Record<SageMakerErrorName, number>> = {
  ValidationError: 400,
  ThrottlingException: 400,
  ModelError: 424,
  ModelNotReadyException: 429,
  ServiceUnavailable: 503,
};

export function handleSageMaker(
  context: SageMakerContext,
  endpointName: string,
  req: IncomingMessage,
  body: Buffer | 'too-large',
  res: ServerResponse,
): void {
  const requestId = randomUUID();
  const fail = (name: SageMakerErrorName, fields: Record<string, unknown>) => writeError(res, requestId, name, fields);

  const componentName = header(req, 'x-amzn-sagemaker-inference-component');
  const pool = [...context.components.values()].filter((c) => c.resolved.aws.endpointName === endpointName);
  const endpoint = pool.length > 0 ? context.components.get(componentName ?? '') : context.endpoints.get(endpointName);
  if (pool.length === 0 && !endpoint) {
    return fail('ValidationError', { Message: `Endpoint ${endpointName} of account ${EMULATOR_ACCOUNT} not found.` });
  }
  // [U] the wording of these two is ours: the runtime's own for a missing or unknown component is not documented.
  if (pool.length > 0 && componentName === undefined) {
    return fail('ValidationError', { Message: `Endpoint ${endpointName} hosts inference components; name one (InferenceComponentName): ${pool.map((c) => c.resolved.aws.inferenceComponent!.componentName).join(', ')}.` });
  }
  if (!endpoint || endpoint.resolved.aws.endpointName !== endpointName || !NAME_PATTERN.test(endpointName)) {
    return fail('ValidationError', { Message: `Inference component ${componentName} of endpoint ${endpointName} not found.` });
  }
  // An oversize body is refused as a ValidationError (sagemaker-python-sdk #4271 shows the message).
  if (body === 'too-large') return fail('ValidationError', { Message: `Request ${requestId} has oversize body.` });

  const customAttributes = header(req, 'x-amzn-sagemaker-custom-attributes');
  if (customAttributes !== undefined && (customAttributes.length > MAX_CUSTOM_ATTRIBUTES || !/^[\x20-\x7e]*$/.test(customAttributes))) {
    return fail('ValidationError', {
      Message: `1 validation error detected: Value at 'customAttributes' failed to satisfy constraint: Member must have length less than or equal to ${MAX_CUSTOM_ATTRIBUTES} and contain only visible ASCII characters`,
    });
  }
  const targetVariant = header(req, 'x-amzn-sagemaker-target-variant');
  let variant: EmulatedVariant | undefined;
  if (targetVariant !== undefined) {
    variant = endpoint.variant(targetVariant);
    if (!variant) {
      return fail('ValidationError', {
        Message: `Variant ${targetVariant} does not exist for endpoint ${endpointName}; variants are ${endpoint.variants.map((v) => v.name).join(', ')}.`,
      });
    }
  }
  variant ??= endpoint.pickVariant();

  const contentType = (header(req, 'content-type') ?? 'application/json').split(';')[0].trim().toLowerCase();
  const parsed = parseInstances(contentType, body, endpoint.model.kind === 'ranker');
  const responseFormat = contentType === 'text/csv' ? 'csv' : 'json';
  const region = context.region;

  const respond = (outcome: InvocationOutcome) => {
    switch (outcome.kind) {
      case 'ok': {
        const payload =
          responseFormat === 'csv'
            ? `${outcome.predictions.map(String).join('\n')}\n`
            : JSON.stringify({ predictions: outcome.predictions });
        const headers: Record<string, string | number> = {
          'Content-Type': responseFormat === 'csv' ? 'text/csv' : 'application/json',
          'Content-Length': Buffer.byteLength(payload),
          'x-amzn-RequestId': requestId,
          'x-Amzn-Invoked-Production-Variant': outcome.variant.name,
        };
        // The model server sets the response's custom attributes; ours echoes the request's.
        if (customAttributes !== undefined) headers['X-Amzn-SageMaker-Custom-Attributes'] = customAttributes;
        res.writeHead(200, headers);
        res.end(payload);
        return;
      }
      case 'throttled':
        // Throttling is a generic AWS error, not in the SageMaker model: HTTP 400, message often null
        // (https://github.com/opensearch-project/ml-commons/issues/2429).
        return writeError(res, requestId, 'ThrottlingException', { message: 'Rate exceeded' });
      case 'not-ready':
        if (endpoint.resolved.aws.inferenceComponent) return writeError(res, requestId, 'ValidationError', { Message: NO_CAPACITY_MESSAGE });
        return writeError(res, requestId, 'ModelNotReadyException', {
          Message: `Model for endpoint ${endpointName} variant ${outcome.variant.name} is not ready. Retry the request after the instances are in service.`,
        });
      case 'unavailable':
        return writeError(res, requestId, 'ServiceUnavailable', { Message: 'Service is currently unavailable. Try your call again.' });
      case 'model-error':
        return writeError(res, requestId, 'ModelError', modelErrorFields(region, endpointName, outcome.variant.name, outcome.status, outcome.message));
    }
  };

  if ('error' in parsed) return respond({ kind: 'model-error', variant, status: parsed.status, message: parsed.error });
  endpoint.invoke(variant, parsed.instances, respond);
}

/**
 * The container's error as SageMaker reports it: ModelError (424) carrying the original status
 * and message and the endpoint's log stream (message format as seen in sagemaker-python-sdk #2955).
 */
function modelErrorFields(region: string, endpointName: string, variant: string, status: number, message: string): Record<string, unknown> {
  const originalMessage = JSON.stringify({ code: status, message });
  const kind = status >= 500 ? 'server' : 'client';
  const logGroup = `/aws/sagemaker/Endpoints/${endpointName}`;
  return {
    Message:
      `Received ${kind} error (${status}) from ${variant} with message "${originalMessage}". ` +
      `See https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logEventViewer:group=${logGroup} in account ${EMULATOR_ACCOUNT} for more information.`,
    OriginalStatusCode: status,
    OriginalMessage: originalMessage,
    LogStreamArn: `arn:aws:logs:${region}:${EMULATOR_ACCOUNT}:log-group:${logGroup}`,
  };
}

function writeError(res: ServerResponse, requestId: string, name: SageMakerErrorName, fields: Record<string, unknown>): void {
  const payload = JSON.stringify(fields);
  res.writeHead(STATUS[name], {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': requestId,
    'X-Amzn-ErrorType': name,
  });
  res.end(payload);
}

type ParsedInstances = { readonly instances: unknown[] } | { readonly error: string; readonly status: 400 | 415 };

/**
 * What a typical model server accepts: JSON `{"instances": [...]}` or a bare JSON array, and for
 * the ranker also `text/csv` (one candidate's features per line, the XGBoost convention).
 */
function parseInstances(contentType: string, body: Buffer, acceptsCsv: boolean): ParsedInstances {
  if (contentType === 'text/csv' && acceptsCsv) {
    const rows = body
      .toString('utf8')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '');
    return { instances: rows.map((line) => line.split(',').map(Number)) };
  }
  if (contentType !== 'application/json' && contentType !== 'application/jsonlines' && contentType !== '*/*') {
    return { error: `unsupported content type ${contentType}; send application/json${acceptsCsv ? ' or text/csv' : ''}`, status: 415 };
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { error: 'request body is not valid JSON', status: 400 };
  }
  if (Array.isArray(json)) return { instances: json };
  if (typeof json === 'object' && json !== null && Array.isArray((json as { instances?: unknown }).instances)) {
    return { instances: (json as { instances: unknown[] }).instances };
  }
  return { error: 'expected {"instances": [...]} or a JSON array', status: 400 };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
