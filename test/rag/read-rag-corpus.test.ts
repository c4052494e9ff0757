/** The RAG load test reads a corpus directory through the shared corpus reader; bad files are its own input errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus, writeCorpus } from '../../load-tests/corpus';
import { readRagCorpus } from '../../load-tests/targets/rag/read-rag-corpus';

describe('readRagCorpus', () => {
  const corpus = generateCorpus({ documents: 50, queries: 5, k: 3, seed: 1, dimensions: 16, metric: 'cosine' });
  const dir = mkdtempSync(join(tmpdir(), 'rag-corpus-'));
  writeCorpus(corpus, dir, { name: 'news', environment: 'dev' });

  it('reads each query\'s text and ground truth and each document\'s headline and passage', () => {
    const read = readRagCorpus(dir);
    expect(read.queries).toEqual(corpus.queries.map((q) => ({ text: q.text, neighbors: q.groundTruth })));
    const first = corpus.documents[0];
    expect(read.passages[first.id]).toBe(`${first.headline} ${first.passage}`);
  });

  it('fails with a RagInputError naming the file and line of a line that is not a JSON object', () => {
    const bad = mkdtempSync(join(tmpdir(), 'rag-corpus-bad-'));
    writeFileSync(join(bad, 'queries.jsonl'), '{"text": "a", "groundTruth": []}\n[1, 2]\n');
    expect(() => readRagCorpus(bad)).toThrow(expect.objectContaining({ name: 'RagInputError', message: `--corpus ${bad}: queries.jsonl line 2 is not a JSON object` }));
    expect(() => readRagCorpus(join(bad, 'missing'))).toThrow(/cannot read queries.jsonl \(ENOENT\)/);
  });
});
