/** `--prices FILE`: the user's own price list merged over the catalog, for every command that prices. */
import type { Command } from 'commander';
import { PRICING_CATALOG, type PricingCatalog } from '../constructs/catalog/pricing-catalog';
import { loadPriceFile, PriceFileError } from '../load-tests/cost/price-file';
import { UsageError } from './run-cli';

export interface PricesFlag {
  readonly prices?: string;
}

export function addPricesOption(command: Command): Command {
  return command.option('--prices <file.json>', 'your own prices (negotiated rates, more regions) merged over the catalog (load-tests/PRICES-FORMAT.md)');
}

/** The shipped catalog, or the `--prices` file merged over it; a bad file is a usage error naming each problem. */
export function pricingCatalog(flags: PricesFlag): PricingCatalog {
  if (flags.prices === undefined) return PRICING_CATALOG;
  try {
    return loadPriceFile(flags.prices);
  } catch (e) {
    if (e instanceof PriceFileError) throw new UsageError(e.message);
    throw e;
  }
}
