/** The lean HTTP/1.1 client against a server that writes raw bytes: framing, splits, closes. */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawHttpClient, type RawResponse } from '../../load-tests/targets/raw-http-client';

/** Answers each request with the next canned answer, written in the given pieces. */
const answers: (readonly string[])[] = [];
const sockets = new Set<Socket>();
const server = createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  let pending = '';
  socket.on('data', (chunk) => {
    pending += chunk.toString('latin1');
    while (pending.includes('\r\n\r\n')) {
      const headEnd = pending.indexOf('\r\n\r\n') + 4;
      const length = Number(/content-length: (\d+)/i.exec(pending)?.[1] ?? 0);
      if (pending.length < headEnd + length) return;
      pending = pending.slice(headEnd + length);
      const pieces = answers.shift() ?? ['HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n'];
      pieces.forEach((piece, i) => setTimeout(() => socket.write(piece), i * 5));
    }
  });
});
let url: URL;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/invocations`);
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function send(client: RawHttpClient, body = '{"instances":[1]}'): Promise<RawResponse> {
  const request = client.prepare('POST', url.pathname, { 'Content-Type': 'application/json' }, Buffer.from(body));
  return new Promise((resolve, reject) => client.request(request, (error, response) => (error || !response ? reject(error) : resolve(response))));
}

describe('raw HTTP client', () => {
  it('reads Content-Length bodies split across reads, and keeps the connection', async () => {
    const client = new RawHttpClient({ url, maxConnections: 1 });
    answers.push(['HTTP/1.1 200 OK\r\nContent-Le', 'ngth: 11\r\nX-Amzn-Invoked-Production-Variant: blue\r\nX-Other: 1\r\n\r\nhello', ' world']);
    answers.push(['HTTP/1.1 424 Failed Dependency\r\nx-amzn-ErrorType: ModelError\r\nContent-Length: 2\r\n\r\n{}']);
    const first = await send(client);
    expect(first).toEqual({ status: 200, headers: { 'content-length': '11', 'x-amzn-invoked-production-variant': 'blue' }, body: Buffer.from('hello world') });
    const second = await send(client);
    expect(second.status).toBe(424);
    expect(second.headers['x-amzn-errortype']).toBe('ModelError');
    expect(sockets.size).toBe(1);
    client.close();
  });

  it('decodes chunked bodies with trailers', async () => {
    const client = new RawHttpClient({ url, maxConnections: 1 });
    answers.push(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel', 'lo\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n']);
    answers.push(['HTTP/1.1 204 No Content\r\n\r\n']);
    expect((await send(client)).body.toString()).toBe('hello world');
    expect((await send(client)).status).toBe(204);
    client.close();
  });

  it('reads to the end of the connection when the length is unknown, and reconnects after Connection: close', async () => {
    const client = new RawHttpClient({ url, maxConnections: 1 });
    answers.push(['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\none']);
    answers.push(['HTTP/1.0 200 OK\r\n\r\ntwo', '...']);
    expect((await send(client)).body.toString()).toBe('one');
    const second = send(client);
    // The HTTP/1.0 answer has no length: it ends when the server closes.
    setTimeout(() => sockets.forEach((s) => s.end()), 50);
    expect((await second).body.toString()).toBe('two...');
    client.close();
  });

  it('queues requests beyond its connections and fails a request whose connection drops', async () => {
    const client = new RawHttpClient({ url, maxConnections: 1 });
    answers.push(['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na'], ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb']);
    const [a, b] = await Promise.all([send(client), send(client)]);
    expect([a.body.toString(), b.body.toString()]).toEqual(['a', 'b']);
    answers.push(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']);
    const dropped = send(client);
    setTimeout(() => sockets.forEach((s) => s.destroy()), 50);
    await expect(dropped).rejects.toMatchObject({ code: 'ECONNRESET' });
    client.close();
  });

  it.each([
    ['not a number', 'abc'],
    ['repeats that disagree', '3\r\nContent-Length: 4'],
    ['a sign', '+3'],
  ])('fails at once on a Content-Length that is %s, instead of waiting for its timeout', async (_, value) => {
    const client = new RawHttpClient({ url, maxConnections: 1 });
    answers.push([`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\nabc`]);
    await expect(send(client)).rejects.toThrow(/^malformed Content-Length/);
    client.close();
  });

  it('accepts repeated Content-Length headers that agree', async () => {
    const client = new RawHttpClient({ url, maxConnections: 1 });
    answers.push(['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc']);
    expect((await send(client)).body.toString()).toBe('abc');
    client.close();
  });

  it("hands out a handle per request: an answered request's handle cannot cancel the next one on its connection", async () => {
    const client = new RawHttpClient({ url, maxConnections: 1 });
    answers.push(['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na'], ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb']);
    const request = client.prepare('POST', url.pathname, {}, Buffer.from('{}'));
    let first!: { cancel(): void };
    await new Promise<void>((resolve, reject) => {
      first = client.request(request, (error) => (error ? reject(error) : resolve()));
    });
    const second = new Promise<RawResponse>((resolve, reject) => client.request(request, (error, r) => (error || !r ? reject(error) : resolve(r))));
    first.cancel();
    expect((await second).body.toString()).toBe('b');
    client.close();
  });
});
