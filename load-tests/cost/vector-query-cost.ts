/**
 * What a vector search costs per million queries on one cloud: the vector store's monthly cost
 * from the cost model's own `vector-store` lines (each priced from the catalog, with its source),
 * divided by the topology's vectorStore.queriesPerSecond held for a whole month. The store is
 * billed by the hour whatever the traffic, so the figure is a floor: at a lower average rate each
 * query costs more, in proportion.
 */
import { HOURS_PER_MONTH, type CloudCost, type UsdRange } from './cost-lines';

export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export interface VectorQueryCostLine {
  readonly item: string;
  readonly resource: string;
  readonly monthlyUsd: number;
  readonly monthlyRangeUsd: UsdRange;
  /** The price's source (a vendor page URL) and tag, as on the cost line. */
  readonly source: string;
  readonly tag: string;
}

export interface VectorQueryCost {
  /** The vector-store lines' monthly total (one-off charges such as an index build excluded). */
  readonly monthlyUsd: number;
  readonly monthlyRangeUsd: UsdRange;
  readonly queriesPerSecond: number;
  /** queriesPerSecond × SECONDS_PER_MONTH. */
  readonly queriesPerMonth: number;
  readonly usdPerMillionQueries: number;
  /** The same division at the ends of the monthly cost's range. */
  readonly usdPerMillionQueriesRange: UsdRange;
  /** The arithmetic, with this topology's numbers. */
  readonly formula: string;
  readonly lines: readonly VectorQueryCostLine[];
}

/** Null when the cloud is unpriced or the price list lacks the vector store (its `unpriced` says so). */
export function vectorQueryCost(cost: CloudCost, queriesPerSecond: number): VectorQueryCost | null {
  if (!(queriesPerSecond > 0)) throw new RangeError(`vectorStore.queriesPerSecond must be positive, got ${queriesPerSecond}`);
  const lines = cost.lines.filter((l) => l.category === 'vector-store' && l.quantityPer !== 'once');
  if (!cost.available || lines.length === 0) return null;
  const monthlyUsd = lines.reduce((s, l) => s + l.monthlyUsd, 0);
  const monthlyRangeUsd = {
    low: lines.reduce((s, l) => s + l.monthlyRangeUsd.low, 0),
    high: lines.reduce((s, l) => s + l.monthlyRangeUsd.high, 0),
  };
  const queriesPerMonth = queriesPerSecond * SECONDS_PER_MONTH;
  const perMillion = (usd: number) => (usd / queriesPerMonth) * 1_000_000;
  return {
    monthlyUsd,
    monthlyRangeUsd,
    queriesPerSecond,
    queriesPerMonth,
    usdPerMillionQueries: perMillion(monthlyUsd),
    usdPerMillionQueriesRange: { low: perMillion(monthlyRangeUsd.low), high: perMillion(monthlyRangeUsd.high) },
    formula:
      `$${monthlyUsd.toFixed(2)} a month ÷ (${queriesPerSecond} queries/s × ${HOURS_PER_MONTH} h × 3,600 s = ${queriesPerMonth.toLocaleString('en-US')} queries) × 1,000,000 ` +
      `= $${perMillion(monthlyUsd).toFixed(4)} per million queries`,
    lines: lines.map((l) => ({ item: l.item, resource: l.resource, monthlyUsd: l.monthlyUsd, monthlyRangeUsd: l.monthlyRangeUsd, source: l.price.source, tag: l.price.tag })),
  };
}
