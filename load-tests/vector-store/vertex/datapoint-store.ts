/**
 * The datapoints of one local Vector Search index: the vectors in a `VectorIndex`, their restricts
 * beside it, every change in a mutation log under `--data-dir`.
 *
 * Stream updates become searchable after a delay, as on Vertex, where they "are applied in
 * corresponding DeployedIndexes in nearly real-time" (index.proto IndexUpdateMethod.STREAM_UPDATE;
 * https://cloud.google.com/vertex-ai/docs/vector-search/update-rebuild-index: "within a few
 * seconds"). A change is logged (durable) when the request is answered and applied to the index
 * when a read finds its delay over; on a restart the log is applied at once.
 */
import type { Clock } from '../../clock/clock';
import type { MutationLog } from '../../local-state/mutation-log';
import type { Neighbor, VectorIndex } from '../vector-index';
import { datapointAttributes, matchesRestricts, hasRestricts, type DatapointAttributes, type NumericRestrictionJson, type QueryRestricts, type RestrictionJson } from './datapoint-restricts';

/** IndexDatapoint in REST JSON, as accepted (validated against the proto). */
export interface DatapointJson {
  readonly datapointId: string;
  readonly featureVector?: readonly (number | string)[];
  readonly restricts?: readonly RestrictionJson[];
  readonly numericRestricts?: readonly NumericRestrictionJson[];
  readonly crowdingTag?: { readonly crowdingAttribute?: string };
  readonly embeddingMetadata?: Readonly<Record<string, unknown>>;
}

export type DatapointMutation =
  | { readonly op: 'upsert'; readonly datapoints: readonly DatapointJson[] }
  /** UpsertDatapoints with update_mask `all_restricts`: new restricts for datapoints already stored. */
  | { readonly op: 'restricts'; readonly datapoints: readonly DatapointJson[] }
  | { readonly op: 'remove'; readonly ids: readonly string[] };

interface StoredDatapoint {
  readonly json: DatapointJson;
  readonly attributes: DatapointAttributes;
}

export interface DatapointSearch {
  readonly k: number;
  readonly restricts: QueryRestricts;
  readonly leafFraction?: number;
  /** At most this many neighbours share a crowding attribute (FindNeighborsRequest.Query.per_crowding_attribute_neighbor_count). */
  readonly perCrowdingAttribute?: number;
}

export class DatapointStore {
  private readonly points = new Map<string, StoredDatapoint>();
  /** Logged changes not yet searchable, oldest first (the delay is constant, so in order of visibility too). */
  private readonly pending: { visibleAt: number; mutation: DatapointMutation }[] = [];

  constructor(
    readonly index: VectorIndex,
    private readonly log: MutationLog<DatapointMutation>,
    private readonly clock: Clock,
    private readonly visibilityDelayMs: number,
  ) {
    for (const mutation of log.replay) this.apply(mutation);
  }

  /** Durable when it returns; searchable after the visibility delay. */
  write(mutation: DatapointMutation): void {
    this.log.append(mutation);
    this.pending.push({ visibleAt: this.clock.now() + this.visibilityDelayMs, mutation });
  }

  search(query: Float32Array, options: DatapointSearch): Neighbor[] {
    this.catchUp();
    const filter = hasRestricts(options.restricts)
      ? (id: string) => {
          const point = this.points.get(id);
          return point !== undefined && matchesRestricts(point.attributes, options.restricts);
        }
      : undefined;
    const search = (k: number) => this.index.search(query, { k, filter, leafFraction: options.leafFraction });
    const limit = options.perCrowdingAttribute;
    // Ignored when it cannot bind (the proto's comment): no more per attribute than asked for in all.
    if (!limit || limit >= options.k) return search(options.k);
    // Crowding drops neighbours after the search: widen it until k survive or the index runs out.
    for (let wanted = options.k * 4; ; wanted *= 2) {
      const found = search(wanted);
      const kept = this.crowded(found, limit, options.k);
      if (kept.length >= options.k || found.length < wanted) return kept;
    }
  }

  /** Datapoints without a crowding tag are not limited. */
  private crowded(found: readonly Neighbor[], limit: number, k: number): Neighbor[] {
    const counts = new Map<string, number>();
    const kept: Neighbor[] = [];
    for (const n of found) {
      const attribute = this.points.get(n.id)?.json.crowdingTag?.crowdingAttribute;
      if (attribute) {
        const count = counts.get(attribute) ?? 0;
        if (count >= limit) continue;
        counts.set(attribute, count + 1);
      }
      kept.push(n);
      if (kept.length === k) break;
    }
    return kept;
  }

  get(id: string): DatapointJson | undefined {
    this.catchUp();
    return this.points.get(id)?.json;
  }

  close(): void {
    this.log.close();
  }

  private catchUp(): void {
    const now = this.clock.now();
    while (this.pending.length > 0 && this.pending[0].visibleAt <= now) this.apply(this.pending.shift()!.mutation);
  }

  private apply(mutation: DatapointMutation): void {
    switch (mutation.op) {
      case 'upsert':
        for (const d of mutation.datapoints) {
          this.points.set(d.datapointId, { json: d, attributes: datapointAttributes(d.restricts, d.numericRestricts).attributes });
          this.index.upsert(d.datapointId, Float32Array.from(d.featureVector ?? [], Number));
        }
        return;
      case 'restricts':
        for (const d of mutation.datapoints) {
          const stored = this.points.get(d.datapointId);
          if (!stored) continue;
          const json = { ...stored.json, restricts: d.restricts, numericRestricts: d.numericRestricts };
          this.points.set(d.datapointId, { json, attributes: datapointAttributes(d.restricts, d.numericRestricts).attributes });
        }
        return;
      case 'remove':
        for (const id of mutation.ids) {
          this.points.delete(id);
          this.index.remove(id);
        }
        return;
    }
  }
}
