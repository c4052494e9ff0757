/**
 * Loads a corpus into a Vertex AI Vector Search index with `IndexServiceClient.upsertDatapoints`
 * (`@google-cloud/aiplatform`, REST fallback): a stream-update index takes upserts by datapoint id,
 * so a reload replaces. Section and language become token restricts, the filters Vector Search
 * applies (https://cloud.google.com/vertex-ai/docs/vector-search/filtering).
 */
import type * as Aiplatform from '@google-cloud/aiplatform';
import { aiplatformClientOptions } from '../vertex-api/aiplatform-client-options';
import { CorpusLoadError, type CorpusLoader } from './corpus-loader';
import type { CorpusDocument } from './news-corpus';

/** Datapoints per upsert: 100 × 768 floats is about 1 MB of JSON. */
const DATAPOINTS_PER_UPSERT = 100;

export interface VertexListing {
  readonly index: string;
}

export class VertexCorpusLoader implements CorpusLoader {
  readonly engine = 'vertex';
  readonly target: string;
  private readonly client: Aiplatform.v1.IndexServiceClient;

  constructor(
    private readonly listing: VertexListing,
    emulatorUrl: string,
  ) {
    const { v1 } = require('@google-cloud/aiplatform') as typeof Aiplatform;
    this.client = new v1.IndexServiceClient(aiplatformClientOptions(emulatorUrl));
    this.target = `${emulatorUrl} ${listing.index}`;
  }

  async load(documents: readonly CorpusDocument[], onProgress?: (loaded: number) => void): Promise<void> {
    for (let i = 0; i < documents.length; i += DATAPOINTS_PER_UPSERT) {
      const batch = documents.slice(i, i + DATAPOINTS_PER_UPSERT);
      const datapoints = batch.map((d) => ({
        datapointId: d.id,
        featureVector: d.embedding as number[],
        restricts: [
          { namespace: 'section', allowList: [d.section] },
          { namespace: 'language', allowList: [d.language] },
        ],
      }));
      try {
        await this.client.upsertDatapoints({ index: this.listing.index, datapoints });
      } catch (e) {
        throw new CorpusLoadError(`${this.target}: ${(e as Error).message}`);
      }
      onProgress?.(i + batch.length);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
