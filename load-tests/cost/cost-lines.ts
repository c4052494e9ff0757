/** What the cost model produces: priced lines per cloud, each traceable to its catalog price, and the basis of each total. */
import type { Cloud } from '../../constructs';
import { HOURS_PER_MONTH, type Price, type PriceUnit } from '../../constructs/catalog/pricing-catalog';
import type { CostBasis } from './cost-basis';

export { HOURS_PER_MONTH };

export type CostCategory = 'endpoints' | 'cache' | 'vector-store' | 'queues' | 'network' | 'keys' | 'monitoring';

export interface UsdRange {
  readonly low: number;
  readonly high: number;
}

export interface CostLine {
  readonly category: CostCategory;
  /** What is priced, e.g. `ranker/primary` or `feature cache`. */
  readonly item: string;
  /** The billed resource, e.g. `ml.m5.xlarge` or `OpenSearch Serverless OCU`. */
  readonly resource: string;
  /** Units consumed per `quantityPer`, in the price's unit; `once` for a one-off charge. */
  readonly quantity: number;
  readonly quantityPer: 'hour' | 'month' | 'once';
  /** The quantity at the ends of an unverified sizing rule's range. */
  readonly quantityRange?: UsdRange;
  readonly unit: PriceUnit;
  readonly unitPriceUsd: number;
  readonly hourlyUsd: number;
  readonly monthlyUsd: number;
  /** Charged once (an index build), outside the hourly and monthly figures. */
  readonly oneOffUsd: number;
  /** The monthly figure at the low and high ends of the price's and the quantity's ranges. */
  readonly monthlyRangeUsd: UsdRange;
  /** How the quantity was arrived at: the topology's numbers and the assumptions used. */
  readonly basis: string;
  readonly price: Pick<Price, 'source' | 'checkedOn' | 'tag' | 'note' | 'low' | 'high'>;
}

export interface CloudCost {
  readonly cloud: Cloud;
  readonly region: string;
  /** False when no price list covers the region: every total is null and `unpriced` says why. */
  readonly available: boolean;
  readonly lines: readonly CostLine[];
  readonly hourlyUsd: number | null;
  readonly monthlyUsd: number | null;
  readonly oneOffUsd: number | null;
  /** The monthly total at the ends of the lines' ranges. */
  readonly monthlyRangeUsd: UsdRange | null;
  /** Parts of the topology the price list cannot price (said plainly, never priced at zero silently). */
  readonly unpriced: readonly string[];
  readonly basis: CostBasis;
}

export type LineFields = Omit<CostLine, 'unitPriceUsd' | 'hourlyUsd' | 'monthlyUsd' | 'oneOffUsd' | 'monthlyRangeUsd' | 'price' | 'unit'>;

export function costLine(fields: LineFields, price: Price): CostLine {
  const hourly = (quantity: number, usd: number) =>
    fields.quantityPer === 'hour' ? quantity * usd : fields.quantityPer === 'month' ? (quantity * usd) / HOURS_PER_MONTH : 0;
  const hourlyUsd = hourly(fields.quantity, price.usd);
  const q = fields.quantityRange ?? { low: fields.quantity, high: fields.quantity };
  return {
    ...fields,
    unit: price.unit,
    unitPriceUsd: price.usd,
    hourlyUsd,
    monthlyUsd: hourlyUsd * HOURS_PER_MONTH,
    oneOffUsd: fields.quantityPer === 'once' ? fields.quantity * price.usd : 0,
    monthlyRangeUsd: { low: hourly(q.low, price.low ?? price.usd) * HOURS_PER_MONTH, high: hourly(q.high, price.high ?? price.usd) * HOURS_PER_MONTH },
    price: { source: price.source, checkedOn: price.checkedOn, tag: price.tag, note: price.note, low: price.low, high: price.high },
  };
}

/** Lines as they are priced; what the price list lacks goes to `unpriced`, never to a zero-priced line. */
export class CostSheet {
  readonly lines: CostLine[] = [];
  readonly unpriced: string[] = [];

  add(fields: LineFields, price: Price | undefined, missing: string): void {
    if (price) this.lines.push(costLine(fields, price));
    else this.unpriced.push(missing);
  }
}

export function cloudCost(cloud: Cloud, region: string, sheet: CostSheet, basis: CostBasis): CloudCost {
  const sum = (f: (l: CostLine) => number) => sheet.lines.reduce((s, l) => s + f(l), 0);
  const hourlyUsd = sum((l) => l.hourlyUsd);
  return {
    cloud,
    region,
    available: true,
    lines: sheet.lines,
    hourlyUsd,
    monthlyUsd: hourlyUsd * HOURS_PER_MONTH,
    oneOffUsd: sum((l) => l.oneOffUsd),
    monthlyRangeUsd: { low: sum((l) => l.monthlyRangeUsd.low), high: sum((l) => l.monthlyRangeUsd.high) },
    unpriced: sheet.unpriced,
    basis,
  };
}

/** A cloud whose region no price list covers: nothing priced, every total null. */
export function unavailableCost(cloud: Cloud, region: string, regions: readonly string[], basis: CostBasis): CloudCost {
  return {
    cloud,
    region,
    available: false,
    lines: [],
    hourlyUsd: null,
    monthlyUsd: null,
    oneOffUsd: null,
    monthlyRangeUsd: null,
    unpriced: [`everything: no prices for ${region} (the price list covers ${regions.join(', ')}; add the region's prices with --prices FILE)`],
    basis,
  };
}
