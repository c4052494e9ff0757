/** A Pub/Sub `publishTime` (a protobuf Timestamp, or its RFC 3339 JSON form) in epoch ms; undefined when absent. */
export function publishTimeMs(t: { seconds?: unknown; nanos?: number | null } | string | null | undefined): number | undefined {
  if (typeof t === 'string') return Date.parse(t);
  if (!t) return undefined;
  return Number(String(t.seconds ?? 0)) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}
