/**
 * The embedder endpoint through Vertex AI's `:predict` REST method, authenticated with the function's
 * service account (google-auth-library application default credentials). The base URL is the
 * regional API (reached over the VPC's Private Google Access), a dedicated or PSC endpoint's DNS name,
 * or the local endpoints (serving-stacks emulate), for which any bearer token will do.
 */
import type { Embedder } from '../ports';
import { embeddingRequest, embeddingsOf } from '../predictions';

export class VertexEmbedder implements Embedder {
  constructor(
    /** `https://us-central1-aiplatform.googleapis.com` */
    private readonly baseUrl: string,
    /** `projects/{project}/locations/{region}/endpoints/{id}` */
    private readonly endpoint: string,
    readonly maxBatchSize: number,
    private readonly token: () => Promise<string>,
  ) {}

  async embed(texts: readonly string[]): Promise<number[][]> {
    const response = await fetch(`${this.baseUrl.replace(/\/$/, '')}/v1/${this.endpoint}:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token()}` },
      body: JSON.stringify(embeddingRequest(texts)),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${this.endpoint}:predict answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    return embeddingsOf(JSON.parse(text), texts.length);
  }
}
