/**
 * The embedder endpoint through `@aws-sdk/client-sagemaker-runtime` InvokeEndpoint. The client takes
 * its endpoint from the SDK's own configuration, so `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME` (or
 * `AWS_ENDPOINT_URL`) points it at the local endpoints without code changes.
 */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { Embedder } from '../ports';
import { embeddingRequest, embeddingsOf } from '../predictions';

export class SageMakerEmbedder implements Embedder {
  constructor(
    private readonly client: SageMakerRuntimeClient,
    private readonly endpointName: string,
    readonly maxBatchSize: number,
  ) {}

  async embed(texts: readonly string[]): Promise<number[][]> {
    const response = await this.client.send(
      new InvokeEndpointCommand({
        EndpointName: this.endpointName,
        ContentType: 'application/json',
        Accept: 'application/json',
        Body: Buffer.from(JSON.stringify(embeddingRequest(texts))),
      }),
    );
    const text = Buffer.from(response.Body ?? new Uint8Array()).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`endpoint ${this.endpointName} answered with a body that is not JSON: ${text.slice(0, 80)}`);
    }
    return embeddingsOf(json, texts.length);
  }
}
