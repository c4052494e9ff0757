/**
 * A lean HTTP/1.1 keep-alive client for the plain-HTTP target: requests are serialised once,
 * written to pooled sockets, and answers parsed by a small parser (status line, headers,
 * Content-Length or chunked body). It exists for speed: on the project VM `node:http`'s client
 * tops out near 23k requests/s on one core, well under what the generator must drive to measure
 * a server rather than itself (bench/loadgen.ts compares it with autocannon). No pipelining: one
 * request per connection at a time, as an open-loop generator needs.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawHttpClientOptions {
  readonly url: URL;
  /** Connections opened at most; requests beyond wait for a free one. */
  readonly maxConnections: number;
}

export interface RawResponse {
  readonly status: number;
  /** The headers of READ_HEADERS that were present, names lower-cased; repeated ones joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export type RawCallback = (error: Error | undefined, response?: RawResponse) => void;

export interface RawCall {
  /** Abandons the request: its connection is closed and the callback is never called. */
  cancel(): void;
}

/** Response headers the client keeps: framing, and what the targets classify by. */
export const READ_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'x-amzn-errortype', 'x-amzn-invoked-production-variant'] as const;

/** Headers larger than this are a broken server, not a response. */
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const CRLF2 = Buffer.from('\r\n\r\n');
const COLON = 0x3a;
const SPACE = 0x20;
const DIGIT_0 = 0x30;

export class RawHttpClient {
  private readonly idle: Connection[] = [];
  private readonly waiting: { request: Buffer; callback: RawCallback; call: PendingCall }[] = [];
  private open = 0;
  private closed = false;
  private readonly hostHeader: string;

  constructor(private readonly options: RawHttpClientOptions) {
    const { protocol } = options.url;
    if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`raw HTTP client: ${options.url.href} is not an http: or https: URL`);
    this.hostHeader = options.url.host;
  }

  /** Serialises a request once; send the result as often as needed. */
  prepare(method: string, path: string, headers: Readonly<Record<string, string>>, body: Buffer): Buffer {
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\nContent-Length: ${body.length}\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new Error(`header ${JSON.stringify(name)} contains a line break`);
      head += `${name}: ${value}\r\n`;
    }
    return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]);
  }

  /** Opens up to `count` connections ahead of the run, so the first requests do not pay for the handshake. */
  async warmUp(count: number): Promise<void> {
    const n = Math.min(count, this.options.maxConnections) - this.open;
    const ready: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const connection = this.connect();
      ready.push(connection.ready);
      this.idle.push(connection);
    }
    await Promise.all(ready);
  }

  request(request: Buffer, callback: RawCallback): RawCall {
    if (this.closed) {
      callback(new Error('raw HTTP client is closed'));
      return { cancel: () => undefined };
    }
    let connection = this.idle.pop();
    if (!connection && this.open < this.options.maxConnections) connection = this.connect();
    if (connection) return connection.send(request, callback);
    const call = new PendingCall(this);
    this.waiting.push({ request, callback, call });
    return call;
  }

  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.destroy();
    for (const w of this.waiting.splice(0)) w.callback(new Error('raw HTTP client closed'));
  }

  /** @internal a pending request gave up before it got a connection */
  dequeue(call: PendingCall): void {
    const i = this.waiting.findIndex((w) => w.call === call);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  /** @internal a connection finished a response and may be reused */
  release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next) {
      next.call.inner = connection.send(next.request, next.callback);
      return;
    }
    if (this.closed) connection.destroy();
    else this.idle.push(connection);
  }

  /** @internal a connection closed */
  forget(connection: Connection): void {
    this.open--;
    const i = this.idle.indexOf(connection);
    if (i >= 0) this.idle.splice(i, 1);
    // A waiting request may now open a connection of its own.
    const next = this.waiting.shift();
    if (next && !this.closed) next.call.inner = this.connect().send(next.request, next.callback);
  }

  private connect(): Connection {
    this.open++;
    const { url } = this.options;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket =
      url.protocol === 'https:' ? tlsConnect({ host, port, servername: host, ALPNProtocols: ['http/1.1'] }) : netConnect({ host, port });
    socket.setNoDelay(true);
    return new Connection(this, socket, url.protocol === 'https:' ? 'secureConnect' : 'connect');
  }
}

