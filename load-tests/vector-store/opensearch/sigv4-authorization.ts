/**
 * What the local collection checks of AWS Signature Version 4: not the signature (it holds no
 * secret keys), only that a signed request is signed for OpenSearch Serverless, so a client
 * configured for the wrong service (`es`, the AwsSigv4Signer default) fails here as it would in the
 * cloud. A request without an Authorization header is accepted (plain clients, curl).
 * - The credential scope is `<key id>/<date>/<region>/aoss/aws4_request`
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 * - Signed requests carry `x-amz-content-sha256`, which OpenSearch Serverless requires
 *   (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-clients.html#serverless-signing).
 * The answer to a bad one is the shape of OpenSearch Serverless's own authorization layer,
 * `{"status":403,"error":{"reason":"…","type":"Forbidden"}}` (aws/handlers/vector-index/opensearch-index-api.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';

const SCOPE = /^AWS4-HMAC-SHA256 Credential=[^/,\s]+\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=[0-9a-f]{64}$/;

export interface SignatureProblem {
  readonly reason: string;
}

/** Undefined when the request is unsigned or signed for `aoss`; otherwise what is wrong. */
export function checkSigV4(headers: IncomingHttpHeaders): SignatureProblem | undefined {
  const authorization = headers.authorization;
  if (authorization === undefined) return undefined;
  const match = SCOPE.exec(authorization);
  if (!match) return { reason: `Authorization header is not an AWS4-HMAC-SHA256 signature: ${authorization.slice(0, 40)}…` };
  const [, , , service, signedHeaders] = match;
  if (service !== 'aoss') return { reason: `Credential should be scoped to correct service: 'aoss', not '${service}'` };
  if (headers['x-amz-content-sha256'] === undefined || !signedHeaders.split(';').includes('x-amz-content-sha256')) {
    return { reason: 'Signed requests to OpenSearch Serverless must include and sign the x-amz-content-sha256 header' };
  }
  return undefined;
}
