/**
 * Recall@10 of the local HNSW index at the topology's default settings on 10,000 vectors of the
 * dev preset's dimensions (issue 13: at least 0.9). Building the index is the slow part (seconds
 * to a minute on a loaded machine); the assertion is on recall, never on time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { vectorStoreSchema } from '../../constructs';
import { recallAtK } from '../../load-tests/vector-store';
import { devVectorStore, loadRecallCorpus, RECALL_DOCUMENTS, type RecallCorpus } from '../support/recall-corpus';

describe('HNSW recall at the default settings', () => {
  let corpus: RecallCorpus;
  beforeAll(() => {
    corpus = loadRecallCorpus('opensearch');
  }, 600_000);

  it('uses the schema defaults for the index settings', () => {
    expect(devVectorStore().index).toEqual(vectorStoreSchema.parse({ dimensions: 768 }).index);
    expect(corpus.approximate.size).toBe(RECALL_DOCUMENTS);
  });

  it('finds at least 0.9 of the exact top 10', () => {
    const recall = recallAtK(corpus.approximate, corpus.exact, corpus.queries, 10);
    process.stdout.write(`${corpus.approximate.kind}: recall@10 ${recall.toFixed(3)} on ${RECALL_DOCUMENTS} vectors\n`);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});