/** Whether the bytes at `offset` spell `lower` in any case (ASCII). */
function sameLowerCase(bytes: Buffer, offset: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const c = bytes[offset + i];
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

const DIGITS = /^\d{1,15}$/;

/** A Content-Length value (repeats joined with ", " must agree), or undefined when it is not one. */
function contentLength(value: string): number | undefined {
  if (DIGITS.test(value)) return Number(value);
  const values = new Set(value.split(',').map((v) => v.trim()));
  const [only] = values;
  return values.size === 1 && DIGITS.test(only) ? Number(only) : undefined;
}

const STATUS_PREFIX = Buffer.from('HTTP/1.');

/** The status code of a `HTTP/1.x NNN` line starting at `from`, or undefined. */
function statusOf(bytes: Buffer, from: number, end: number): number | undefined {
  if (end - from < 12 || bytes.compare(STATUS_PREFIX, 0, STATUS_PREFIX.length, from, from + STATUS_PREFIX.length) !== 0) return undefined;
  if ((bytes[from + 7] !== DIGIT_0 && bytes[from + 7] !== DIGIT_0 + 1) || bytes[from + 8] !== SPACE) return undefined;
  let status = 0;
  for (let i = from + 9; i < from + 12; i++) {
    const d = bytes[i] - DIGIT_0;
    if (d < 0 || d > 9) return undefined;
    status = status * 10 + d;
  }
  return status;
}

class PendingCall implements RawCall {
  inner?: RawCall;
  constructor(private readonly client: RawHttpClient) {}
  cancel(): void {
    if (this.inner) this.inner.cancel();
    else this.client.dequeue(this);
  }
}

type BodyMode = 'length' | 'chunked' | 'until-close';

/** One socket and the parser of the response it is waiting for. */
class Connection {
  readonly ready: Promise<void>;
  private callback: RawCallback | undefined;
  /** Numbers the requests this pooled connection carries, so a handle cancels only its own. */
  private requestNumber = 0;
  private buffer: Buffer | undefined;
  private offset = 0;
  private status = 0;
  private headers: Record<string, string> = {};
  private inHead = true;
  private mode: BodyMode = 'length';
  private remaining = 0;
  private bodyParts: Buffer[] = [];
  private keepAlive = true;
  private dead = false;

  constructor(
    private readonly client: RawHttpClient,
    private readonly socket: Socket,
    connectEvent: 'connect' | 'secureConnect',
  ) {
    this.ready = new Promise((resolve, reject) => {
      socket.once(connectEvent, () => resolve());
      socket.once('error', reject);
    });
    // The readiness promise is only awaited by warmUp; failures surface through the callback.
    this.ready.catch(() => undefined);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.onClose());
  }

  send(request: Buffer, callback: RawCallback): RawCall {
    const number = ++this.requestNumber;
    this.callback = callback;
    this.inHead = true;
    this.socket.write(request);
    return {
      cancel: () => {
        // Once answered, the connection may carry someone else's request: leave it alone.
        if (this.requestNumber !== number || !this.callback) return;
        this.callback = undefined;
        this.destroy();
      },
    };
  }

  destroy(): void {
    this.socket.destroy();
  }

  /**
   * Parses from `offset` on, without copying: slices are taken only for body bytes and the few
   * header values read. Leftover bytes of an incomplete response wait for the next chunk.
   */
  private onData(chunk: Buffer): void {
    this.buffer = this.buffer && this.offset < this.buffer.length ? Buffer.concat([this.buffer.subarray(this.offset), chunk]) : chunk;
    this.offset = 0;
    while (this.buffer && this.offset < this.buffer.length && !this.dead) {
      if (!(this.inHead ? this.parseHead() : this.parseBody())) break;
    }
    if (this.buffer && this.offset >= this.buffer.length) {
      this.buffer = undefined;
      this.offset = 0;
    }
  }

  /** Reads the status line and headers; false when more bytes are needed. */
  private parseHead(): boolean {
    const buffer = this.buffer as Buffer;
    const from = this.offset;
    const end = buffer.indexOf(CRLF2, from);
    if (end < 0) {
      if (buffer.length - from > MAX_HEAD_BYTES) this.fail(new Error('response headers exceed 64 KiB'));
      return false;
    }
    this.offset = end + 4;
    const status = statusOf(buffer, from, end);
    if (status === undefined) {
      this.fail(new Error(`malformed status line ${JSON.stringify(buffer.toString('latin1', from, Math.min(end, from + 80)))}`));
      return false;
    }
    this.status = status;
    const headers: Record<string, string> = {};
    // Only the headers this client reads get strings; the others are skipped byte-wise.
    for (let line = buffer.indexOf(CRLF, from) + 2; line > 1 && line < end; ) {
      let next = buffer.indexOf(CRLF, line);
      if (next < 0 || next > end) next = end;
      const colon = buffer.indexOf(COLON, line);
      if (colon > line && colon < next) {
        const name = READ_HEADERS.find((h) => h.length === colon - line && sameLowerCase(buffer, line, h));
        if (name) {
          const value = buffer.toString('latin1', colon + 1, next).trim();
          headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
        }
      }
      line = next + 2;
    }
    if (this.status >= 100 && this.status < 200) return true;
    this.headers = headers;
    // HTTP/1.0 closes unless told otherwise; byte 7 of the status line is the minor version.
    this.keepAlive = !/\bclose\b/i.test(headers.connection ?? '') && buffer[from + 7] !== DIGIT_0;
    this.bodyParts = [];
    this.inHead = false;
    if (this.status === 204 || this.status === 304) {
      this.mode = 'length';
      this.remaining = 0;
    } else if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) {
      this.mode = 'chunked';
      this.remaining = -1;
    } else if (headers['content-length'] !== undefined) {
      // RFC 9112 §6.3: an invalid Content-Length (not digits, or differing repeats) cannot be framed.
      const length = contentLength(headers['content-length']);
      if (length === undefined) {
        this.fail(new Error(`malformed Content-Length ${JSON.stringify(headers['content-length'])}`));
        return false;
      }
      this.mode = 'length';
      this.remaining = length;
    } else {
      this.mode = 'until-close';
      this.keepAlive = false;
    }
    if (this.mode === 'length' && this.remaining === 0) this.complete();
    return true;
  }

  /** Consumes body bytes; false when more bytes are needed. */
  private parseBody(): boolean {
    const buffer = this.buffer as Buffer;
    const available = buffer.length - this.offset;
    if (this.mode === 'until-close') {
      this.bodyParts.push(buffer.subarray(this.offset));
      this.offset = buffer.length;
      return false;
    }
    if (this.mode === 'length') {
      const take = Math.min(this.remaining, available);
      this.bodyParts.push(buffer.subarray(this.offset, this.offset + take));
      this.offset += take;
      this.remaining -= take;
      if (this.remaining > 0) return false;
      this.complete();
      return true;
    }
    // Chunked: `remaining` is -1 before a size line, else the bytes left in the chunk (+2 for its CRLF).
    if (this.remaining < 0) {
      const lineEnd = buffer.indexOf(CRLF, this.offset);
      if (lineEnd < 0) return false;
      const size = parseInt(buffer.toString('latin1', this.offset, lineEnd), 16);
      if (!Number.isFinite(size)) {
        this.fail(new Error('malformed chunk size'));
        return false;
      }
      if (size === 0) {
        // Last chunk: optional trailer lines, then an empty line.
        const trailerEnd = buffer.indexOf(CRLF2, lineEnd);
        if (trailerEnd < 0) return false;
        this.offset = trailerEnd + 4;
        this.complete();
        return true;
      }
      this.offset = lineEnd + 2;
      this.remaining = size + 2;
      return true;
    }
    const take = Math.min(this.remaining, available);
    const dataBytes = Math.max(0, Math.min(take, this.remaining - 2));
    if (dataBytes > 0) this.bodyParts.push(buffer.subarray(this.offset, this.offset + dataBytes));
    this.offset += take;
    this.remaining -= take;
    if (this.remaining === 0) this.remaining = -1;
    return true;
  }

  private complete(): void {
    const callback = this.callback;
    const response: RawResponse = {
      status: this.status,
      headers: this.headers,
      body: this.bodyParts.length === 1 ? this.bodyParts[0] : Buffer.concat(this.bodyParts),
    };
    this.callback = undefined;
    this.inHead = true;
    this.bodyParts = [];
    if (this.keepAlive) this.client.release(this);
    else this.destroy();
    callback?.(undefined, response);
  }

  private fail(error: Error): void {
    const callback = this.callback;
    this.callback = undefined;
    this.destroy();
    callback?.(error);
  }

  private onClose(): void {
    if (this.dead) return;
    this.dead = true;
    if (this.callback && !this.inHead && this.mode === 'until-close') {
      this.complete();
    } else if (this.callback) {
      const error = Object.assign(new Error('socket closed before the response was complete'), { code: 'ECONNRESET' });
      const callback = this.callback;
      this.callback = undefined;
      callback(error);
    }
    this.client.forget(this);
  }
}
