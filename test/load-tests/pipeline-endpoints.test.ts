/**
 * Where `loadtest --target pipeline` finds a deployed pipeline: the queue and store outputs of `cdk
 * deploy --outputs-file` and of `pulumi stack output --json`, under the names the stacks give them
 * (aws/serving-stack.ts, bin/gcp.ts); what is missing makes a plan error naming the flag.
 */
import { describe, expect, it } from 'vitest';
import { parseTopology, presetInput, resolveTopology } from '../../constructs';
import { pipelineEndpointsFromOutputs } from '../../load-tests/targets/pipeline/find-pipeline-endpoints';
import { planPipelineTarget } from '../../load-tests/targets/pipeline/plan-pipeline-target';

const input = presetInput('dev');
input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder' } };
const topology = resolveTopology(parseTopology(input));

describe('pipeline endpoints from stack outputs', () => {
  it('aws: the queue outputs named after the queue, and the collection', () => {
    const outputs = {
      'news-dev-network': { VpcId: 'vpc-1' },
      'news-dev-serving': {
        EmbeddingRefreshQueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q.fifo',
        EmbeddingRefreshDeadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q-dlq.fifo',
        AsyncInferenceQueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/a',
        VectorCollectionEndpoint: 'https://abc.us-east-1.aoss.amazonaws.com',
        VectorIndexName: 'news-dev-abc',
      },
    };
    const found = pipelineEndpointsFromOutputs(outputs, 'aws', topology, 'cdk-outputs.json');
    expect(found.queues.aws).toEqual({ kind: 'sqs', region: topology.regions.aws, queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q.fifo', deadLetterUrl: 'https://sqs.us-east-1.amazonaws.com/1/q-dlq.fifo' });
    expect(found.stores.aws).toMatchObject({ kind: 'opensearch', url: 'https://abc.us-east-1.aoss.amazonaws.com', index: 'news-dev-abc', idField: 'id' });
    const errors: string[] = [];
    const spec = planPipelineTarget({ cloud: 'aws', seed: 1, endpoints: found }, topology, 64, 60_000, errors);
    expect(errors).toEqual([]);
    expect(spec).toMatchObject({ kind: 'pipeline', cloud: 'aws', queueName: 'embedding-refresh', documentCount: 100 });
  });

  it('gcp: queues.<name>.topic and the PSC address of the index endpoint', () => {
    const outputs = {
      queues: { 'embedding-refresh': { topic: 'projects/p/topics/t', subscription: 'projects/p/subscriptions/s', deadLetterSubscription: 'projects/p/subscriptions/s-dlq' } },
      vectorStore: { engine: 'managed', indexEndpoint: 'projects/p/locations/europe-west1/indexEndpoints/9', deployedIndexId: 'news_dev', address: '10.0.0.7' },
    };
    const found = pipelineEndpointsFromOutputs(outputs, 'gcp', topology, 'outputs.json');
    expect(found.queues.gcp).toEqual({ kind: 'pubsub', topic: 'projects/p/topics/t', deadLetterSubscription: 'projects/p/subscriptions/s-dlq' });
    expect(found.stores.gcp).toEqual({ kind: 'vertex', matchUrl: 'grpc://10.0.0.7:10000', indexEndpoint: 'projects/p/locations/europe-west1/indexEndpoints/9', deployedIndexId: 'news_dev' });
  });

  it('fails when the outputs lack the queue or the managed store, naming the flag', () => {
    const found = pipelineEndpointsFromOutputs({ queues: { other: { topic: 'projects/p/topics/o' } }, vectorStore: { engine: 'pgvector', address: '10.0.0.8' } }, 'gcp', topology, 'outputs.json');
    const errors: string[] = [];
    expect(planPipelineTarget({ cloud: 'gcp', seed: 1, endpoints: found }, topology, 64, 60_000, errors)).toBeUndefined();
    expect(errors).toEqual([
      '--stack-outputs outputs.json: no source queue "embedding-refresh" for gcp (queues in the outputs: other)',
      '--stack-outputs outputs.json: no managed vector store for gcp (vectorStore.indexEndpoint, .deployedIndexId and .address); a deployed pgvector store is not load-tested (it needs database credentials)',
    ]);
  });
});
