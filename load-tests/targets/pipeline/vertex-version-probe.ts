/**
 * The k-NN probe on Vertex AI Vector Search, through `@google-cloud/aiplatform`'s
 * `MatchServiceClient.findNeighbors` with the token restrict `id: [documentId]` every datapoint of the
 * pipeline carries (pipelines/embedding-refresh/writers/vertex-vector-writer.ts), tombstones denied,
 * and `returnFullDatapoint` to read the numeric restrict `version` of the neighbour.
 */
import type * as Aiplatform from '@google-cloud/aiplatform';
import { DOCUMENT_ID_RESTRICT, TOMBSTONE_DENY_RESTRICT, VERSION_RESTRICT } from '../../../pipelines/embedding-refresh/writers/vertex-vector-writer';
import { aiplatformClientOptions } from '../../vertex-api/aiplatform-client-options';
import { classifyGoogleError, type ClassifiedError } from '../error-classification';
import type { VertexSearchStore } from './pipeline-target-spec';
import { probeVector, type VersionProbe } from './version-probe';

const CLIENT_VERSION: string = require('@google-cloud/aiplatform/package.json').version;

export class VertexVersionProbe implements VersionProbe {
  readonly client: string;
  readonly url: string;
  private readonly match: Aiplatform.v1.MatchServiceClient;
  private readonly vector: number[];

  constructor(
    private readonly spec: VertexSearchStore,
    dimensions: number,
    private readonly timeoutMs: number,
  ) {
    const aiplatform = require('@google-cloud/aiplatform') as typeof Aiplatform;
    const url = new URL(spec.matchUrl);
    this.match = new aiplatform.v1.MatchServiceClient(aiplatformClientOptions(url));
    this.client = `@google-cloud/aiplatform ${CLIENT_VERSION} (MatchServiceClient.findNeighbors${url.protocol === 'grpc:' ? ', gRPC' : ', REST fallback'})`;
    this.url = url.origin === 'null' ? spec.matchUrl : url.origin;
    this.vector = probeVector(dimensions);
  }

  async warmUp(): Promise<void> {
    await this.match.initialize();
    await this.searchableVersion('loadtest-warm-up');
  }

  async searchableVersion(documentId: string): Promise<number | undefined> {
    const [response] = await this.match.findNeighbors(
      {
        indexEndpoint: this.spec.indexEndpoint,
        deployedIndexId: this.spec.deployedIndexId,
        returnFullDatapoint: true,
        queries: [
          {
            datapoint: {
              datapointId: 'loadtest-probe',
              featureVector: this.vector,
              restricts: [{ namespace: DOCUMENT_ID_RESTRICT, allowList: [documentId] }, { ...TOMBSTONE_DENY_RESTRICT }],
            },
            neighborCount: 1,
          },
        ],
      },
      { timeout: this.timeoutMs + 1000 },
    );
    const neighbor = response.nearestNeighbors?.[0]?.neighbors?.find((n) => n.datapoint?.datapointId === documentId);
    if (!neighbor) return undefined;
    const version = neighbor.datapoint?.numericRestricts?.find((r) => r.namespace === VERSION_RESTRICT)?.valueInt;
    // int64 arrives as a string (REST) or a Long (gRPC); a datapoint loaded before the pipeline has none.
    return version === undefined || version === null ? 0 : Number(version.toString());
  }

  classify(error: unknown): ClassifiedError {
    return classifyGoogleError(error);
  }

  async close(): Promise<void> {
    await this.match.close();
  }
}
