/**
 * The retrieval path on AWS: SageMaker `InvokeEndpoint` for the embedder and the reranker
 * (`@aws-sdk/client-sagemaker-runtime`), OpenSearch Serverless k-NN search through
 * `@opensearch-project/opensearch` signed with SigV4 for the `aoss` service
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-clients.html).
 * Retries are off in both clients: retries, when asked for, are the generator's, counted.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { classifyAwsError, classifyOpenSearchError, type ClassifiedError } from '../error-classification';
import { LOCAL_AWS_CREDENTIALS, targetAwsClientConfig } from '../aws-client-config';
import { isLoopbackUrl } from '../loopback';
import { embeddingOf, rankingOf, type RagStage, type RagStages } from './rag-stages';
import type { AwsRagSpec } from './rag-target-spec';

const SAGEMAKER_VERSION: string = require('@aws-sdk/client-sagemaker-runtime/package.json').version;
const OPENSEARCH_VERSION: string = require('@opensearch-project/opensearch/package.json').version;

/** Credentials for the local endpoints: the clients sign as they would in the cloud, with nothing secret. */

export class AwsRagStages implements RagStages {
  readonly client = `@aws-sdk/client-sagemaker-runtime ${SAGEMAKER_VERSION}, @opensearch-project/opensearch ${OPENSEARCH_VERSION} (SigV4, aoss)`;
  readonly url: string;
  private readonly sagemaker: SageMakerRuntimeClient;
  private readonly opensearch: Client;

  constructor(private readonly spec: AwsRagSpec) {
    this.sagemaker = new SageMakerRuntimeClient(targetAwsClientConfig(spec.region, spec.sagemakerUrl, spec.maxSockets));
    const localSearch = isLoopbackUrl(spec.opensearchUrl);
    const credentials = localSearch ? async () => LOCAL_AWS_CREDENTIALS : defaultProvider();
    this.opensearch = new Client({
      ...AwsSigv4Signer({ region: spec.region, service: 'aoss', getCredentials: credentials }),
      node: spec.opensearchUrl,
      maxRetries: 0,
      requestTimeout: spec.timeoutMs + 1000,
      agent: { keepAlive: true, maxSockets: spec.maxSockets },
    });
    this.url = spec.opensearchUrl;
  }

  async warmUp(): Promise<void> {
    await this.sagemaker.config.credentials();
  }

  async embed(text: string): Promise<Float32Array> {
    const [prediction] = await this.invoke(this.spec.embedderEndpoint, { instances: [text] });
    return embeddingOf(prediction);
  }

  async search(vector: Float32Array, k: number): Promise<string[]> {
    const { vectorField, idField, efSearch } = this.spec;
    const response = await this.opensearch.search({
      index: this.spec.index,
      body: {
        size: k,
        _source: [idField],
        query: { knn: { [vectorField]: { vector: Array.from(vector), k, ...(efSearch ? { method_parameters: { ef_search: efSearch } } : {}) } } },
      },
    });
    const hits = (response.body as { hits?: { hits?: { _source?: Record<string, unknown> }[] } }).hits?.hits ?? [];
    return hits.map((hit) => String(hit._source?.[idField]));
  }

  async rerank(query: string, passages: readonly string[]): Promise<number[]> {
    const [prediction] = await this.invoke(this.spec.rerankerEndpoint, { instances: [{ query, documents: passages }] });
    return rankingOf(prediction);
  }

  classify(stage: RagStage, error: unknown): ClassifiedError {
    return stage === 'search' ? classifyOpenSearchError(error) : classifyAwsError(error);
  }

  async close(): Promise<void> {
    this.sagemaker.destroy();
    await this.opensearch.close();
  }

  private async invoke(endpointName: string, body: unknown): Promise<unknown[]> {
    const response = await this.sagemaker.send(
      new InvokeEndpointCommand({ EndpointName: endpointName, Body: Buffer.from(JSON.stringify(body)), ContentType: 'application/json', Accept: 'application/json' }),
    );
    const parsed = JSON.parse(Buffer.from(response.Body ?? []).toString('utf8')) as { predictions?: unknown[] };
    return parsed.predictions ?? [];
  }
}
