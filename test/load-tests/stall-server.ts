/**
 * A test server that stops answering for `forMs` in every `everyMs`: requests that arrive during
 * a stall, or are in progress when it starts, are answered when it ends; others at once. The
 * stall clock starts at the first request, and the first stall begins `offsetMs` after it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface StallServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startStallServer(options: { everyMs: number; forMs: number; offsetMs: number }): Promise<StallServer> {
  let epoch: number | undefined;
  const body = Buffer.from('{"predictions":[0.5]}');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const now = performance.now();
      epoch ??= now;
      const phase = (now - epoch - options.offsetMs + options.everyMs) % options.everyMs;
      const answer = () => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
        res.end(body);
      };
      if (now - epoch >= options.offsetMs && phase < options.forMs) setTimeout(answer, options.forMs - phase);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/invocations`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
