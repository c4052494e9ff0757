/**
 * The k-NN probe on OpenSearch Serverless, through `@opensearch-project/opensearch` signed with SigV4
 * for `aoss`: a `knn` query with a `filter` on the document id field (efficient filtering of the
 * Faiss engine the index uses, https://docs.opensearch.org/latest/vector-search/filter-search-knn/).
 * Several hits are asked for: while the writer replaces a document, its old and new copies can both
 * be searchable for a moment, and the newest counts.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { VERSION_FIELD } from '../../../pipelines/embedding-refresh/writers/opensearch-vector-writer';
import { classifyOpenSearchError, type ClassifiedError } from '../error-classification';
import { LOCAL_AWS_CREDENTIALS } from '../aws-client-config';
import { isLoopbackUrl } from '../loopback';
import type { OpenSearchSearchStore } from './pipeline-target-spec';
import { probeVector, type VersionProbe } from './version-probe';

const OPENSEARCH_VERSION: string = require('@opensearch-project/opensearch/package.json').version;
/** Copies of one document a probe reads at most. */
const MAX_COPIES = 10;

export class OpenSearchVersionProbe implements VersionProbe {
  readonly client = `@opensearch-project/opensearch ${OPENSEARCH_VERSION} (SigV4, aoss)`;
  readonly url: string;
  private readonly opensearch: Client;
  private readonly vector: number[];

  constructor(
    private readonly spec: OpenSearchSearchStore,
    dimensions: number,
    maxSockets: number,
    timeoutMs: number,
  ) {
    const credentials = isLoopbackUrl(spec.url) ? async () => LOCAL_AWS_CREDENTIALS : defaultProvider();
    this.opensearch = new Client({
      ...AwsSigv4Signer({ region: spec.region, service: 'aoss', getCredentials: credentials }),
      node: spec.url,
      maxRetries: 0,
      requestTimeout: timeoutMs + 1000,
      agent: { keepAlive: true, maxSockets },
    });
    this.vector = probeVector(dimensions);
    this.url = spec.url;
  }

  async warmUp(): Promise<void> {
    await this.searchableVersion('loadtest-warm-up');
  }

  async searchableVersion(documentId: string): Promise<number | undefined> {
    const { vectorField, idField } = this.spec;
    const response = await this.opensearch.search({
      index: this.spec.index,
      body: {
        size: MAX_COPIES,
        _source: [idField, VERSION_FIELD],
        query: { knn: { [vectorField]: { vector: this.vector, k: MAX_COPIES, filter: { term: { [idField]: documentId } } } } },
      },
    });
    const hits = (response.body as { hits?: { hits?: { _source?: Record<string, unknown> }[] } }).hits?.hits ?? [];
    const versions = hits.filter((h) => h._source?.[idField] === documentId).map((h) => Number(h._source?.[VERSION_FIELD] ?? 0));
    return versions.length ? Math.max(...versions) : undefined;
  }

  classify(error: unknown): ClassifiedError {
    return classifyOpenSearchError(error);
  }

  async close(): Promise<void> {
    await this.opensearch.close();
  }
}
