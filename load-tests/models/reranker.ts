/**
 * A reranker: scores each candidate document against the query by cosine similarity of their
 * hashing embeddings, and returns the scores with the candidates' order, best first. It stands
 * in for a cross-encoder: same inputs and outputs, meaningful order.
 */
import { cosineSimilarity, type HashingTextEmbedder } from './hashing-text-embedder';

export interface Reranking {
  readonly scores: number[];
  /** Candidate indices, best first. */
  readonly ranking: number[];
}

export class Reranker {
  constructor(private readonly embedder: HashingTextEmbedder) {}

  rerank(query: string, documents: readonly string[]): Reranking {
    const q = this.embedder.embed(query);
    const scores = documents.map((d) => cosineSimilarity(q, this.embedder.embed(d)));
    const ranking = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
    return { scores, ranking };
  }
}
