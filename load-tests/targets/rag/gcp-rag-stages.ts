/**
 * The retrieval path on Google Cloud: Vertex AI `predict` for the embedder and the reranker
 * (`PredictionServiceClient`) and Vector Search `findNeighbors` (`MatchServiceClient`), both from
 * `@google-cloud/aiplatform` in REST fallback mode. findNeighbors goes to the index endpoint's own
 * address (its public domain, or its Private Service Connect address inside the VPC:
 * https://cloud.google.com/vertex-ai/docs/vector-search/query-index-public-endpoint), not the
 * regional API.
 */
import type * as Aiplatform from '@google-cloud/aiplatform';
import { TOMBSTONE_DENY_RESTRICT } from '../../../pipelines/embedding-refresh/writers/vertex-vector-writer';
import { classifyGoogleError, type ClassifiedError } from '../error-classification';
import { aiplatformClientOptions } from '../../vertex-api/aiplatform-client-options';
import { vertexApiUrl } from '../vertex-target-spec';
import { embeddingOf, rankingOf, type RagStages } from './rag-stages';
import type { GcpRagSpec } from './rag-target-spec';

const CLIENT_VERSION: string = require('@google-cloud/aiplatform/package.json').version;

export class GcpRagStages implements RagStages {
  readonly client = `@google-cloud/aiplatform ${CLIENT_VERSION} (REST fallback: PredictionServiceClient, MatchServiceClient)`;
  readonly url: string;
  private readonly prediction: Aiplatform.v1.PredictionServiceClient;
  private readonly match: Aiplatform.v1.MatchServiceClient;
  private readonly helpers: typeof Aiplatform.helpers;

  constructor(private readonly spec: GcpRagSpec) {
    const aiplatform = require('@google-cloud/aiplatform') as typeof Aiplatform;
    this.helpers = aiplatform.helpers;
    const apiUrl = vertexApiUrl(spec);
    const matchUrl = spec.matchUrl ? new URL(spec.matchUrl) : apiUrl;
    this.prediction = new aiplatform.v1.PredictionServiceClient(aiplatformClientOptions(apiUrl));
    this.match = new aiplatform.v1.MatchServiceClient(aiplatformClientOptions(matchUrl));
    this.url = matchUrl.origin;
  }

  async warmUp(): Promise<void> {
    await Promise.all([this.prediction.initialize(), this.match.initialize()]);
  }

  async embed(text: string): Promise<Float32Array> {
    return embeddingOf(await this.predict(this.spec.embedderEndpoint, text));
  }

  async search(vector: Float32Array, k: number): Promise<string[]> {
    const { leafFraction } = this.spec;
    const [response] = await this.match.findNeighbors(
      {
        indexEndpoint: this.spec.indexEndpoint,
        deployedIndexId: this.spec.deployedIndexId,
        queries: [
          {
            // Tombstones the embedding-refresh pipeline leaves for deleted documents are never results.
            datapoint: { datapointId: 'query', featureVector: Array.from(vector), restricts: [{ ...TOMBSTONE_DENY_RESTRICT }] },
            neighborCount: k,
            ...(leafFraction !== undefined ? { fractionLeafNodesToSearchOverride: leafFraction } : {}),
          },
        ],
      },
      { timeout: this.spec.timeoutMs + 1000 },
    );
    const neighbors = response.nearestNeighbors?.[0]?.neighbors ?? [];
    return neighbors.map((n) => String(n.datapoint?.datapointId));
  }

  async rerank(query: string, passages: readonly string[]): Promise<number[]> {
    return rankingOf(await this.predict(this.spec.rerankerEndpoint, { query, documents: passages }));
  }

  classify(_stage: unknown, error: unknown): ClassifiedError {
    return classifyGoogleError(error);
  }

  async close(): Promise<void> {
    await Promise.all([this.prediction.close(), this.match.close()]);
  }

  private async predict(endpoint: string, instance: unknown): Promise<unknown> {
    const value = this.helpers.toValue(instance as object);
    if (!value) throw new Error(`cannot send ${JSON.stringify(instance)} as a protobuf Value`);
    const [response] = await this.prediction.predict({ endpoint, instances: [value] }, { timeout: this.spec.timeoutMs + 1000 });
    const first = response.predictions?.[0];
    return first ? this.helpers.fromValue(first as Parameters<typeof Aiplatform.helpers.fromValue>[0]) : undefined;
  }
}
