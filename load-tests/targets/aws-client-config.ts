/**
 * The AWS SDK v3 client settings every load-test client shares: the local endpoints take any
 * signature, so on a loopback address the client signs with placeholder credentials (nothing secret);
 * elsewhere the SDK's default provider chain. A target's client tries once (retries, when asked for,
 * are the generator's, counted) and keeps its connections alive.
 */
import { isLoopbackUrl } from './loopback';

export const LOCAL_AWS_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** `endpoint`: the local endpoints (or another address); undefined for the service's own. */
export function targetAwsClientConfig(region: string, endpoint: string | undefined, maxSockets: number) {
  const agent = { keepAlive: true, maxSockets };
  return {
    region,
    endpoint,
    credentials: endpoint !== undefined && isLoopbackUrl(endpoint) ? LOCAL_AWS_CREDENTIALS : undefined,
    maxAttempts: 1,
    requestHandler: { httpAgent: agent, httpsAgent: agent },
  };
}
