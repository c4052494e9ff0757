/**
 * What the Vertex deployment tests share: the strict fake on an ephemeral port, an auth client
 * holding the fake's token, and engine dependencies that never wait (bakes of 1 s and more are
 * recorded so a test can see them).
 */
import { OAuth2Client } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { EngineDeps } from '../../../gcp/vertex-deployment-engine';
import { FAKE_TOKEN, FakeVertexApi } from './fake-vertex-api';

/** An auth client holding a token that never expires: no network, no credentials. */
export function tokenAuth(token = FAKE_TOKEN): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return client;
}

export interface VertexHarness {
  readonly fake: FakeVertexApi;
  /** The fake's base URL, once started. */
  baseUrl(): string;
  /** Bakes the engine waited for, in ms. */
  readonly bakes: number[];
  readonly deps: EngineDeps;
}

/**
 * A fake for the file, started before its tests and stopped after; after every test no request
 * may have broken the API's rules, whatever the provider did with the answer.
 */
export function vertexHarness(project: string, region: string): VertexHarness {
  const fake = new FakeVertexApi(project, region);
  let url = '';
  const bakes: number[] = [];
  beforeAll(async () => {
    url = await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  afterEach(() => {
    expect(fake.violations).toEqual([]);
  });
  const sleep = async (ms: number) => {
    if (ms >= 1000) bakes.push(ms);
  };
  return { fake, baseUrl: () => url, bakes, deps: { auth: tokenAuth(), sleep, pollInitialMs: 1, retryInitialMs: 1 } };
}
