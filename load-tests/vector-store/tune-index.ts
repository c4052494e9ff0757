/**
 * Index tuning (issue 13, `serving-stacks tune-index`): sweeps each engine's search-time knob on a
 * loaded local index (HNSW efSearch for OpenSearch and pgvector, the tree-AH stand-in's percent
 * of leaves for Vertex) and measures recall@k against the corpus's exact ground truth and
 * per-query latency at each value; recommends the smallest value, the least work per query and so
 * the cheapest to serve, that meets the target recall and, when the topology sets one, the p99
 * target. The local indexes are not the clouds' engines: the curve's shape carries over, its
 * numbers (latency above all, a relative measure on this machine) need checking against the
 * deployed index.
 */
import type { ResolvedVectorStore } from '../../constructs/resolved-topology';
import { createVectorIndex } from './create-vector-index';
import { indexSettingsFor, vectorEnginesFor, type VectorEngine } from './index-settings';
import type { SearchSettings } from './recall';
import { TreeAhIndex } from './tree-ah-index';
import { measureSearch, type SearchMeasurement } from './search-measurement';
import type { VectorMetric } from './vector-distance';

/** The topology field each engine's sweep sets (vectorStore.index.*). */
export type TunedKnob = 'efSearch' | 'leafNodesToSearchPercent';

export const EF_SEARCH_SWEEP: readonly number[] = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];
/** Untimed queries before the sweep; enough for the JIT to compile the search loop. */
const WARM_UP_QUERIES = 20;
export const LEAF_PERCENT_SWEEP: readonly number[] = [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 100];

/** What a sweep runs on: documents, queries and each query's exact top k (load-tests/corpus/tuning-corpus.ts makes one from the news corpus). */
export interface TuningCorpus {
  readonly dimensions: number;
  /** The metric the ground truth was ranked under. */
  readonly metric: VectorMetric;
  readonly documents: readonly { readonly id: string; readonly vector: Float32Array }[];
  readonly queries: readonly Float32Array[];
  /** Per query, the ids of its exact nearest documents, nearest first. */
  readonly groundTruth: readonly (readonly string[])[];
}

export interface TuningPoint {
  readonly value: number;
  readonly measurement: SearchMeasurement;
}

export interface IndexTuning {
  readonly engine: VectorEngine;
  /** The local index's kind: it says which stand-in was measured. */
  readonly kind: string;
  readonly knob: TunedKnob;
  /** The topology's value today. */
  readonly current: number;
  readonly points: readonly TuningPoint[];
  /** Tree-AH: leaves in the partition swept (a percent rounds up to whole leaves, so the curve moves in steps). */
  readonly leaves?: number;
  /** The smallest value that meets the target recall and the p99 target; undefined when none does. */
  readonly recommended?: TuningPoint;
}

/** Measures one setting on a loaded index: measureSearch, or a stand-in that fixes the latency (tests). */
export type SearchMeasurer = typeof measureSearch;

export interface TuneOptions {
  readonly targetRecall: number;
  /** p99 per-query latency the recommendation must stay within, ms, measured on the local index; undefined: recall alone decides. */
  readonly p99TargetMs?: number;
  readonly k: number;
  /** Told before each slow step (building an index), for a progress line. */
  readonly onProgress?: (message: string) => void;
  /** @default measureSearch */
  readonly measure?: SearchMeasurer;
}

export interface RecommendationTarget {
  readonly targetRecall: number;
  readonly p99TargetMs?: number;
}

export function knobOf(engine: VectorEngine): TunedKnob {
  return engine === 'vertex' ? 'leafNodesToSearchPercent' : 'efSearch';
}

function searchSettings(knob: TunedKnob, value: number): SearchSettings {
  return knob === 'efSearch' ? { efSearch: value } : { leafFraction: value / 100 };
}

/**
 * The cheapest point meeting the target: both knobs do more work per query as they grow (more
 * candidates, more leaves), so the smallest value that reaches the recall and keeps p99 within
 * the target, when there is one.
 */
