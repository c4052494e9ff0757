/**
 * Loads a corpus into an OpenSearch Serverless vector collection with `@opensearch-project/opensearch`:
 * `_bulk` index actions without `_id` (vector collections generate ids and refuse custom ones:
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-vector-search.html),
 * each document carrying its own id field; a document already stored under an id is deleted by
 * query first, so a reload replaces instead of duplicating.
 */
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { CorpusLoadError, type CorpusLoader } from './corpus-loader';
import { metadataOf } from './corpus-metadata';
import type { CorpusDocument } from './news-corpus';

/** Documents per `_bulk`: a 768-d batch of 500 is about 7.5 MB, within the 10 MB request limit of the local store and the service. */
const DOCUMENTS_PER_BULK = 500;

export interface OpenSearchListing {
  readonly url: string;
  readonly index: string;
  readonly field: string;
  readonly idField: string;
}

export class OpenSearchCorpusLoader implements CorpusLoader {
  readonly engine = 'opensearch';
  readonly target: string;
  private readonly client: Client;

  constructor(
    private readonly listing: OpenSearchListing,
    region: string,
  ) {
    // Signed as the cloud wants it; the local collection checks the signature's service, not the key.
    this.client = new Client({
      ...AwsSigv4Signer({ region, service: 'aoss', getCredentials: async () => ({ accessKeyId: 'local', secretAccessKey: 'local' }) }),
      node: listing.url,
      maxRetries: 0,
    });
    this.target = `${listing.url} index ${listing.index}`;
  }

  async load(documents: readonly CorpusDocument[], onProgress?: (loaded: number) => void): Promise<void> {
    const { index, field, idField } = this.listing;
    for (let i = 0; i < documents.length; i += DOCUMENTS_PER_BULK) {
      const batch = documents.slice(i, i + DOCUMENTS_PER_BULK);
      await this.call(() => this.client.deleteByQuery({ index, body: { query: { terms: { [idField]: batch.map((d) => d.id) } } } }));
      const body = batch.flatMap((d) => [{ index: { _index: index } }, { [idField]: d.id, [field]: d.embedding, ...metadataOf(d) }]);
      const response = await this.call(() => this.client.bulk({ body }));
      const result = response.body as { errors?: boolean; items?: { index?: { error?: { type: string; reason: string } } }[] };
      const failed = result.items?.find((item) => item.index?.error)?.index?.error;
      if (result.errors && failed) throw new CorpusLoadError(`${this.target}: ${failed.type}: ${failed.reason}`);
      onProgress?.(i + batch.length);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      const meta = (e as { meta?: { body?: { error?: { type?: string; reason?: string } } } }).meta;
      const error = meta?.body?.error;
      throw new CorpusLoadError(`${this.target}: ${error?.type ? `${error.type}: ${error.reason}` : (e as Error).message}`);
    }
  }
}
