/**
 * Vertex `:predict` as plain REST: JSON over the lean HTTP client, with an OAuth 2.0 bearer token
 * from google-auth-library's application default credentials (a fixed dummy token for the local
 * endpoints). A fraction of the CPU of the official client, for rates one core of it cannot drive.
 */
import { GoogleAuth } from 'google-auth-library';
import type { PredictPayload } from '../models/sample-payloads';
import { classifyHttpResponse } from './error-classification';
import { isLoopbackUrl } from './loopback';
import { RawHttpClient } from './raw-http-client';
import type { CallOutcome, Target, TargetCall, TargetDescription } from './target';
import { vertexApiUrl, type VertexTargetSpec } from './vertex-target-spec';

/** Tokens live an hour; asking the library every few minutes keeps one fresh (it caches). */
const TOKEN_REFRESH_MS = 5 * 60_000;

export class VertexRestTarget implements Target {
  readonly description: TargetDescription;
  private readonly http: RawHttpClient;
  private readonly bodies: Buffer[];
  private readonly path: string;
  private requests: Buffer[] = [];
  private token = '';
  private refresh?: NodeJS.Timeout;
  private readonly auth?: GoogleAuth;

  constructor(spec: VertexTargetSpec, payloads: readonly PredictPayload[]) {
    const url = vertexApiUrl(spec);
    this.http = new RawHttpClient({ url, maxConnections: spec.maxConnections });
    this.path = `/v1/${spec.endpoint}:predict`;
    this.bodies = payloads.map((p) => Buffer.from(JSON.stringify({ instances: p.instances, parameters: p.parameters ?? {} })));
    if (isLoopbackUrl(url)) this.setToken('local');
    else this.auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
    this.description = { kind: 'vertex', endpoint: spec.endpoint, url: url.origin, region: spec.location, client: 'REST (google-auth-library)' };
  }

  async warmUp(): Promise<void> {
    if (this.auth) {
      await this.fetchToken();
      this.refresh = setInterval(() => void this.fetchToken().catch(() => undefined), TOKEN_REFRESH_MS);
      this.refresh.unref();
    }
    await this.http.warmUp(8);
  }

  send(payloadIndex: number, done: (outcome: CallOutcome) => void): TargetCall {
    return this.http.request(this.requests[payloadIndex], (error, response) => {
      if (error || !response) {
        const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'Error';
        return done({ ok: false, error: { errorClass: 'client', name: code, message: error?.message } });
      }
      const text = response.body.toString('utf8');
      if (response.status >= 200 && response.status < 300) return done({ ok: true, variant: displayName(text) });
      done({ ok: false, error: classifyHttpResponse(response.status, undefined, text) });
    });
  }

  async close(): Promise<void> {
    if (this.refresh) clearInterval(this.refresh);
    this.http.close();
  }

  private async fetchToken(): Promise<void> {
    const token = await this.auth?.getAccessToken();
    if (!token) throw new Error('google-auth-library returned no access token; run `gcloud auth application-default login`');
    if (token !== this.token) this.setToken(token);
  }

  /** The token is part of each prepared request, so a new token means preparing them again. */
  private setToken(token: string): void {
    this.token = token;
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
    this.requests = this.bodies.map((body) => this.http.prepare('POST', this.path, headers, body));
  }
}

/** `modelDisplayName` from a predict response, without parsing the whole (possibly large) body. */
function displayName(body: string): string | undefined {
  return /"modelDisplayName"\s*:\s*"([^"]*)"/.exec(body)?.[1];
}
