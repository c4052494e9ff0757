/** What the cost model produces: priced lines per cloud, each traceable to its catalog price. */
import type { Cloud } from '../../constructs';
import type { Price, PriceUnit } from '../../constructs/pricing-catalog';

/** AWS's convention for monthly prices (8,760 h / 12). */
export const HOURS_PER_MONTH = 730;

export type CostCategory = 'endpoints' | 'cache' | 'vector-store' | 'queues' | 'network' | 'keys' | 'monitoring';

export interface CostLine {
  readonly category: CostCategory;
  /** What is priced, e.g. `ranker/primary` or `feature cache`. */
  readonly item: string;
  /** The billed resource, e.g. `ml.m5.xlarge` or `OpenSearch Serverless OCU`. */
  readonly resource: string;
  /** Units consumed per `quantityPer`, in the price's unit. */
  readonly quantity: number;
  readonly quantityPer: 'hour' | 'month';
  readonly unit: PriceUnit;
  readonly unitPriceUsd: number;
  readonly hourlyUsd: number;
  readonly monthlyUsd: number;
  /** Charged once (an index build), outside the hourly and monthly figures. */
  readonly oneOffUsd: number;
  /** How the quantity was arrived at: the topology's numbers and the assumptions used. */
  readonly basis: string;
  readonly price: Pick<Price, 'source' | 'checkedOn' | 'tag' | 'note'>;
}

export interface CloudCost {
  readonly cloud: Cloud;
  readonly region: string;
  readonly lines: readonly CostLine[];
  readonly hourlyUsd: number;
  readonly monthlyUsd: number;
  readonly oneOffUsd: number;
  /** Parts of the topology the catalog cannot price (said plainly, never priced at zero silently). */
  readonly unpriced: readonly string[];
}

export function costLine(
  fields: Omit<CostLine, 'unitPriceUsd' | 'hourlyUsd' | 'monthlyUsd' | 'oneOffUsd' | 'price' | 'unit'> & { readonly oneOffUsd?: number },
  price: Price,
): CostLine {
  const perHour = fields.quantityPer === 'hour' ? fields.quantity : fields.quantity / HOURS_PER_MONTH;
  const hourlyUsd = perHour * price.usd;
  return {
    ...fields,
    unit: price.unit,
    unitPriceUsd: price.usd,
    hourlyUsd,
    monthlyUsd: hourlyUsd * HOURS_PER_MONTH,
    oneOffUsd: fields.oneOffUsd ?? 0,
    price: { source: price.source, checkedOn: price.checkedOn, tag: price.tag, note: price.note },
  };
}

export function cloudCost(cloud: Cloud, region: string, lines: readonly CostLine[], unpriced: readonly string[]): CloudCost {
  const hourlyUsd = lines.reduce((s, l) => s + l.hourlyUsd, 0);
  return {
    cloud,
    region,
    lines,
    hourlyUsd,
    monthlyUsd: hourlyUsd * HOURS_PER_MONTH,
    oneOffUsd: lines.reduce((s, l) => s + l.oneOffUsd, 0),
    unpriced,
  };
}
