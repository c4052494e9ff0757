/**
 * Lambda entry of the vector-index custom resource: the CDK provider framework invokes it with the
 * CloudFormation event and sends its answer (or its error) back to CloudFormation. It runs in the
 * serving VPC's private subnets, because the collection accepts requests only through its VPC
 * endpoint, and signs with the function role's credentials, which the data access policy names.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { OpenSearchIndexApi } from './opensearch-index-api';
import type { VectorIndexEvent, VectorIndexResult } from './vector-index-event';
import { handleVectorIndexEvent } from './vector-index-lifecycle';

/** Time kept back from the Lambda timeout to report the last error instead of being cut off. */
const DEADLINE_MARGIN_MS = 20_000;

interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

export async function handler(event: VectorIndexEvent, context: LambdaContext): Promise<VectorIndexResult> {
  const region = process.env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set: the Lambda runtime sets it');
  const credentials = defaultProvider();
  const clients: OpenSearchIndexApi[] = [];
  try {
    return await handleVectorIndexEvent(event, {
      apiFor: (endpoint) => {
        const api = new OpenSearchIndexApi({ endpoint, region, credentials });
        clients.push(api);
        return api;
      },
      deadline: Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      log: (entry) => console.log(JSON.stringify({ requestType: event.RequestType, ...entry })),
    });
  } finally {
    for (const api of clients) api.destroy();
  }
}
