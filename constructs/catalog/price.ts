/**
 * One price of the catalog: an amount in USD per unit, where it comes from, when it was checked,
 * how far it can be trusted ([V] vendor pricing page or docs · [S] secondary: a third party
 * quoting the vendor, a blog, a guide · [U] unverified or derived, the note says how) and, for
 * every [S] and [U] price, the range it plausibly lies in. The assumption register and the
 * sensitivity bands read exactly `usd`, `tag`, `low` and `high`.
 */

export const PRICE_TAGS = ['V', 'S', 'U'] as const;
export type PriceTag = (typeof PRICE_TAGS)[number];

export type PriceUnit =
  | 'instance-hour'
  | 'node-hour'
  | 'GB-hour'
  | 'GiB-hour'
  | 'million ECPUs'
  | 'OCU-hour'
  | 'ACU-hour'
  | 'vCPU-hour'
  | 'GiB built'
  | 'million requests'
  | 'TiB delivered'
  | 'key-month'
  | 'key-version-month'
  | 'alarm-month'
  | 'condition-month'
  | 'endpoint-AZ-hour'
  | 'endpoint-hour';

export interface Price {
  readonly usd: number;
  readonly unit: PriceUnit;
  /** Where to check it: a public URL, or `owner/repo path@commit` for a file in a public repository. */
  readonly source: string;
  /** When the price was checked against its source: YYYY-MM-DD, or YYYY-MM / YYYY where the source gives no day. */
  readonly checkedOn: string;
  readonly tag: PriceTag;
  /** How a derived price was computed, or what conflicts with it. Required for [U]. */
  readonly note?: string;
  /** Lowest plausible USD per unit; set on every [S] and [U] price. */
  readonly low?: number;
  /** Highest plausible USD per unit; set on every [S] and [U] price. */
  readonly high?: number;
}

/** AWS's convention for monthly prices (8,760 h / 12), which the cost model and the warnings use for both clouds. */
export const HOURS_PER_MONTH = 730;

/** The date this catalog was last compiled from the sources its prices cite. */
export const CATALOG_COMPILED_ON = '2026-12-06';

/**
 * The range an unverified price gets when its sources give none: ±10 % for a secondary source
 * quoting the vendor, ±25 % for a derived or recalled figure.
 */
export const DEFAULT_RANGE: Readonly<Record<Exclude<PriceTag, 'V'>, number>> = { S: 0.1, U: 0.25 };

export interface PriceRange {
  readonly low: number;
  readonly high: number;
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

/**
 * A price as its source states it. [S] and [U] prices get `range`, or ±DEFAULT_RANGE when the
 * sources give no spread.
 */
export function price(
  usd: number,
  unit: PriceUnit,
  tag: PriceTag,
  source: string,
  checkedOn: string,
  details: { readonly note?: string; readonly range?: PriceRange } = {},
): Price {
  const base = { usd, unit, tag, source, checkedOn, ...(details.note !== undefined && { note: details.note }) };
  if (tag === 'V') return base;
  const spread = DEFAULT_RANGE[tag];
  const range = details.range ?? { low: usd * (1 - spread), high: usd * (1 + spread) };
  return { ...base, low: round(range.low), high: round(range.high) };
}

/** A price computed in code from sourced figures: always [U], the arithmetic in the note, rounded to 1e-4 USD. */
export function derived(usd: number, unit: PriceUnit, note: string, source: string, range?: PriceRange): Price {
  return price(Math.round(usd * 10_000) / 10_000, unit, 'U', source, CATALOG_COMPILED_ON, { note, range });
}

/** How one region's prices relate to another's for the same product: a ratio, its plausible range, and where it comes from. */
export interface RegionalRatio {
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  /** What the ratio was measured on, e.g. `EC2 m5.xlarge eu-west-1 / us-east-1 = 0.214 / 0.192`. */
  readonly basis: string;
}

/**
 * A base region's price carried to another region by a ratio: [U], its range the base range times
 * the ratio's; `checkAt` is where the region's own price can be read, when that differs from the base's source.
 */
export function regional(base: Price, fromRegion: string, ratio: RegionalRatio, checkAt = base.source): Price {
  return derived(
    base.usd * ratio.ratio,
    base.unit,
    `${fromRegion} ${base.usd} × ${ratio.ratio} (${ratio.basis}); ${fromRegion} price [${base.tag}] from ${base.source}${base.note ? `: ${base.note}` : ''}`,
    checkAt,
    { low: (base.low ?? base.usd) * ratio.low, high: (base.high ?? base.usd) * ratio.high },
  );
}
