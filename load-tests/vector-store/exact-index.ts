/** Exact nearest neighbours by a full scan: the ground truth recall is measured against. */
import { distance, type VectorMetric } from './vector-distance';
import type { Neighbor, SearchOptions, VectorIndex, VectorIndexFactory } from './vector-index';

export class ExactIndex implements VectorIndex {
  readonly kind = 'exact';
  private readonly vectors = new Map<string, Float32Array>();

  constructor(
    readonly dimensions: number,
    readonly metric: VectorMetric,
  ) {}

  get size(): number {
    return this.vectors.size;
  }

  upsert(id: string, vector: Float32Array): void {
    this.vectors.set(id, vector);
  }

  remove(id: string): boolean {
    return this.vectors.delete(id);
  }

  search(query: Float32Array, options: SearchOptions): Neighbor[] {
    const found: Neighbor[] = [];
    for (const [id, vector] of this.vectors) {
      if (options.filter && !options.filter(id)) continue;
      found.push({ id, distance: distance(this.metric, query, vector) });
    }
    // Ties broken by id, so the ground truth is the same on every run.
    found.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return found.slice(0, options.k);
  }
}

/** Exact search whatever the settings ask for: ground truth, and the store's index until an approximate one is chosen. */
export const exactIndexFactory: VectorIndexFactory = (settings) => new ExactIndex(settings.dimensions, settings.metric);
