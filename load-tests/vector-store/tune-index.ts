/**
 * Index tuning (issue 13, `serving-stacks tune-index`): sweeps each engine's search-time knob on a
 * loaded local index (HNSW efSearch for OpenSearch and pgvector, the tree-AH stand-in's percent
 * of leaves for Vertex) and measures recall@k against exact search and per-query latency at each
 * value; recommends the smallest value, the cheapest to serve, that meets the target recall.
 * The local indexes are not the clouds' engines: the curve's shape carries over, its numbers
 * need checking against the deployed index.
 */
import type { ResolvedVectorStore } from '../../constructs/resolved-topology';
import { clusteredVectorSet } from './clustered-vectors';
import { createVectorIndex } from './create-vector-index';
import { ExactIndex } from './exact-index';
import { indexSettingsFor, vectorEnginesFor, type VectorEngine } from './index-settings';
import type { SearchSettings } from './recall';
import { TreeAhIndex } from './tree-ah-index';
import { exactNeighbors, measureSearch, type SearchMeasurement } from './search-measurement';

/** The topology field each engine's sweep sets (vectorStore.index.*). */
export type TunedKnob = 'efSearch' | 'leafNodesToSearchPercent';

export const EF_SEARCH_SWEEP: readonly number[] = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];
export const LEAF_PERCENT_SWEEP: readonly number[] = [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 100];

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
  /** The smallest value that meets the target recall; undefined when none does. */
  readonly recommended?: TuningPoint;
}

export interface TuneOptions {
  readonly targetRecall: number;
  readonly k: number;
  /** Vectors loaded into each index (topic-clustered synthetic vectors of the store's dimensions). */
  readonly documents: number;
  readonly queries: number;
  readonly seed: number;
  /** Told before each slow step (building an index), for a progress line. */
  readonly onProgress?: (message: string) => void;
}

export function knobOf(engine: VectorEngine): TunedKnob {
  return engine === 'vertex' ? 'leafNodesToSearchPercent' : 'efSearch';
}

function searchSettings(knob: TunedKnob, value: number): SearchSettings {
  return knob === 'efSearch' ? { efSearch: value } : { leafFraction: value / 100 };
}

/** Sweeps every engine the store runs on, on one shared corpus and one exact ground truth. */
export function tuneVectorStore(store: ResolvedVectorStore, options: TuneOptions): IndexTuning[] {
  if (!(options.targetRecall > 0 && options.targetRecall <= 1)) throw new Error(`target recall must be in (0, 1], got ${options.targetRecall}`);
  const set = clusteredVectorSet(store.dimensions, undefined, options.seed);
  const documents = set.draw(options.documents, options.seed + 1);
  const queries = set.draw(options.queries, options.seed + 2);
  const exact = new ExactIndex(store.dimensions, store.metric);
  documents.forEach((vector, i) => exact.upsert(`doc-${i}`, vector));
  options.onProgress?.(`exact top ${options.k} of ${options.queries} queries over ${options.documents} vectors`);
  const truth = exactNeighbors(exact, queries, options.k);

  return vectorEnginesFor(store).map((engine) => {
    const index = createVectorIndex(indexSettingsFor(store, engine));
    options.onProgress?.(`${engine}: building ${index.kind} over ${options.documents} vectors`);
    documents.forEach((vector, i) => index.upsert(`doc-${i}`, vector));
    const knob = knobOf(engine);
    const current = store.index[knob];
    const values = [...new Set([...(knob === 'efSearch' ? EF_SEARCH_SWEEP : LEAF_PERCENT_SWEEP), current])].sort((a, b) => a - b);
    // One untimed pass first: the tree-AH stand-in cuts its leaves at the first search, and the JIT warms up.
    measureSearch(index, queries, truth, options.k, searchSettings(knob, current));
    const points = values.map((value) => ({ value, measurement: measureSearch(index, queries, truth, options.k, searchSettings(knob, value)) }));
    const recommended = points.find((p) => p.measurement.recall >= options.targetRecall);
    const leaves = index instanceof TreeAhIndex ? index.leafCount : undefined;
    return { engine, kind: index.kind, knob, current, points, leaves, recommended };
  });
}
