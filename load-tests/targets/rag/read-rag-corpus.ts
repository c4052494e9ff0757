/**
 * The queries and passages of a RAG run, from a corpus directory (load-tests/CORPUS-FORMAT.md):
 * each query's text and exact ground truth, each document's passage for the reranker.
 */
import { readCorpusJsonLines } from '../../corpus/corpus-json-lines';
import { RagInputError } from './rag-input-error';
import type { RagCorpus } from './plan-rag-target';
import type { RagQuery } from './rag-target-spec';

export function readRagCorpus(dir: string): RagCorpus {
  const queries: RagQuery[] = jsonLines(dir, 'queries.jsonl').map((q, i) => {
    if (typeof q.text !== 'string' || !Array.isArray(q.groundTruth)) throw new RagInputError(`--corpus ${dir}: queries.jsonl line ${i + 1} needs "text" and "groundTruth"`);
    return { text: q.text, neighbors: q.groundTruth.map(String) };
  });
  const passages: Record<string, string> = {};
  jsonLines(dir, 'documents.jsonl').forEach((d, i) => {
    if (typeof d.id !== 'string' || typeof d.passage !== 'string') throw new RagInputError(`--corpus ${dir}: documents.jsonl line ${i + 1} needs "id" and "passage"`);
    passages[d.id] = `${typeof d.headline === 'string' ? `${d.headline} ` : ''}${d.passage}`;
  });
  return { queries, passages };
}

function jsonLines(dir: string, name: string): Record<string, unknown>[] {
  return readCorpusJsonLines(dir, name, (message) => new RagInputError(message));
}
