/** `--prices FILE`: the user's own price list merged over the catalog, for every command that prices. */
import type { Command } from 'commander';
import { PRICING_CATALOG, type PricingCatalog } from '../../constructs/catalog/pricing-catalog';
import { loadPriceFile } from '../../load-tests/cost/price-file';

export interface PricesFlag {
  readonly prices?: string;
}

export function addPricesOption(command: Command): Command {
  return command.option('--prices <file.json>', 'your own prices (negotiated rates, more regions) merged over the catalog (load-tests/PRICES-FORMAT.md)');
}

/** The shipped catalog, or the `--prices` file merged over it; a bad file is a PriceFileError naming each problem (a usage error, bin/run-cli.ts). */
export function pricingCatalog(flags: PricesFlag): PricingCatalog {
  return flags.prices === undefined ? PRICING_CATALOG : loadPriceFile(flags.prices);
}
