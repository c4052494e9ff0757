/** The one VectorIndexFactory the protocols store into: HNSW or the tree-AH stand-in from the settings, exact otherwise. */
import { ExactIndex } from './exact-index';
import { HnswIndex } from './hnsw-index';
import { TreeAhIndex } from './tree-ah-index';
import type { VectorIndex, VectorIndexFactory, VectorIndexSettings } from './vector-index';

export const createVectorIndex: VectorIndexFactory = (settings: VectorIndexSettings): VectorIndex => {
  if (settings.hnsw && settings.treeAh) throw new Error('vector index settings name both hnsw and treeAh; an index is one or the other');
  if (settings.hnsw) return new HnswIndex(settings.dimensions, settings.metric, settings.hnsw);
  if (settings.treeAh) return new TreeAhIndex(settings.dimensions, settings.metric, settings.treeAh);
  return new ExactIndex(settings.dimensions, settings.metric);
};
