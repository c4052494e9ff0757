/** The three calls of the retrieval path on one cloud, each through that cloud's official client. */
import type { ClassifiedError } from '../error-classification';

export interface RagStages {
  /** The client libraries doing the calls, with their versions. */
  readonly client: string;
  /** Where the calls go (the search store's address). */
  readonly url: string;
  warmUp(): Promise<void>;
  embed(text: string): Promise<Float32Array>;
  /** Document ids of the k nearest neighbours, closest first. */
  search(vector: Float32Array, k: number): Promise<string[]>;
  /** Candidate indices, best first. */
  rerank(query: string, passages: readonly string[]): Promise<number[]>;
  /** The failure in the generator's error classes, by the stage's own client. */
  classify(stage: RagStage, error: unknown): ClassifiedError;
  close(): Promise<void>;
}

export const RAG_STAGES = ['embed', 'search', 'rerank'] as const;
export type RagStage = (typeof RAG_STAGES)[number];

/** The first `embedding` of a model answer, checked: a malformed answer is the model's error, not ours. */
export function embeddingOf(prediction: unknown): Float32Array {
  const embedding = (prediction as { embedding?: unknown } | undefined)?.embedding;
  if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === 'number')) {
    throw new MalformedAnswerError(`embedder answered ${JSON.stringify(prediction)?.slice(0, 200)}, expected {"embedding": [numbers]}`);
  }
  return Float32Array.from(embedding);
}

export function rankingOf(prediction: unknown): number[] {
  const ranking = (prediction as { ranking?: unknown } | undefined)?.ranking;
  if (!Array.isArray(ranking) || !ranking.every((x) => Number.isInteger(x))) {
    throw new MalformedAnswerError(`reranker answered ${JSON.stringify(prediction)?.slice(0, 200)}, expected {"ranking": [indices]}`);
  }
  return ranking as number[];
}

/** A stage answered 2xx with a body the next stage cannot use. */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswer';
}
