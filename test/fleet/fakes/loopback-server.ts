/**
 * What the local cloud APIs of the fleet tests share (fake S3, Cloud Storage, ECS, Cloud Run): an
 * HTTP server on 127.0.0.1 on a free port, each request's body read whole before the API's own
 * protocol answers it, and a close that drops kept-alive connections.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class LoopbackServer {
  private server?: Server;

  /** Listens; resolves to the base URL. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => void this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  protected abstract handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void>;
}
