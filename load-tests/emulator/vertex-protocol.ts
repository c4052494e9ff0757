/**
 * Vertex AI online prediction on the wire: `POST
 * /v1/projects/{p}/locations/{l}/endpoints/{e}:predict` with `{instances, parameters}`, answered
 * with `{predictions, deployedModelId, model, modelDisplayName, modelVersionId}`; errors are
 * `google.rpc.Status` JSON. `@google-cloud/aiplatform` in REST fallback mode appends
 * `?$alt=json;enum-encoding=int`, which is ignored (test/load-tests/generator-smoke.test.ts drives it).
 */
import type { ServerResponse } from 'node:http';
import type { EmulatedEndpoint, InvocationOutcome } from './emulated-endpoint';

/**
 * Dedicated and Private Service Connect endpoints take 10 MB
 * (https://cloud.google.com/vertex-ai/docs/predictions/choose-endpoint-type); the topology's
 * endpoints are private, so that limit applies.
 */
export const VERTEX_MAX_BODY_BYTES = 10 * 1024 * 1024;

export const VERTEX_PATH = /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/([^/:]+):predict$/;

/** google.rpc.Code names with their HTTP status (https://github.com/googleapis/googleapis/blob/master/google/rpc/code.proto). */
type RpcStatus = 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'RESOURCE_EXHAUSTED' | 'INTERNAL' | 'UNAVAILABLE';

const HTTP_STATUS: Readonly<Record<RpcStatus, number>> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export interface VertexContext {
  /** Endpoints by the names the Vertex path accepts: the endpoint name and its Vertex display name. */
  readonly endpoints: ReadonlyMap<string, EmulatedEndpoint>;
}

export function handleVertex(
  context: VertexContext,
  path: { readonly project: string; readonly location: string; readonly endpointId: string },
  body: Buffer | 'too-large',
  res: ServerResponse,
): void {
  const resource = `projects/${path.project}/locations/${path.location}/endpoints/${path.endpointId}`;
  const endpoint = context.endpoints.get(path.endpointId);
  if (!endpoint) return writeStatus(res, 'NOT_FOUND', `Endpoint \`${resource}\` not found.`);
  if (body === 'too-large') return writeStatus(res, 'INVALID_ARGUMENT', `Request payload size exceeds the limit: ${VERTEX_MAX_BODY_BYTES} bytes.`);

  let request: unknown;
  try {
    request = JSON.parse(body.toString('utf8'));
  } catch {
    return writeStatus(res, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.');
  }
  const instances = typeof request === 'object' && request !== null ? (request as { instances?: unknown }).instances : undefined;
  if (!Array.isArray(instances) || instances.length === 0) {
    return writeStatus(res, 'INVALID_ARGUMENT', 'Request must contain a non-empty "instances" list.');
  }

  const variant = endpoint.pickVariant();
  const respond = (outcome: InvocationOutcome) => {
    switch (outcome.kind) {
      case 'ok': {
        const payload = JSON.stringify({
          predictions: outcome.predictions,
          deployedModelId: outcome.variant.deployedModelId,
          model: `projects/${path.project}/locations/${path.location}/models/${outcome.variant.modelId}`,
          modelDisplayName: outcome.variant.resolved.gcp.displayName,
          modelVersionId: '1',
        });
        res.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(payload) });
        res.end(payload);
        return;
      }
      case 'throttled':
        // Over capacity Vertex answers 429 RESOURCE_EXHAUSTED: quota, capacity and warm-up
        // (https://cloud.google.com/vertex-ai/generative-ai/docs/provisioned-throughput/error-code-429).
        return writeStatus(res, 'RESOURCE_EXHAUSTED', `The deployed model ${outcome.variant.deployedModelId} of \`${resource}\` is at capacity; retry with backoff.`);
      case 'not-ready':
        return writeStatus(res, 'RESOURCE_EXHAUSTED', 'Model is not yet ready for inference.');
      case 'unavailable':
        return writeStatus(res, 'UNAVAILABLE', 'The service is currently unavailable.');
      case 'model-error':
        // Vertex passes the model server's status and body through as the Status code and message
        // (GoogleCloudPlatform/vertex-ai-samples #2122: a container 503 arrives as UNAVAILABLE).
        return writeStatus(
          res,
          outcome.status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT',
          JSON.stringify({ code: outcome.status, message: outcome.message }),
        );
    }
  };
  endpoint.invoke(variant, instances, respond);
}

export function writeStatus(res: ServerResponse, status: RpcStatus, message: string): void {
  const code = HTTP_STATUS[status];
  const payload = JSON.stringify({ error: { code, message, status } });
  res.writeHead(code, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}
