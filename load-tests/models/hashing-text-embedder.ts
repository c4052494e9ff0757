/**
 * A hashing text embedder: signed feature hashing of word unigrams and bigrams into a fixed
 * number of dimensions, L2-normalised (Weinberger et al., "Feature Hashing for Large Scale
 * Multitask Learning", 2009). No vocabulary, no training: texts that share words land close
 * together under cosine similarity, which is what a retrieval pipeline needs from an embedder.
 */
import { hashString } from '../replica/random';
import { distance } from '../vector-store/vector-distance';

/** Bigrams carry phrase information but count half as much as single words. */
const BIGRAM_WEIGHT = 0.5;

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export class HashingTextEmbedder {
  constructor(readonly dimensions: number) {
    if (!Number.isInteger(dimensions) || dimensions < 2) throw new Error(`embedding dimensions must be an integer >= 2, got ${dimensions}`);
  }

  embed(text: string): Float64Array {
    const vector = new Float64Array(this.dimensions);
    const tokens = tokenize(text);
    for (let i = 0; i < tokens.length; i++) {
      this.add(vector, tokens[i], 1);
      if (i > 0) this.add(vector, `${tokens[i - 1]} ${tokens[i]}`, BIGRAM_WEIGHT);
    }
    let norm = 0;
    for (const v of vector) norm += v * v;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < vector.length; i++) vector[i] *= scale;
    }
    return vector;
  }

  private add(vector: Float64Array, feature: string, weight: number): void {
    const h = hashString(feature);
    // A second, independent hash picks the sign, so collisions cancel out on average.
    const sign = hashString(feature, 0x9747b28c) & 1 ? 1 : -1;
    vector[h % this.dimensions] += sign * weight;
  }
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return 1 - distance('cosine', a, b);
}
