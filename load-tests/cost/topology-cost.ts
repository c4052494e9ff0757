/**
 * `priceTopology`: what a resolved topology costs per hour and per month on each cloud, line by
 * line, at its minimum replicas, from the dated pricing catalog.
 */
import type { ResolvedTopology } from '../../constructs';
import { awsPriceList, gcpPriceList, PRICING_CATALOG, type AwsPriceList, type GcpPriceList } from '../../constructs/pricing-catalog';
import { priceAws } from './aws-cost';
import { DEFAULT_COST_ASSUMPTIONS, type CostAssumptions } from './cost-assumptions';
import { HOURS_PER_MONTH, type CloudCost } from './cost-lines';
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
  /** Price lists to use instead of the catalog's (tests pass hand-made ones). */
  readonly priceLists?: { readonly aws?: AwsPriceList; readonly gcp?: GcpPriceList };
}

export class CostError extends Error {
  override readonly name = 'CostError';
}

export function priceTopology(topology: ResolvedTopology, options: PriceOptions = {}): TopologyCost {
  const assumptions = { ...DEFAULT_COST_ASSUMPTIONS, ...options.assumptions };
  const { aws, gcp } = priceListsFor(topology, options);
  return {
    topology: { name: topology.name, environment: topology.environment },
    hoursPerMonth: HOURS_PER_MONTH,
    assumptions,
    clouds: {
      aws: priceAws(topology, aws, assumptions, options.counts?.aws ?? awsResourceCounts(topology)),
      gcp: priceGcp(topology, gcp, assumptions, options.counts?.gcp ?? gcpResourceCounts(topology)),
    },
  };
}

/** The topology's regions' price lists, or an error naming the regions the catalog covers. */
export function priceListsFor(topology: ResolvedTopology, options: Pick<PriceOptions, 'priceLists'> = {}): { aws: AwsPriceList; gcp: GcpPriceList } {
  const aws = options.priceLists?.aws ?? awsPriceList(topology.regions.aws);
  const gcp = options.priceLists?.gcp ?? gcpPriceList(topology.regions.gcp);
  const problems: string[] = [];
  if (!aws) problems.push(`regions.aws: no prices for ${topology.regions.aws}; the catalog covers ${PRICING_CATALOG.aws.map((l) => l.region).join(', ')}`);
  if (!gcp) problems.push(`regions.gcp: no prices for ${topology.regions.gcp}; the catalog covers ${PRICING_CATALOG.gcp.map((l) => l.region).join(', ')}`);
  if (!aws || !gcp) throw new CostError(problems.join('\n'));
  return { aws, gcp };
}
