/**
 * Plain HTTP: POST each payload as JSON to a URL, over the lean keep-alive client. Errors are
 * classified from the answer itself: an `X-Amzn-ErrorType` header (SageMaker-style servers), a
 * google.rpc.Status body (Google-style), else the status code.
 */
import type { PredictPayload } from '../models/sample-payloads';
import { classifyHttpResponse } from './error-classification';
import { RawHttpClient } from './raw-http-client';
import type { CallOutcome, Target, TargetCall, TargetDescription } from './target';

export interface HttpTargetSpec {
  readonly kind: 'http';
  readonly url: string;
  /** Extra request headers (authorisation, routing). */
  readonly headers: Readonly<Record<string, string>>;
  readonly maxConnections: number;
}

/** Connections opened before the run starts. */
const WARM_CONNECTIONS = 16;

export class HttpTarget implements Target {
  readonly description: TargetDescription;
  private readonly http: RawHttpClient;
  private readonly requests: Buffer[];

  constructor(spec: HttpTargetSpec, payloads: readonly PredictPayload[]) {
    const url = new URL(spec.url);
    this.http = new RawHttpClient({ url, maxConnections: spec.maxConnections });
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json', ...spec.headers };
    const path = `${url.pathname}${url.search}`;
    this.requests = payloads.map((p) => this.http.prepare('POST', path, headers, Buffer.from(JSON.stringify(p.parameters ? p : { instances: p.instances }))));
    this.description = { kind: 'http', endpoint: spec.url, url: url.origin, client: 'raw HTTP/1.1 keep-alive' };
  }

  async warmUp(): Promise<void> {
    await this.http.warmUp(WARM_CONNECTIONS);
  }

  send(payloadIndex: number, done: (outcome: CallOutcome) => void): TargetCall {
    return this.http.request(this.requests[payloadIndex], (error, response) => {
      if (error || !response) {
        const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'Error';
        return done({ ok: false, error: { errorClass: 'client', name: code, message: error?.message } });
      }
      if (response.status >= 200 && response.status < 300) {
        return done({ ok: true, variant: response.headers['x-amzn-invoked-production-variant'] });
      }
      done({ ok: false, error: classifyHttpResponse(response.status, response.headers['x-amzn-errortype'], response.body.toString('utf8')) });
    });
  }

  async close(): Promise<void> {
    this.http.close();
  }
}
