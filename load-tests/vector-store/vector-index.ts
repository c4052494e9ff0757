/**
 * What every local index offers the protocols above it (OpenSearch, Vertex Vector Search): the
 * approximate ones (HNSW, the tree-AH stand-in) and exact search, kept beside them for ground
 * truth. Ids are the store's document ids; vectors have the index's dimensions (the protocol
 * checks and answers with its cloud's error before calling here).
 */
import type { VectorMetric } from './vector-distance';

export interface Neighbor {
  readonly id: string;
  /** Smaller is closer (vector-distance.ts). */
  readonly distance: number;
}

export interface SearchOptions {
  readonly k: number;
  /** Only ids this accepts are returned (metadata filters, restricts); the index may search wider to fill k. */
  readonly filter?: (id: string) => boolean;
  /** HNSW candidate list size for this query (OpenSearch `method_parameters.ef_search`, pgvector `hnsw.ef_search`). */
  readonly efSearch?: number;
  /** Fraction of tree-AH leaves searched (Vertex `fractionLeafNodesToSearchOverride`), 0–1. */
  readonly leafFraction?: number;
}

export interface VectorIndex {
  /**
   * Which index, in words printed beside every result, since no local index is the cloud's engine:
   * 'exact', 'hnsw (USearch; not the cloud engine)', 'tree-ah stand-in (…; not ScaNN)'. Test with
   * instanceof, not by comparing this text.
   */
  readonly kind: string;
  readonly dimensions: number;
  readonly metric: VectorMetric;
  readonly size: number;
  /** Adds the vector, or replaces the one stored under the id. */
  upsert(id: string, vector: Float32Array): void;
  /** False when the id was not stored. */
  remove(id: string): boolean;
  search(query: Float32Array, options: SearchOptions): Neighbor[];
}

/** What an index is built from: the topology's vectorStore settings, or an OpenSearch mapping. */
export interface VectorIndexSettings {
  readonly dimensions: number;
  readonly metric: VectorMetric;
  /** HNSW (OpenSearch, pgvector). */
  readonly hnsw?: { readonly m: number; readonly efConstruction: number; readonly efSearch: number };
  /** Tree-AH (Vertex AI Vector Search), served by a documented local stand-in. */
  readonly treeAh?: { readonly leafNodeEmbeddingCount: number; readonly leafNodesToSearchPercent: number; readonly approximateNeighborsCount: number };
}

/** Builds the index a protocol stores into: HNSW or the tree-AH stand-in from the settings, exact otherwise. */
export type VectorIndexFactory = (settings: VectorIndexSettings) => VectorIndex;
