import { describe, expect, it } from 'vitest';
import { parseTopology, presetInput, resolveTopology, TopologyError, type TopologyInput } from '../../constructs';

function withPipeline(pipeline: Record<string, unknown>, change: (t: TopologyInput) => void = () => {}): TopologyInput {
  const input = presetInput('dev');
  input.pipelines = { embeddingRefresh: { sourceQueue: 'embedding-refresh', embedder: 'embedder', ...pipeline } as never };
  change(input);
  return input;
}

function messagesOf(input: TopologyInput): string[] {
  try {
    parseTopology(input, 'test');
  } catch (e) {
    if (e instanceof TopologyError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a TopologyError');
}

describe('pipelines.embeddingRefresh', () => {
  it('applies defaults and resolves the worker with the source queue\'s delivery attempts', () => {
    const resolved = resolveTopology(parseTopology(withPipeline({}), 'test'));
    expect(resolved.pipelines.embeddingRefresh).toMatchObject({
      sourceQueue: 'embedding-refresh',
      embedder: 'embedder',
      batchSize: 10,
      concurrency: 5,
      timeoutSeconds: 30,
      maxDeliveryAttempts: 5,
      maxLatencySeconds: 60,
      messageFormatVersion: 1,
      vectorEngine: 'managed',
      gcp: { functionName: 'news-dev-embedding-refresh' },
    });
  });

  it('notes that GCP pushes one message per request where the batch size is above one', () => {
    const notes = (batchSize: number) => resolveTopology(parseTopology(withPipeline({ batchSize }), 'test')).parity.filter((n) => n.path.startsWith('pipelines.'));
    expect(notes(10)).toEqual([expect.objectContaining({ path: 'pipelines.embeddingRefresh.batchSize', cloud: 'gcp', realisedAs: expect.stringContaining('10 requests at once') })]);
    expect(notes(1)).toEqual([]);
  });

  it('makes the source queue ordered: FIFO names on SQS, other queues unchanged', () => {
    const resolved = resolveTopology(parseTopology(withPipeline({}), 'test'));
    const source = resolved.queues.find((q) => q.name === 'embedding-refresh');
    const other = resolved.queues.find((q) => q.name === 'async-inference');
    expect(source).toMatchObject({ ordered: true, aws: { queueName: 'news-dev-embedding-refresh.fifo', deadLetterQueueName: 'news-dev-embedding-refresh-dlq.fifo' } });
    expect(other).toMatchObject({ ordered: false, aws: { queueName: 'news-dev-async-inference' } });
  });

  it('has no pipeline when the section is unset', () => {
    const input = presetInput('dev');
    delete input.pipelines;
    expect(resolveTopology(parseTopology(input, 'test')).pipelines).toEqual({});
  });

  it('fails when the references do not hold, naming the field, the bad value and what is allowed', () => {
    expect(messagesOf(withPipeline({ sourceQueue: 'nope', embedder: 'ghost' }))).toEqual([
      'pipelines.embeddingRefresh.sourceQueue: no queue named "nope"; allowed: embedding-refresh, async-inference',
      'pipelines.embeddingRefresh.embedder: no endpoint named "ghost"; allowed: ranker, embedder, reranker',
    ]);
  });

  it('fails when the source queue has another purpose, the embedder is async or there is no vector store', () => {
    const messages = messagesOf(
      withPipeline({ sourceQueue: 'async-inference', embedder: 'embedder' }, (t) => {
        delete t.vectorStore;
      }),
    );
    expect(messages).toContain(
      'pipelines.embeddingRefresh.sourceQueue: queue "async-inference" has purpose async-inference; the pipeline reads a queue with purpose embedding-refresh',
    );
    expect(messages).toContain('pipelines.embeddingRefresh: the pipeline writes into the vector store, and the topology has none: add vectorStore');
  });

  it('fails when the queue\'s ack timeout is shorter than six function timeouts', () => {
    expect(messagesOf(withPipeline({ timeoutSeconds: 60 }))).toEqual([
      'pipelines.embeddingRefresh.timeoutSeconds: 60 s needs queue "embedding-refresh" ackTimeoutSeconds >= 360 (6 × timeout), got 300; lower timeoutSeconds to at most 50 or raise the queue\'s ackTimeoutSeconds',
    ]);
  });

  it('fails on a batch larger than a FIFO event source takes and an unknown format version', () => {
    const messages = messagesOf(withPipeline({ batchSize: 11, messageFormatVersion: 2 }));
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^pipelines\.embeddingRefresh\.batchSize: .*10/);
    expect(messages[1]).toMatch(/^pipelines\.embeddingRefresh\.messageFormatVersion: /);
  });
});
