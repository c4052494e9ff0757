/**
 * Options of an `@google-cloud/aiplatform` client for one base URL, the same for every caller (the
 * RAG target, the corpus loader, the embedding-refresh function):
 * - `grpc://ADDRESS:PORT`: plain-text gRPC to a Private Service Connect address, as Google's PSC
 *   query samples do (https://cloud.google.com/vertex-ai/docs/vector-search/query-index-vpc);
 * - an `http(s)` URL: REST fallback; on this machine (the local endpoints) any bearer token will do,
 *   elsewhere Application Default Credentials.
 */
import type * as Aiplatform from '@google-cloud/aiplatform';
import { OAuth2Client } from 'google-auth-library';
import type * as Gax from 'google-gax';
import { isLoopbackUrl } from '../targets/loopback';

export type AiplatformClientOptions = NonNullable<ConstructorParameters<typeof Aiplatform.v1.PredictionServiceClient>[0]>;

export function aiplatformClientOptions(base: string | URL): AiplatformClientOptions {
  const url = typeof base === 'string' ? new URL(base) : base;
  if (url.protocol === 'grpc:') {
    // google-gax is the aiplatform client's own transport (one copy in this tree): its credentials object must come
    // from it. Loaded here only, as the client itself is, so a REST caller never pays for it.
    const { grpc } = require('google-gax') as typeof Gax;
    return { apiEndpoint: url.hostname, port: Number(url.port), fallback: false, sslCreds: grpc.credentials.createInsecure() as AiplatformClientOptions['sslCreds'] };
  }
  let authClient: OAuth2Client | undefined;
  if (isLoopbackUrl(url)) {
    authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'local', expiry_date: Date.now() + 24 * 3600_000 });
  }
  return {
    apiEndpoint: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol.replace(':', ''),
    fallback: true,
    // google-gax pins its own copy of google-auth-library, whose types differ only nominally from ours.
    authClient: authClient as unknown as AiplatformClientOptions['authClient'],
  };
}
