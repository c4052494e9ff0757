/** The RAG target's own logic over in-memory stages: order of calls, recall against ground truth, failures named by stage. */
import { describe, expect, it } from 'vitest';
import type { RagStages } from '../../load-tests/targets/rag/rag-stages';
import { RagTarget } from '../../load-tests/targets/rag/rag-target';
import type { AwsRagSpec } from '../../load-tests/targets/rag/rag-target-spec';
import type { CallOutcome } from '../../load-tests/targets/target';

const spec: AwsRagSpec = {
  kind: 'rag',
  cloud: 'aws',
  k: 3,
  queries: [
    { text: 'storm warning', neighbors: ['d1', 'd2', 'd3', 'd4'] },
    { text: 'election night', neighbors: ['d7', 'd8', 'd9'] },
  ],
  passages: { d1: 'storm hits coast', d2: 'warning issued', d9: 'votes counted', d5: 'other' },
  maxSockets: 4,
  timeoutMs: 1000,
  region: 'eu-west-1',
  embedderEndpoint: 'news-dev-embedder',
  rerankerEndpoint: 'news-dev-reranker',
  opensearchUrl: 'http://127.0.0.1:1',
  index: 'embeddings',
  vectorField: 'embedding',
  idField: 'id',
};

function stages(log: string[], fail?: 'embed' | 'search' | 'rerank'): RagStages {
  const step = async <T>(name: string, value: T) => {
    log.push(name);
    if (name === fail) throw Object.assign(new Error('boom'), { name: 'ResponseError', meta: { statusCode: 404, body: { error: { type: 'index_not_found_exception' } } } });
    return value;
  };
  return {
    client: 'fake',
    url: 'http://127.0.0.1:1',
    warmUp: async () => undefined,
    embed: (text) => step('embed', Float32Array.from([text.length, 1])),
    // Finds two of the first query's three true neighbours, and d5 which is not one.
    search: (_vector, k) => step('search', ['d1', 'd5', 'd3', 'd9'].slice(0, k)),
    rerank: (_query, passages) => step(`rerank:${passages.join('|')}`, passages.map((_, i) => i)),
    classify: (stage, error) => ({ errorClass: stage === 'search' ? 'other4xx' : 'server5xx', name: (error as { meta: { body: { error: { type: string } } } }).meta.body.error.type }),
    close: async () => undefined,
  };
}

const send = (target: RagTarget, i: number) => new Promise<CallOutcome>((resolve) => target.send(i, resolve));

describe('RAG target', () => {
  it('embeds, searches k, reranks the candidates\' passages, and scores recall@k against the first k true neighbours', async () => {
    const log: string[] = [];
    const outcome = await send(new RagTarget(spec, stages(log)), 0);
    expect(log).toEqual(['embed', 'search', 'rerank:storm hits coast|other|']);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.detail?.recall).toEqual({ found: 2, expected: 3 });
    expect(Object.keys(outcome.detail?.stagesMs ?? {})).toEqual(['embed', 'search', 'rerank']);
    const second = await send(new RagTarget(spec, stages([])), 1);
    expect(second.ok && second.detail?.recall).toEqual({ found: 0, expected: 3 });
  });

  it('names the stage that failed and stops there', async () => {
    const log: string[] = [];
    const outcome = await send(new RagTarget(spec, stages(log, 'search')), 0);
    expect(log).toEqual(['embed', 'search']);
    expect(outcome).toEqual({ ok: false, error: { errorClass: 'other4xx', name: 'search: index_not_found_exception' } });
  });

  it('describes the whole path as its endpoint', () => {
    const target = new RagTarget(spec, stages([]));
    expect(target.description).toMatchObject({ kind: 'rag', endpoint: 'news-dev-embedder → embeddings → news-dev-reranker', region: 'eu-west-1' });
  });
});
