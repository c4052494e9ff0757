/**
 * Realistic request bodies for each model kind, generated from a seed: candidate batches with
 * engagement features for the ranker, news headlines for the embedder, a query with candidate
 * passages for the reranker. The generator builds a small set once, before the run, and cycles it.
 */
import { Random } from '../replica/random';
import type { ModelKind } from './endpoint-model';
import { NEWS_TOPIC_NAMES, NEWS_TOPICS, newsHeadline, pick } from './news-text';

export interface PredictPayload {
  readonly instances: unknown[];
  readonly parameters?: Record<string, unknown>;
}

/** Instances per request when none is asked for: a ranking call scores a page of candidates. */
export const DEFAULT_BATCH: Readonly<Record<ModelKind, number>> = { ranker: 20, embedder: 1, reranker: 1 };

/** Candidate passages per reranking instance. */
const RERANK_CANDIDATES = 10;

export function samplePayloads(kind: ModelKind, options: { count?: number; batch?: number; seed?: number } = {}): PredictPayload[] {
  const random = new Random(options.seed ?? 1);
  const batch = options.batch ?? DEFAULT_BATCH[kind];
  const count = options.count ?? 32;
  const payloads: PredictPayload[] = [];
  for (let p = 0; p < count; p++) {
    const instances: unknown[] = [];
    for (let i = 0; i < batch; i++) instances.push(instanceFor(kind, random));
    payloads.push({ instances });
  }
  return payloads;
}

function instanceFor(kind: ModelKind, random: Random): unknown {
  switch (kind) {
    case 'ranker':
      return { features: rankerFeatures(random) };
    case 'embedder':
      return { text: newsHeadline(pick(random, NEWS_TOPIC_NAMES), random) };
    case 'reranker': {
      const topic = pick(random, NEWS_TOPIC_NAMES);
      const query = Array.from({ length: 3 }, () => pick(random, NEWS_TOPICS[topic])).join(' ');
      const documents = Array.from({ length: RERANK_CANDIDATES }, (_, i) =>
        newsHeadline(i < 3 ? topic : pick(random, NEWS_TOPIC_NAMES), random),
      );
      return { query, documents: shuffle(documents, random) };
    }
  }
}

/** One candidate, in LinearRanker's feature order. */
function rankerFeatures(random: Random): number[] {
  const age = random.uniform() * 48;
  const bern = (p: number) => (random.uniform() < p ? 1 : 0);
  const values = [
    random.uniform() * 0.15, // ctr_7d
    random.uniform() * 0.2, // ctr_1d
    age, // age_hours
    random.uniform(), // topic_affinity
    0.3 + 0.7 * random.uniform(), // source_quality
    random.uniform(), // dwell_time
    bern(0.05), // is_breaking
    bern(0.1), // follows_author
    random.uniform() * 12, // popularity_log
    bern(0.3), // geo_match
    random.uniform(), // length_norm
    bern(0.2), // has_video
    bern(0.15), // seen_before
    bern(0.02), // negative_feedback
    Math.exp(-age / 12), // freshness
    random.uniform(), // author_affinity
  ];
  return values.map((v) => Math.round(v * 1e4) / 1e4);
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
