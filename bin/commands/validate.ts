import type { Command } from 'commander';
import { loadTopologyFile, resolveTopology, shapeWarnings } from '../../constructs';
import { countNoun } from '../count-noun';
import { addPricesOption, pricingCatalog, type PricesFlag } from '../options/prices';
import { printWarnings } from '../print-warnings';

export function registerValidate(program: Command): void {
  const validate = program
    .command('validate')
    .description(
      'validate a topology file; lists every problem with its path, the bad value and what is allowed, ' +
        'and warns on stderr (exit code unchanged) where a cloud runs more accelerators than asked',
    )
    .argument('<file>', 'topology file (YAML or JSON)')
    .option('--json', 'print the resolved topology as JSON, its warnings as warnings[]')
    .action((file: string, options: PricesFlag & { json?: boolean }) => {
      const resolved = resolveTopology(loadTopologyFile(file));
      const warnings = shapeWarnings(resolved, pricingCatalog(options));
      printWarnings(warnings);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...resolved, warnings }, null, 2)}\n`);
        return;
      }
      const variants = resolved.endpoints.reduce((n, e) => n + e.variants.length, 0);
      process.stdout.write(
        `${file}: valid. ${resolved.name}/${resolved.environment}${resolved.production ? ' (production)' : ''}: ` +
          `${countNoun(resolved.endpoints.length, 'endpoint')} (${countNoun(variants, 'variant')}), ${countNoun(resolved.queues.length, 'queue')}` +
          `${resolved.featureCache ? ', feature cache' : ''}${resolved.vectorStore ? ', vector store' : ''}; ` +
          `${countNoun(resolved.parity.length, 'parity note')} (serving-stacks parity --topology ${file})` +
          `${warnings.length > 0 ? `; ${countNoun(warnings.length, 'warning')} on stderr` : ''}\n`,
      );
    });
  addPricesOption(validate);
}
