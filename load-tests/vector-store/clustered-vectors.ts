/**
 * Seeded, topic-clustered unit vectors: a stand-in for a news corpus's embeddings until a real
 * corpus is loaded. Each topic is a random direction; a document is its topic's direction plus
 * Gaussian noise of the same overall size (about 45° off the topic), normalised; topics are
 * Zipf-sized, as a few stories dominate a news day. Queries are drawn the same way, so most of
 * a query's neighbours share its topic but are hard to tell apart from the rest of it.
 */
import { Random } from '../replica/random';

export interface ClusteredVectorSet {
  /** Documents and queries from the same topics. */
  draw(count: number, seed: number): Float32Array[];
}

const DEFAULT_TOPICS = 50;

export function clusteredVectorSet(dimensions: number, topics = DEFAULT_TOPICS, seed = 1): ClusteredVectorSet {
  const random = new Random(seed);
  const centres = Array.from({ length: topics }, () => Float32Array.from({ length: dimensions }, () => random.normal()));
  // Zipf weights 1/rank: cumulative, for picking a topic by one uniform draw.
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= topics; rank++) cumulative.push((total += 1 / rank));
  return {
    draw(count, drawSeed) {
      const r = new Random(drawSeed);
      return Array.from({ length: count }, () => {
        const pick = r.uniform() * total;
        const topic = cumulative.findIndex((c) => pick < c);
        const centre = centres[topic < 0 ? topics - 1 : topic];
        return normalised(Float32Array.from(centre, (x) => x + r.normal()));
      });
    },
  };
}

function normalised(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const v of vector) norm += v * v;
  const scale = norm === 0 ? 1 : 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] *= scale;
  return vector;
}
