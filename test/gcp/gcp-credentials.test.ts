/**
 * The Vertex deployment authenticates as the gcp provider does: the same config keys and
 * environment variables, in the same order, impersonation on top, and request headers from
 * google-auth-library (x-goog-user-project included). Token exchanges go to a local stand-in for
 * Google's OAuth and IAM Credentials endpoints.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { credentialSettings, credentialSource, gcpAuth, pathOrContents, userProjectOverride, VertexApi } from '../../gcp/vertex-deployment-engine';
import { vertexHarness } from './support/vertex-test-harness';

const PROJECT = 'news-serving-test';
const REGION = 'us-central1';
const { fake, baseUrl } = vertexHarness(PROJECT, REGION);

/** Google's token endpoints, as far as these clients use them. */
interface TokenCall {
  readonly path: string;
  readonly authorization?: string;
  readonly body: string;
}
const tokenCalls: TokenCall[] = [];
let tokenServer: Server;
let tokenUrl = '';

beforeAll(async () => {
  tokenServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      tokenCalls.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/token') res.end(JSON.stringify({ access_token: 'refreshed-token', expires_in: 3600, token_type: 'Bearer' }));
      else res.end(JSON.stringify({ accessToken: 'impersonated-token', expireTime: new Date(Date.now() + 3_600_000).toISOString() }));
    });
  });
  await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
});
beforeEach(() => {
  fake.reset();
  fake.addEndpoint('123456789');
  tokenCalls.length = 0;
});

const none = () => undefined;

describe('credentialSettings: the gcp provider config first, then its environment variables', () => {
  it('reads each source from gcp: config, else the environment variables the provider reads', () => {
    expect(credentialSettings(none, { GOOGLE_CREDENTIALS: '{"a":1}', GOOGLE_CLOUD_KEYFILE_JSON: 'x', GOOGLE_OAUTH_ACCESS_TOKEN: 't' })).toMatchObject({
      credentials: '{"a":1}',
      accessToken: 't',
    });
    expect(credentialSettings(none, { GOOGLE_CLOUD_KEYFILE_JSON: 'k1', GCLOUD_KEYFILE_JSON: 'k2' }).credentials).toBe('k1');
    expect(credentialSettings(none, { GCLOUD_KEYFILE_JSON: 'k2' }).credentials).toBe('k2');
    const config = (key: string) => ({ 'gcp:credentials': 'from-config', 'gcp:impersonateServiceAccountDelegates': '["a@p.iam.gserviceaccount.com"]' })[key];
    expect(credentialSettings(config, { GOOGLE_CREDENTIALS: 'from-env', GOOGLE_IMPERSONATE_SERVICE_ACCOUNT: 'deployer@p.iam.gserviceaccount.com' })).toMatchObject({
      credentials: 'from-config',
      impersonateServiceAccount: 'deployer@p.iam.gserviceaccount.com',
      impersonateServiceAccountDelegates: ['a@p.iam.gserviceaccount.com'],
    });
    expect(credentialSettings(none, { USER_PROJECT_OVERRIDE: 'true', GOOGLE_BILLING_PROJECT: 'billing' })).toMatchObject({ userProjectOverride: true, billingProject: 'billing' });
    expect(credentialSettings(none, {})).toEqual({
      accessToken: undefined,
      credentials: undefined,
      impersonateServiceAccount: undefined,
      impersonateServiceAccountDelegates: undefined,
      billingProject: undefined,
      userProjectOverride: undefined,
    });
  });

  it('says which source applies: access token, then credentials, then application-default credentials', () => {
    expect(credentialSource({ accessToken: 't', credentials: 'c' })).toBe('the access token (gcp:accessToken)');
    expect(credentialSource({ credentials: 'c', impersonateServiceAccount: 'sa@p.iam.gserviceaccount.com' })).toBe(
      'the credentials JSON (gcp:credentials), impersonating sa@p.iam.gserviceaccount.com',
    );
    expect(credentialSource({})).toBe('application-default credentials');
  });

  it('takes a file path or the contents, as the provider does', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'creds-')), 'key.json');
    writeFileSync(file, '{"type":"service_account"}\n');
    expect(pathOrContents(file)).toBe('{"type":"service_account"}');
    expect(pathOrContents('{"inline":true}')).toBe('{"inline":true}');
  });

  it('overrides x-goog-user-project only with userProjectOverride: the billing project, else the deployment project', () => {
    expect(userProjectOverride({ userProjectOverride: true, billingProject: 'billing' }, PROJECT)).toBe('billing');
    expect(userProjectOverride({ userProjectOverride: true }, PROJECT)).toBe(PROJECT);
    expect(userProjectOverride({ billingProject: 'billing' }, PROJECT)).toBeUndefined();
  });
});

describe('the headers Vertex receives', () => {
  const callWith = async (auth: Parameters<typeof gcpAuth>[0], userProject?: string) => {
    const api = new VertexApi({ project: PROJECT, region: REGION, baseUrl: baseUrl(), auth: gcpAuth(auth, { oauth2TokenUrl: `${tokenUrl}/token`, iamCredentials: tokenUrl }), userProject });
    await api.getEndpoint('123456789');
    return fake.requests.at(-1)!.headers;
  };

  it('a credentials JSON with a quota project: its refreshed token, and x-goog-user-project from getRequestHeaders', async () => {
    fake.tokens.add('refreshed-token');
    const credentials = JSON.stringify({ type: 'authorized_user', client_id: 'id', client_secret: 'secret', refresh_token: 'refresh', quota_project_id: 'quota-project' });
    expect(await callWith({ credentials })).toEqual({ authorization: 'Bearer refreshed-token', 'x-goog-user-project': 'quota-project' });
    expect(tokenCalls.map((c) => c.path)).toEqual(['/token']);
    expect(tokenCalls[0].body).toContain('refresh_token=refresh');
  });

  it('impersonation: the source token buys the service account a token, which Vertex sees', async () => {
    fake.tokens.add('impersonated-token');
    const headers = await callWith({ accessToken: 'source-token', impersonateServiceAccount: 'deployer@news-serving-test.iam.gserviceaccount.com' });
    expect(headers.authorization).toBe('Bearer impersonated-token');
    expect(tokenCalls).toEqual([
      {
        path: '/v1/projects/-/serviceAccounts/deployer@news-serving-test.iam.gserviceaccount.com:generateAccessToken',
        authorization: 'Bearer source-token',
        body: expect.stringContaining('"scope":["https://www.googleapis.com/auth/cloud-platform"]'),
      },
    ]);
  });

  it('names the credential source when it yields no token', async () => {
    const api = new VertexApi({
      project: PROJECT,
      region: REGION,
      baseUrl: baseUrl(),
      auth: gcpAuth({ credentials: '{"type":"external_account_authorized_user"}' }),
      credentialSource: credentialSource({ credentials: 'x' }),
    });
    await expect(api.getEndpoint('123456789')).rejects.toThrow(/UNAUTHENTICATED: no Google credentials from the credentials JSON \(gcp:credentials\)/);
  });

  it('userProjectOverride sends the billing project', async () => {
    fake.tokens.add('plain-token');
    expect(await callWith({ accessToken: 'plain-token' }, 'news-billing')).toEqual({ authorization: 'Bearer plain-token', 'x-goog-user-project': 'news-billing' });
  });
});
