/**
 * `priceTopology`: what a resolved topology costs per hour and per month on each cloud, line by
 * line, at its minimum replicas, from the dated pricing catalog (or a user's price file merged
 * over it). A region without prices yields a cost marked unavailable, never an error.
 */
import type { ResolvedTopology } from '../../constructs';
import { awsPriceList, gcpPriceList, PRICING_CATALOG, type AwsPrices, type GcpPrices, type PricingCatalog } from '../../constructs/catalog/pricing-catalog';
import { priceAws } from './aws-cost';
import { ENDPOINTS_AT_MINIMUM, priceListBasis } from './cost-basis';
import { DEFAULT_COST_ASSUMPTIONS, type CostAssumptions } from './cost-assumptions';
import { HOURS_PER_MONTH, unavailableCost, type CloudCost } from './cost-lines';
import { priceGcp } from './gcp-cost';
import { awsResourceCounts, gcpResourceCounts, type AwsResourceCounts, type GcpResourceCounts } from './resource-counts';

export interface TopologyCost {
  readonly topology: { readonly name: string; readonly environment: string };
  readonly hoursPerMonth: number;
  readonly assumptions: CostAssumptions;
  readonly clouds: { readonly aws: CloudCost; readonly gcp: CloudCost };
}

export interface PriceOptions {
  readonly assumptions?: Partial<CostAssumptions>;
  /** Counts read from the offline plans, when the caller has them (resource-counts.ts has the defaults). */
  readonly counts?: { readonly aws?: AwsResourceCounts; readonly gcp?: GcpResourceCounts };
  /** The price lists: the shipped catalog unless a user's price file was merged over it (price-file.ts). */
  readonly catalog?: PricingCatalog;
}

export function priceTopology(topology: ResolvedTopology, options: PriceOptions = {}): TopologyCost {
  const assumptions = { ...DEFAULT_COST_ASSUMPTIONS, ...options.assumptions };
  const catalog = options.catalog ?? PRICING_CATALOG;
  const { aws, gcp } = priceListsFor(topology, catalog);
  const priceList = (cloud: 'aws' | 'gcp') => priceListBasis(cloud, topology.regions[cloud], catalog);
  const unavailable = (cloud: 'aws' | 'gcp') =>
    unavailableCost(
      cloud,
      topology.regions[cloud],
      catalog[cloud].map((l) => l.region),
      { endpoints: ENDPOINTS_AT_MINIMUM, priceList: priceList(cloud), oneOffCharges: [] },
    );
  return {
    topology: { name: topology.name, environment: topology.environment },
    hoursPerMonth: HOURS_PER_MONTH,
    assumptions,
    clouds: {
      aws: aws ? priceAws(topology, aws, assumptions, options.counts?.aws ?? awsResourceCounts(topology), priceList('aws')) : unavailable('aws'),
      gcp: gcp ? priceGcp(topology, gcp, assumptions, options.counts?.gcp ?? gcpResourceCounts(topology), priceList('gcp')) : unavailable('gcp'),
    },
  };
}

/** The topology's regions' price lists; a region the catalog does not cover has none. */
export function priceListsFor(topology: ResolvedTopology, catalog: PricingCatalog = PRICING_CATALOG): { aws?: AwsPrices; gcp?: GcpPrices } {
  return { aws: awsPriceList(topology.regions.aws, catalog), gcp: gcpPriceList(topology.regions.gcp, catalog) };
}
