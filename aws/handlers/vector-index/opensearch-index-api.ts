/**
 * The three index operations the vector-index handler needs, against an OpenSearch Serverless
 * collection endpoint, signed with SigV4 for the `aoss` service by the AWS SDK's signer and sent
 * with its HTTP handler. OpenSearch Serverless requires the `x-amz-content-sha256` header on signed
 * requests (OpenSearch Service Developer Guide, "Signing HTTP requests to Amazon OpenSearch
 * Serverless"); the signer adds it. Errors come back as `OpenSearchApiError` with the HTTP status
 * and OpenSearch's error `type` and `reason`, or with the network error code when no response came.
 */
import { HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface OpenSearchIndexApiOptions {
  /** `https://<collection id>.<region>.aoss.amazonaws.com`. */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider;
  /** Per-request timeout. */
  readonly requestTimeoutMs?: number;
}

/** An error response of the index API, or a request that got no response (`status` 0, `code` set). */
export class OpenSearchApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    /** OpenSearch's error type (`resource_already_exists_exception`, `Forbidden`, …) or the network error code. */
    readonly type: string,
    readonly reason: string,
  ) {
    super(`${operation}: ${status === 0 ? type : `HTTP ${status} ${type}`}: ${reason}`);
    this.name = 'OpenSearchApiError';
  }
}

export class OpenSearchIndexApi {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly http: NodeHttpHandler;

  constructor(options: OpenSearchIndexApiOptions) {
    this.url = new URL(options.endpoint);
    this.signer = new SignatureV4({ service: 'aoss', region: options.region, credentials: options.credentials, sha256: Hash.bind(null, 'sha256') });
    this.http = new NodeHttpHandler({ requestTimeout: options.requestTimeoutMs ?? 30_000, connectionTimeout: 10_000 });
  }

  /** `PUT /<index>` with settings and mappings. */
  async createIndex(name: string, body: object): Promise<void> {
    await this.send('CreateIndex', 'PUT', `/${encodeURIComponent(name)}`, body);
  }

  /** `GET /<index>/_mapping`: the index's mappings, or undefined when there is no such index. */
  async getMappings(name: string): Promise<Record<string, unknown> | undefined> {
    try {
      const response = (await this.send('DescribeIndex', 'GET', `/${encodeURIComponent(name)}/_mapping`)) as Record<string, { mappings?: Record<string, unknown> }>;
      return response[name]?.mappings ?? {};
    } catch (e) {
      if (e instanceof OpenSearchApiError && e.type === 'index_not_found_exception') return undefined;
      throw e;
    }
  }

  /** `DELETE /<index>`; false when there was no such index. */
  async deleteIndex(name: string): Promise<boolean> {
    try {
      await this.send('DeleteIndex', 'DELETE', `/${encodeURIComponent(name)}`);
      return true;
    } catch (e) {
      if (e instanceof OpenSearchApiError && e.type === 'index_not_found_exception') return false;
      throw e;
    }
  }

  destroy(): void {
    this.http.destroy();
  }

  private async send(operation: string, method: string, path: string, body?: object): Promise<unknown> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = new HttpRequest({
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port ? Number(this.url.port) : undefined,
      method,
      path,
      headers: { host: this.url.host, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }) },
      body: payload,
    });
    const signed = (await this.signer.sign(request)) as HttpRequest;
    let status: number;
    let text: string;
    try {
      const { response } = await this.http.handle(signed);
      status = response.statusCode;
      text = await readBody(response.body);
    } catch (e) {
      const error = e as NodeJS.ErrnoException;
      throw new OpenSearchApiError(operation, 0, error.code ?? error.name, error.message);
    }
    const parsed = parseJson(text);
    if (status >= 200 && status < 300) return parsed;
    const { type, reason } = errorOf(parsed, status, text);
    throw new OpenSearchApiError(operation, status, type, reason);
  }
}

/**
 * OpenSearch answers `{"error":{"type","reason",…},"status"}`; OpenSearch Serverless's own
 * authorization layer answers `{"status":403,"request-id":…,"error":{"reason":"403 Forbidden","type":"Forbidden"}}`;
 * a gateway may answer with a plain-text or empty body.
 */
function errorOf(parsed: unknown, status: number, text: string): { type: string; reason: string } {
  const error = (parsed as { error?: unknown } | undefined)?.error;
  if (error && typeof error === 'object') {
    const { type, reason } = error as { type?: unknown; reason?: unknown };
    return { type: typeof type === 'string' ? type : `http_${status}`, reason: typeof reason === 'string' ? reason : JSON.stringify(error) };
  }
  if (typeof error === 'string') return { type: `http_${status}`, reason: error };
  return { type: `http_${status}`, reason: text.trim() || '(empty body)' };
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function readBody(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