export function recommendSetting(points: readonly TuningPoint[], target: RecommendationTarget): TuningPoint | undefined {
  return [...points]
    .sort((a, b) => a.value - b.value)
    .find((p) => p.measurement.recall >= target.targetRecall && (target.p99TargetMs === undefined || p.measurement.latencyMs.p99 <= target.p99TargetMs));
}

/** Sweeps every engine the store runs on, on one corpus and its exact ground truth. */
export function tuneVectorStore(store: ResolvedVectorStore, corpus: TuningCorpus, options: TuneOptions): IndexTuning[] {
  const problems = tuningProblems(store, corpus, options);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const measure = options.measure ?? measureSearch;
  // measureSearch reads only the ids of the exact answers.
  const truth = corpus.groundTruth.map((ids) => ids.map((id) => ({ id, distance: Number.NaN })));

  return vectorEnginesFor(store).map((engine) => {
    const index = createVectorIndex(indexSettingsFor(store, engine));
    options.onProgress?.(`${engine}: building ${index.kind} over ${corpus.documents.length} vectors`);
    for (const d of corpus.documents) index.upsert(d.id, d.vector);
    const knob = knobOf(engine);
    const current = store.index[knob];
    const values = [...new Set([...(knob === 'efSearch' ? EF_SEARCH_SWEEP : LEAF_PERCENT_SWEEP), current])].sort((a, b) => a - b);
    // A few untimed queries first: the tree-AH stand-in cuts its leaves at the first search, and the JIT warms up.
    measureSearch(index, corpus.queries.slice(0, WARM_UP_QUERIES), truth.slice(0, WARM_UP_QUERIES), options.k, searchSettings(knob, current));
    const leaves = index instanceof TreeAhIndex ? index.leafCount : undefined;
    // Percents that open the same whole number of leaves do the same work: measure each leaf count once.
    const sameWork = (value: number) => (leaves === undefined ? value : Math.max(1, Math.ceil((value / 100) * leaves)));
    const measured = new Map<number, SearchMeasurement>();
    const points = values.map((value) => {
      const work = sameWork(value);
      const measurement = measured.get(work) ?? measure(index, corpus.queries, truth, options.k, searchSettings(knob, value));
      measured.set(work, measurement);
      return { value, measurement };
    });
    return { engine, kind: index.kind, knob, current, points, leaves, recommended: recommendSetting(points, options) };
  });
}

function tuningProblems(store: ResolvedVectorStore, corpus: TuningCorpus, options: TuneOptions): string[] {
  const problems: string[] = [];
  if (!(options.targetRecall > 0 && options.targetRecall <= 1)) problems.push(`target recall must be in (0, 1], got ${options.targetRecall}`);
  if (options.p99TargetMs !== undefined && !(options.p99TargetMs > 0)) problems.push(`p99 target must be a positive number of milliseconds, got ${options.p99TargetMs}`);
  if (corpus.dimensions !== store.dimensions) problems.push(`corpus has ${corpus.dimensions}-dimension vectors; vectorStore.dimensions is ${store.dimensions}`);
  if (corpus.metric !== store.metric) problems.push(`corpus ground truth is ranked by ${corpus.metric}; vectorStore.metric is ${store.metric}`);
  if (corpus.queries.length === 0 || corpus.queries.length !== corpus.groundTruth.length) {
    problems.push(`need at least one query and one exact answer per query: ${corpus.queries.length} queries, ${corpus.groundTruth.length} answers`);
  }
  const needed = Math.min(options.k, corpus.documents.length);
  const short = corpus.groundTruth.findIndex((ids) => ids.length < needed);
  if (short >= 0) problems.push(`k ${options.k}: query ${short + 1} has ${corpus.groundTruth[short].length} ground-truth neighbours; k can be at most the corpus's k`);
  return problems;
}
