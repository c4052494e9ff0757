/**
 * Errors of Google APIs on the REST wire: `google.rpc.Status` JSON, `{ error: { code, message,
 * status } }` with the HTTP status of its code (the mapping of
 * https://github.com/googleapis/googleapis/blob/master/google/rpc/code.proto). Shared by every
 * Google protocol the emulator speaks (Vertex prediction, Pub/Sub), so they fail alike.
 */
import type { ServerResponse } from 'node:http';

const HTTP_STATUS = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
} as const;

/** google.rpc.Code names the emulator answers with. */
export type RpcStatus = keyof typeof HTTP_STATUS;

export function writeStatus(res: ServerResponse, status: RpcStatus, message: string): void {
  const code = HTTP_STATUS[status];
  const payload = JSON.stringify({ error: { code, message, status } });
  res.writeHead(code, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}
