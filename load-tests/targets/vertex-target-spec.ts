/** Where a Vertex endpoint is and how to call it; plain data, so worker threads can receive it. */
export interface VertexTargetSpec {
  readonly kind: 'vertex';
  /** `projects/{project}/locations/{location}/endpoints/{id}`. */
  readonly endpoint: string;
  readonly location: string;
  /** @default - https://{location}-aiplatform.googleapis.com */
  readonly apiUrl?: string;
  /** `aiplatform`: the official client (REST fallback); `rest`: plain REST with google-auth-library tokens. */
  readonly client: 'aiplatform' | 'rest';
  readonly maxConnections: number;
  /** The generator's per-request timeout, so the client's own deadline can follow it. */
  readonly timeoutMs: number;
}

export const VERTEX_ENDPOINT_RESOURCE = /^projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/([^/:]+)$/;

export function vertexApiUrl(spec: Pick<VertexTargetSpec, 'apiUrl' | 'location'>): URL {
  return new URL(spec.apiUrl ?? `https://${spec.location}-aiplatform.googleapis.com`);
}
