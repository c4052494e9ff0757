/**
 * The news ranker: a logistic model over sixteen engagement and freshness features, the shape
 * of a classical CPU ranking model (the bundled topology serves XGBoost on CPU). Weights are
 * set by hand to read sensibly: engagement and affinity raise the score, age and fatigue lower it.
 */
export const RANKER_FEATURES = [
  'ctr_7d',
  'ctr_1d',
  'age_hours',
  'topic_affinity',
  'source_quality',
  'dwell_time',
  'is_breaking',
  'follows_author',
  'popularity_log',
  'geo_match',
  'length_norm',
  'has_video',
  'seen_before',
  'negative_feedback',
  'freshness',
  'author_affinity',
] as const;

const WEIGHTS: Readonly<Record<(typeof RANKER_FEATURES)[number], number>> = {
  ctr_7d: 2.1,
  ctr_1d: 2.8,
  age_hours: -0.08,
  topic_affinity: 1.6,
  source_quality: 0.9,
  dwell_time: 1.1,
  is_breaking: 0.7,
  follows_author: 0.8,
  popularity_log: 0.35,
  geo_match: 0.4,
  length_norm: -0.2,
  has_video: 0.15,
  seen_before: -1.4,
  negative_feedback: -2.5,
  freshness: 1.2,
  author_affinity: 0.6,
};

const BIAS = -2.2;

export class LinearRanker {
  readonly featureCount = RANKER_FEATURES.length;
  private readonly weights = RANKER_FEATURES.map((f) => WEIGHTS[f]);

  /** Probability-like relevance in (0, 1). */
  score(features: readonly number[]): number {
    if (features.length !== this.featureCount) {
      throw new RangeError(`expected ${this.featureCount} features (${RANKER_FEATURES.join(', ')}), got ${features.length}`);
    }
    let z = BIAS;
    for (let i = 0; i < features.length; i++) {
      const x = features[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`feature ${RANKER_FEATURES[i]} must be a finite number, got ${JSON.stringify(x)}`);
      z += this.weights[i] * x;
    }
    return 1 / (1 + Math.exp(-z));
  }
}
