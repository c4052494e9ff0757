/** Services served beside the model endpoints: routing, body limit, listing, errors in the service's shape, close. */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { preset, resolveTopology } from '../../constructs';
import { startEmulator, type EmulatorRequest, type EmulatorService } from '../../load-tests/emulator';

function echoService(log: string[]): EmulatorService {
  const send = (res: ServerResponse, status: number, body: unknown) => {
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
  };
  return {
    name: 'echo',
    maxBodyBytes: 8,
    matches: (_method, path) => path.startsWith('/echo/'),
    handle: async (request: EmulatorRequest, res) => {
      if (request.path === '/echo/broken') throw new Error('a bug');
      if (request.body === 'too-large') return send(res, 413, { error: 'too large' });
      send(res, 200, { method: request.method, path: request.path, q: request.query.get('q'), body: request.body.toString() });
    },
    internalError: (res) => send(res, 500, { error: 'echo failed' }),
    listing: (baseUrl) => ({ url: `${baseUrl}/echo` }),
    banner: (baseUrl) => [`echo at ${baseUrl}/echo`],
    close: async () => void log.push('closed'),
  };
}

describe('emulator services', () => {
  it('routes to the service, limits its body, lists it, answers its bugs in its own shape and closes it after the server', async () => {
    const log: string[] = [];
    const emulator = await startEmulator(resolveTopology(preset('dev')), { services: [echoService(log)] });
    try {
      const ok = await fetch(`${emulator.url}/echo/a%20b?q=1`, { method: 'PUT', body: 'hello' });
      expect(await ok.json()).toEqual({ method: 'PUT', path: '/echo/a b', q: '1', body: 'hello' });
      const big = await fetch(`${emulator.url}/echo/x`, { method: 'POST', body: '123456789' });
      expect(big.status).toBe(413);
      const broken = await fetch(`${emulator.url}/echo/broken`, { method: 'POST', body: '' });
      expect([broken.status, await broken.json()]).toEqual([500, { error: 'echo failed' }]);
      const listing = (await (await fetch(`${emulator.url}/emulator`)).json()) as Record<string, unknown>;
      expect(listing.echo).toEqual({ url: `${emulator.url}/echo` });
      // The model routes still come first.
      const other = await fetch(`${emulator.url}/nowhere`);
      expect(other.status).toBe(404);
    } finally {
      await emulator.close();
    }
    expect(log).toEqual(['closed']);
  });
});
