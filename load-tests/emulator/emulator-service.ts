/**
 * A protocol the local endpoints serve beside the model endpoints (a vector store, a queue),
 * on the same port. `startEmulator` asks each service in turn whether a request is its own,
 * reads the body up to the service's limit and hands it over; the service answers in its
 * cloud's own wire format, errors included, and lists itself under its `name` in `GET /emulator`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface EmulatorRequest {
  readonly method: string;
  /** Decoded path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** The body, or 'too-large' when it exceeded `maxBodyBytes` (answer with the protocol's own error). */
  readonly body: Buffer | 'too-large';
}

export interface EmulatorService {
  /**
   * Key of this service in `GET /emulator`. Services may share one: their listings, objects with
   * keys of their own, are merged (`vectorStore: { opensearch, vertex }`).
   */
  readonly name: string;
  /** Largest body the protocol accepts; beyond it the body is discarded and `body` is 'too-large'. */
  readonly maxBodyBytes: number;
  /** Whether this service serves the request, from its method and path alone. */
  matches(method: string, path: string, headers: IncomingMessage['headers']): boolean;
  /** Answers in the protocol's own format; a rejected promise or throw is answered by `internalError`. */
  handle(request: EmulatorRequest, res: ServerResponse): void | Promise<void>;
  /** A bug in the service, answered in its protocol's 500 shape. */
  internalError(res: ServerResponse): void;
  /** What `GET /emulator` shows for this service, given the emulator's base URL. */
  listing(baseUrl: string): unknown;
  /** Lines `serving-stacks emulate` prints about it at start (routes, what it is not). */
  banner(baseUrl: string): readonly string[];
  /** Stops timers and flushes state (a `--data-dir` store writes here). */
  close?(): Promise<void>;
}
